import { z } from 'zod';

/** Specialist roles an agent deployment can play; each has its own step topic. */
export const AgentRole = z.enum(['general', 'sales', 'recruiting', 'research', 'compliance', 'risk', 'writer', 'judge', 'planner']);
export type AgentRole = z.infer<typeof AgentRole>;
export const AGENT_ROLES: readonly AgentRole[] = AgentRole.options;

/**
 * One error shape for every service. `kind` says whose fault it is:
 * `user` (bad input), `system` (infrastructure or a bug), `model` (the model misbehaved).
 */
export const ErrorInfo = z.object({
  /** Whose fault the error is. */
  kind: z.enum(['user', 'system', 'model', 'policy']),
  /** Stable machine-readable code, snake_case. */
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** Human-readable explanation. */
  message: z.string(),
  /** Optional structured detail (validation issues, limits). */
  details: z.unknown().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/** Dotted lowercase task type, e.g. `lead.qualify`; routing rules match on it. */
export const TaskType = z
  .string()
  .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'task type must be dotted lowercase words, e.g. lead.qualify')
  .max(100);
export type TaskType = z.infer<typeof TaskType>;

/** What a task is about. */
export const TaskInput = z.object({
  /** Free text: notes, a resume, a question. */
  text: z.string().min(1, 'input.text must not be empty'),
  /** Optional structured fields passed through to the specialist. */
  data: z.record(z.string(), z.unknown()).optional(),
  /**
   * The input is third-party content (an inbound e-mail, a web page, a résumé), not the
   * submitter's own words: values from it are tracked, and a write or destructive tool whose
   * arguments carry them runs only where the permission policy allows that flow, or after a
   * human's approval.
   */
  untrusted: z.boolean().optional(),
});
export type TaskInput = z.infer<typeof TaskInput>;

/** A JSON Schema (draft 2020-12 subset) that a step's output must satisfy. */
export const JsonSchemaObject = z.record(z.string(), z.unknown());
export type JsonSchemaObject = z.infer<typeof JsonSchemaObject>;

/** What the task needs from a model; the router only considers models that meet it. */
export const TaskNeeds = z.object({
  /** Capabilities every candidate model must have, e.g. `json`, `tools`. */
  capabilities: z.array(z.string().min(1)).max(16).optional(),
  /** Smallest context window acceptable, in tokens. */
  minContextTokens: z.number().int().positive().optional(),
  /** Lowest quality score (0..1) acceptable for the task's capabilities. */
  minQuality: z.number().min(0).max(1).optional(),
  /** Highest expected latency of one model call acceptable, in milliseconds. */
  maxLatencyMs: z.number().int().positive().optional(),
  /** Highest estimated cost of one model call acceptable, in micro-dollars. */
  maxCostMicros: z.number().int().positive().optional(),
});
export type TaskNeeds = z.infer<typeof TaskNeeds>;

/**
 * How the router picks a model among those that meet the needs: `cheapest`; `fastest`
 * (lowest expected latency); `best-quality` (highest quality within the cost cap);
 * `cascade` (cheapest first, moving up to the next better model when the output check
 * rejects an answer).
 */
export const RoutingPolicy = z.enum(['cheapest', 'fastest', 'best-quality', 'cascade']);
export type RoutingPolicy = z.infer<typeof RoutingPolicy>;

/** Limits the planner enforces on a task; defaults come from the planner's configuration. */
export const TaskLimits = z.object({
  /** Steps a task may run in all (retries not counted). */
  maxSteps: z.number().int().min(1).max(100).optional(),
  /** Attempts one step may take before the task goes to a human. */
  maxAttemptsPerStep: z.number().int().min(1).max(10).optional(),
  /** Times a plan may be replaced after a step failed for good. */
  maxReplans: z.number().int().min(0).max(10).optional(),
  /** Seconds from submission after which the task is stopped. */
  deadlineSeconds: z.number().int().min(1).max(7 * 24 * 3600).optional(),
  /** Tool calls the task's agents may make in all, hand-offs included. */
  maxToolCalls: z.number().int().min(0).max(200).optional(),
  /** Times the work may be handed from one specialist to another. */
  maxHandoffs: z.number().int().min(0).max(20).optional(),
  /** Most the task may spend on model calls, USD; lowers (never raises) the budget policy's cap per task. */
  maxCostUsd: z.number().positive().max(10_000).optional(),
});
export type TaskLimits = z.infer<typeof TaskLimits>;

/** The task as its submitter described it; carried along the pipeline. */
export const TaskSpec = z.object({
  /** Dotted task type. */
  taskType: TaskType,
  /** What the specialist should do; the router fills a default per task type when absent. */
  instruction: z.string().min(1).max(4000).optional(),
  /** The material to work on. */
  input: TaskInput,
  /** JSON Schema the final output must satisfy; checked by the guardrails. */
  outputSchema: JsonSchemaObject.optional(),
  /** Declared needs the chosen model must meet. */
  needs: TaskNeeds.optional(),
  /** Routing policy for this task; else the tenant's or task type's configured one. */
  routingPolicy: RoutingPolicy.optional(),
  /** Name of a declarative workflow (a file in workflows/) to run instead of one step. */
  workflow: z.string().regex(/^[a-z][a-z0-9-]*$/, 'workflow must be a lowercase name, e.g. resume-screening').max(80).optional(),
  /** Limits tighter than the planner's defaults. */
  limits: TaskLimits.optional(),
  /** Orchestration pattern the submitter insists on; else the router decides. */
  pattern: z.enum(['single', 'plan', 'debate']).optional(),
  /** What happens when an escalation of this task gets no human decision in time. */
  escalation: z
    .object({
      /** Seconds a human has to decide; the planner's default when absent, and never more than it. */
      timeoutSeconds: z.number().int().min(1).max(30 * 24 * 3600).optional(),
      /** Declared outcome on timeout: `fail` the task, or `approve` what is pending (as if a human had; only where the operator allows submitters to ask for it). */
      onTimeout: z.enum(['fail', 'approve']).optional(),
    })
    .strict()
    .optional(),
});
export type TaskSpec = z.infer<typeof TaskSpec>;

/** Orchestration patterns: one specialist, a declarative workflow, a plan from the planner agent, a debate. */
export const Pattern = z.enum(['single', 'workflow', 'plan', 'debate']);
export type Pattern = z.infer<typeof Pattern>;

/** Seconds a task may take from its submission to its end when it sets no `limits.deadlineSeconds`. */
export const DEFAULT_DEADLINE_SECONDS = 900;

/** Why the planner stopped a task short of completion; carried in the task's events and trace. */
export const StopReason = z.enum([
  'attempts_exhausted',
  'max_steps',
  'max_replans',
  'deadline_exceeded',
  'loop_detected',
  'no_progress',
  'max_tool_calls',
  'no_eligible_model',
  'step_failed',
  'invalid_plan',
  'approval_required',
  'debate_tie',
  'rejected_by_human',
  'escalation_timeout',
  'budget_exhausted',
  'output_blocked',
  'not_started',
]);
export type StopReason = z.infer<typeof StopReason>;

/** A model choice carried by a plan step or participant: the model and what to try when it fails. */
const ModelRef = {
  /** Catalog model chosen by the router. */
  model: z.string().optional(),
  /** Models to try in order when the chosen one fails (errors, timeouts, open breaker). */
  fallbackModels: z.array(z.string()).max(8).optional(),
};

/** A specialist a step may hand its work to, with the model the router chose for it. */
export const HandoffTarget = z.object({ role: AgentRole, ...ModelRef }).strict();
export type HandoffTarget = z.infer<typeof HandoffTarget>;

/** One voter of a debate. */
export const DebateParticipant = z
  .object({
    role: AgentRole,
    /** Vote weight under the `weighted` rule; default 1. */
    weight: z.number().positive().max(100).optional(),
    ...ModelRef,
  })
  .strict();
export type DebateParticipant = z.infer<typeof DebateParticipant>;

/**
 * A debate: participants answer the step's instruction by voting for one of `choices`
 * with a rationale. `majority`: more than half the votes; `weighted`: more than half the
 * weight; `quorum`: at least `quorum` votes for one choice. No winner is a tie: the
 * judge (the step's own role and model) picks, or a human decides.
 */
export const DebateSpec = z
  .object({
    participants: z.array(DebateParticipant).min(2).max(9),
    choices: z.array(z.string().min(1).max(100)).min(2).max(10),
    rule: z.enum(['majority', 'weighted', 'quorum']).default('majority'),
    /** Votes one choice needs under the `quorum` rule. */
    quorum: z.number().int().min(1).max(9).optional(),
    /** Who breaks a tie. */
    onTie: z.enum(['judge', 'human']).default('judge'),
  })
  .strict()
  .refine((d) => d.rule !== 'quorum' || (d.quorum !== undefined && d.quorum <= d.participants.length), {
    message: 'the quorum rule needs a quorum no larger than the number of participants',
  })
  .refine((d) => new Set(d.choices).size === d.choices.length, { message: 'debate choices must be distinct' });
export type DebateSpec = z.infer<typeof DebateSpec>;

/** One step of a plan: a role doing an instruction once the steps it depends on are done. */
export const PlanStep = z.object({
  /** Step id, unique in the plan. */
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'step id must be lowercase words with dashes').max(60),
  /** Role that runs it. */
  role: AgentRole,
  /** What the step must do. */
  instruction: z.string().min(1).max(4000),
  /** Steps whose outputs it needs; it runs when all of them are done. */
  dependsOn: z.array(z.string()).max(20).optional(),
  /** JSON Schema its output must satisfy. */
  outputSchema: JsonSchemaObject.optional(),
  /** Catalog model chosen by the router. */
  model: z.string().optional(),
  /** Models to try in order when the chosen one fails (errors, timeouts, open breaker). */
  fallbackModels: z.array(z.string()).max(8).optional(),
  /** Models to move up to when the output check rejects an answer (cascade policy). */
  cascadeModels: z.array(z.string()).max(8).optional(),
  /** A human must approve the step's output before the task goes on. */
  approval: z.boolean().optional(),
  /** Specialists the step's agent may hand the work to. */
  handoffs: z.array(HandoffTarget).max(8).optional(),
  /** Makes the step a debate: its participants vote, its role (a judge) breaks ties. */
  debate: DebateSpec.optional(),
});
export type PlanStep = z.infer<typeof PlanStep>;

/** A plan: steps forming a graph without cycles; `resultStep` gives the task's result. */
export const Plan = z.object({
  /** The steps. */
  steps: z.array(PlanStep).min(1).max(50),
  /** Step whose output is the task's result; default: the last step. */
  resultStep: z.string().optional(),
});
export type Plan = z.infer<typeof Plan>;

/**
 * What the planner agent must return: steps with a role, an instruction and
 * dependencies. Models, debates and approvals are not the model's to choose.
 */
export const ProposedPlan = z
  .object({
    steps: z
      .array(
        z
          .object({
            id: PlanStep.shape.id,
            role: AgentRole.exclude(['planner', 'judge']),
            instruction: PlanStep.shape.instruction,
            dependsOn: PlanStep.shape.dependsOn,
          })
          .strict(),
      )
      .min(1)
      .max(20),
    resultStep: z.string().optional(),
  })
  .strict();
export type ProposedPlan = z.infer<typeof ProposedPlan>;

/** Terminal and non-terminal states a task passes through. */
export const TaskStatus = z.enum([
  'submitted',
  'admitted',
  'rejected',
  'routed',
  'running',
  'completed',
  'failed',
  'escalated',
]);
export type TaskStatus = z.infer<typeof TaskStatus>;
/** Statuses a task never leaves. */
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'rejected'];
/**
 * Statuses where nothing happens without outside help: the terminal ones, and `escalated`
 * (waiting for a human decision, which resumes the task to `running`). Clients that wait
 * for a task to finish wait for these.
 */
export const SETTLED_STATUSES: readonly TaskStatus[] = [...TERMINAL_STATUSES, 'escalated'];
