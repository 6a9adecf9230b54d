import { z } from 'zod';
import { AgentRole, ErrorInfo, JsonSchemaObject, Pattern, Plan, RoutingPolicy, StopReason, TaskInput, TaskNeeds, TaskSpec } from './common';
import { EnvelopeFields } from './envelope';
import { Topics, stepRequestedTopic } from './topics';

/**
 * An event definition: its type, payload version, envelope schema and topic.
 * `topic` is a function where the topic depends on the payload (a role's step topic).
 */
export interface EventDefinition<T extends string = string, D extends z.ZodObject = z.ZodObject> {
  readonly type: T;
  readonly version: number;
  readonly data: D;
  readonly schema: z.ZodObject<
    Omit<typeof EnvelopeFields, 'type' | 'version'> & { type: z.ZodLiteral<T>; version: z.ZodLiteral<number>; data: D }
  >;
  readonly topic: (data: z.infer<D>) => string;
}

function defineEvent<T extends string, D extends z.ZodObject>(
  type: T,
  version: number,
  data: D,
  topic: string | ((data: z.infer<D>) => string),
): EventDefinition<T, D> {
  const schema = z.object({ ...EnvelopeFields, type: z.literal(type), version: z.literal(version), data });
  return { type, version, data, schema, topic: typeof topic === 'string' ? () => topic : topic };
}

const StepRef = {
  /** Step this event belongs to. */
  stepId: z.string().min(1),
  /** 1-based attempt number of the step. */
  attempt: z.number().int().positive(),
};

/** A model choice with why it was made. */
export const RoutingDecision = z.object({
  /** Policy that decided, e.g. `cheapest`. */
  policy: z.string(),
  /** Every model considered, with why it was or was not eligible. */
  candidates: z.array(
    z.object({
      model: z.string(),
      eligible: z.boolean(),
      /** Estimated cost of the call in micro-dollars, for eligible models. */
      estimatedCostMicros: z.number().int().nonnegative().optional(),
      /** Why the model was excluded. */
      excludedBecause: z.string().optional(),
    }),
  ),
  /** One sentence on why the winner won. */
  reason: z.string(),
});
export type RoutingDecision = z.infer<typeof RoutingDecision>;

/** A task entered Baton (gateway or an upstream producer). */
export const TaskSubmitted = defineEvent(
  'task.submitted',
  1,
  TaskSpec.extend({
    /** Submitter's idempotency key, when one was given. */
    idempotencyKey: z.string().max(200).optional(),
  }),
  Topics.taskSubmitted,
);
export type TaskSubmitted = z.infer<typeof TaskSubmitted.schema>;

/** The input guard passed the task; `input` is the redacted input. */
export const TaskAdmitted = defineEvent(
  'task.admitted',
  1,
  TaskSpec.extend({
    /** What was redacted, by kind. */
    redactions: z.array(z.object({ kind: z.string(), count: z.number().int().positive() })),
  }),
  Topics.taskAdmitted,
);
export type TaskAdmitted = z.infer<typeof TaskAdmitted.schema>;

/** The input guard refused the task; terminal. */
export const TaskRejected = defineEvent(
  'task.rejected',
  1,
  z.object({
    /** Which check refused it. */
    stage: z.enum(['input']),
    /** Why. */
    reason: ErrorInfo,
  }),
  Topics.taskRejected,
);
export type TaskRejected = z.infer<typeof TaskRejected.schema>;

/** The router chose a pattern, a specialist role and a model. */
export const TaskRouted = defineEvent(
  'task.routed',
  1,
  TaskSpec.extend({
    /**
     * Orchestration pattern: one specialist step (`single`, possibly handing off), a
     * workflow's plan, a plan the planner agent writes (`plan`), or a `debate`.
     */
    pattern: Pattern,
    /** Why this pattern: which rule matched, or what the classifier said. */
    patternReason: z.string().optional(),
    /** Specialist role that will do the work (the first step's role for a workflow). */
    role: AgentRole,
    /** Catalog id of the chosen model (the first step's model for a workflow). */
    model: z.string(),
    /** Models to try in order when the chosen one fails. */
    fallbackModels: z.array(z.string()).optional(),
    /** Models to move up to when the output check rejects an answer (cascade policy). */
    cascadeModels: z.array(z.string()).optional(),
    /** The routed plan, for the workflow pattern: every step has its model. */
    plan: Plan.optional(),
    /** Resolved instruction for the specialist. */
    instruction: z.string().min(1),
    /** Why this model. */
    decision: RoutingDecision,
  }),
  Topics.taskRouted,
);
export type TaskRouted = z.infer<typeof TaskRouted.schema>;

/** The planner asks a specialist to run one attempt of a step. */
export const StepRequested = defineEvent(
  'step.requested',
  1,
  z.object({
    ...StepRef,
    /** Role that must run the step; decides the topic. */
    role: AgentRole,
    /** Catalog id of the model to call. */
    model: z.string(),
    /** What to do. */
    instruction: z.string().min(1),
    /** Material to work on (already redacted). */
    input: TaskInput,
    /** Schema the output must satisfy, when declared. */
    outputSchema: JsonSchemaObject.optional(),
    /** Why earlier attempts were refused, so the model can correct itself. */
    feedback: z.array(z.string()).default([]),
    /** Models to try in order when `model` fails or its breaker is open. */
    fallbackModels: z.array(z.string()).optional(),
    /** Roles the agent may hand the work to (it gets a `handoff` tool). */
    handoffRoles: z.array(AgentRole).optional(),
    /** Tool calls this attempt may make; the task's remaining budget. Absent: no limit set. */
    maxToolCalls: z.number().int().nonnegative().optional(),
    /** The task's own spend cap in micro-dollars (`limits.maxCostUsd`), when it set one. */
    maxCostMicros: z.number().int().positive().optional(),
    /** Task type, for the tool permission policy. */
    taskType: z.string().optional(),
  }),
  (d) => stepRequestedTopic(d.role),
);
export type StepRequested = z.infer<typeof StepRequested.schema>;

/** A specialist's answer, not yet checked. */
export const OutputProposed = defineEvent(
  'output.proposed',
  1,
  z.object({
    ...StepRef,
    /** Role that produced it. */
    role: AgentRole,
    /** Model that produced it. */
    model: z.string(),
    /** Raw text the model returned. */
    content: z.string(),
    /** Schema the output must satisfy, copied from the step. */
    outputSchema: JsonSchemaObject.optional(),
    /** Tool calls the attempt made. */
    toolCalls: z.number().int().nonnegative().optional(),
  }),
  Topics.outputProposed,
);
export type OutputProposed = z.infer<typeof OutputProposed.schema>;

/** The output guard passed an output; `output` is parsed JSON when a schema was declared, else the text. */
export const OutputApproved = defineEvent(
  'output.approved',
  1,
  z.object({
    ...StepRef,
    /** The checked output. */
    output: z.unknown(),
    /** Tool calls the attempt made, copied from the proposal. */
    toolCalls: z.number().int().nonnegative().optional(),
  }),
  Topics.outputApproved,
);
export type OutputApproved = z.infer<typeof OutputApproved.schema>;

/** The output guard refused an output. */
export const OutputBlocked = defineEvent(
  'output.blocked',
  1,
  z.object({
    ...StepRef,
    /** Why it was refused. */
    reason: ErrorInfo,
    /** Tool calls the attempt made, copied from the proposal. */
    toolCalls: z.number().int().nonnegative().optional(),
  }),
  Topics.outputBlocked,
);
export type OutputBlocked = z.infer<typeof OutputBlocked.schema>;

/** A step attempt could not produce an output (model error, timeout). */
export const StepFailed = defineEvent(
  'step.failed',
  1,
  z.object({
    ...StepRef,
    /** What went wrong. */
    error: ErrorInfo,
    /** Tool calls the attempt made. */
    toolCalls: z.number().int().nonnegative().optional(),
  }),
  Topics.stepFailed,
);
export type StepFailed = z.infer<typeof StepFailed.schema>;

/** Tokens one model call used; the cost accountant prices it. */
export const LlmUsage = defineEvent(
  'llm.usage',
  1,
  z.object({
    ...StepRef,
    /** Catalog id of the model called. */
    model: z.string(),
    /** Provider name from the catalog. */
    provider: z.string(),
    /** Prompt (input) tokens. */
    promptTokens: z.number().int().nonnegative(),
    /** Completion (output) tokens. */
    completionTokens: z.number().int().nonnegative(),
    /** Wall time of the call in milliseconds. */
    latencyMs: z.number().nonnegative(),
    /** The budget reservation made before the call, which the cost accountant settles at the actual cost. */
    reservation: z
      .object({
        /** Reservation id in the budget ledger. */
        id: z.string().min(1).max(200),
        /** Ids of the budgets it holds in. */
        scopes: z.array(z.string().min(1)).min(1),
        /** Worst case reserved, integer micro-dollars; what an estimated usage is charged. Absent from older agents. */
        amountMicros: z.number().int().nonnegative().optional(),
      })
      .optional(),
    /**
     * True when the call was cut off by a crash of the agent that made it: a rerun of the step
     * found its reservation still held. Its tokens are unknown (0 here), and the cost accountant
     * charges the reservation's worst case (`reservation.amountMicros`), as a provider bills a
     * call whose client went away. Absent on a call that returned.
     */
    estimated: z.literal(true).optional(),
  }),
  Topics.llmUsage,
);
export type LlmUsage = z.infer<typeof LlmUsage.schema>;

/** The cost accountant priced a model call. Amounts are integer micro-dollars. */
export const SpendRecorded = defineEvent(
  'spend.recorded',
  1,
  z.object({
    /** Event id of the priced `llm.usage`. */
    usageEventId: z.string().uuid(),
    /** Model priced. */
    model: z.string(),
    /** Cost of this call. */
    costMicros: z.number().int().nonnegative(),
    /** Task's spend so far. */
    taskTotalMicros: z.number().int().nonnegative(),
    /** Tenant's spend so far. */
    tenantTotalMicros: z.number().int().nonnegative(),
  }),
  Topics.spendRecorded,
);
export type SpendRecorded = z.infer<typeof SpendRecorded.schema>;

/** Terminal: the task produced an approved result. */
export const TaskCompleted = defineEvent(
  'task.completed',
  1,
  z.object({
    /** The approved output (of the result step, for a workflow). */
    result: z.unknown(),
    /** Attempts the step took (the most any step took, for a workflow). */
    attempts: z.number().int().positive(),
    /** Outputs of every step, for a workflow. */
    stepOutputs: z.record(z.string(), z.unknown()).optional(),
  }),
  Topics.taskCompleted,
);
export type TaskCompleted = z.infer<typeof TaskCompleted.schema>;

/** Terminal: the task cannot be done and no human can help (e.g. unknown role). */
export const TaskFailed = defineEvent(
  'task.failed',
  1,
  z.object({
    /** Why. */
    reason: ErrorInfo,
    /** The planner's typed stop reason, when the planner stopped it. */
    stopReason: StopReason.optional(),
  }),
  Topics.taskFailed,
);
export type TaskFailed = z.infer<typeof TaskFailed.schema>;

/** What a human reviewer sees for an escalation: what was tried, what came out, what it cost. */
export const ReviewBundle = z.object({
  /** Step the task stopped at, when one did. */
  stepId: z.string().optional(),
  /** Role of that step. */
  role: AgentRole.optional(),
  /** The question put to the human. */
  question: z.string(),
  /** What each attempt of the step ended with, oldest first. */
  history: z.array(z.object({ attempt: z.number().int().positive(), outcome: z.string(), reason: z.string() })),
  /** Outputs of the steps done so far. */
  stepOutputs: z.record(z.string(), z.unknown()),
  /** The output waiting for approval, for an approval or a debate tie. */
  pendingOutput: z.unknown().optional(),
  /** Choices a human may answer with (a debate's choices). */
  choices: z.array(z.string()).optional(),
  /** Spend of the task so far, micro-dollars. */
  spentMicros: z.number().int().nonnegative(),
  /** Steps run so far. */
  stepsRun: z.number().int().nonnegative(),
});
export type ReviewBundle = z.infer<typeof ReviewBundle>;

/** Decisions a human (or the escalation timeout) can take. */
export const DecisionAction = z.enum(['approve', 'reject', 'edit', 'answer']);
export type DecisionAction = z.infer<typeof DecisionAction>;

/**
 * The task waits for a human: attempts ran out, a step needs approval, or a debate tied.
 * A `task.decision` with the same escalation id resumes it; none before `expiresAt`
 * applies `onTimeout`.
 */
export const TaskEscalated = defineEvent(
  'task.escalated',
  1,
  z.object({
    /** Id of this escalation; a decision names it. */
    escalationId: z.string().min(1),
    /** Why the task was escalated. */
    reason: ErrorInfo,
    /** The planner's typed stop reason. */
    stopReason: StopReason.optional(),
    /** Attempts made before escalating. */
    attempts: z.number().int().nonnegative(),
    /** What each attempt ended with, oldest first. */
    history: z.array(z.object({ attempt: z.number().int().positive(), outcome: z.string(), reason: z.string() })),
    /** Decisions that make sense for this escalation. */
    allowed: z.array(DecisionAction),
    /** Everything a reviewer needs. */
    bundle: ReviewBundle,
    /** When the escalation times out (ISO 8601). */
    expiresAt: z.string().datetime(),
    /** What a timeout does. */
    onTimeout: z.enum(['fail', 'approve']),
  }),
  Topics.taskEscalated,
);
export type TaskEscalated = z.infer<typeof TaskEscalated.schema>;

/**
 * A human's decision on an escalation (or its timeout). `approve`: accept the pending
 * output, or give the step a fresh set of attempts; `reject`: fail the task; `edit`: use
 * `output` as the step's output; `answer`: retry the step with `answer` as guidance (or,
 * for a debate tie, pick `answer` among the choices).
 */
export const TaskDecision = defineEvent(
  'task.decision',
  1,
  z.object({
    /** The escalation decided. */
    escalationId: z.string().min(1),
    action: DecisionAction,
    /** Replacement output, for `edit`. */
    output: z.unknown().optional(),
    /** The human's answer, for `answer`. */
    answer: z.string().min(1).max(4000).optional(),
    /** Who decided (a user name, or `timeout`). */
    decidedBy: z.string().min(1).max(200),
    /** Free-text note kept in the audit trail. */
    comment: z.string().max(2000).optional(),
  }),
  Topics.taskDecision,
);
export type TaskDecision = z.infer<typeof TaskDecision.schema>;

/** The planner agent's plan (validated), for the router to choose a model per step. */
export const PlanProposed = defineEvent(
  'plan.proposed',
  1,
  z.object({
    /** 1 for the first plan, +1 for each replan. */
    revision: z.number().int().positive(),
    plan: Plan,
    /** The task's needs and policy, which apply to every step. */
    needs: TaskNeeds.optional(),
    routingPolicy: RoutingPolicy.optional(),
    /** The task's type (the policy may depend on it). */
    taskType: z.string(),
    /** The task's input, part of every step's prompt. */
    input: TaskInput,
  }),
  Topics.planProposed,
);
export type PlanProposed = z.infer<typeof PlanProposed.schema>;

/** The router's answer to a proposed plan: each step with its model, or why no model fits. */
export const PlanRouted = defineEvent(
  'plan.routed',
  1,
  z.object({
    revision: z.number().int().positive(),
    /** The routed plan; absent when a step has no eligible model. */
    plan: Plan.optional(),
    decision: RoutingDecision,
    /** Why the plan cannot run, when it cannot. */
    error: ErrorInfo.optional(),
  }),
  Topics.planRouted,
);
export type PlanRouted = z.infer<typeof PlanRouted.schema>;

/** A specialist handed its step to another specialist (it called the `handoff` tool). */
export const StepHandoff = defineEvent(
  'step.handoff',
  1,
  z.object({
    ...StepRef,
    fromRole: AgentRole,
    toRole: AgentRole,
    /** Why the specialist handed off. */
    reason: z.string().max(2000),
    /** What the next specialist needs to know, written by the one handing off. */
    note: z.string().max(8000),
    /** Tool calls the attempt made, the hand-off included. */
    toolCalls: z.number().int().nonnegative(),
  }),
  Topics.stepHandoff,
);
export type StepHandoff = z.infer<typeof StepHandoff.schema>;

/** How much a tool call can change outside Baton: the permission policy keys on it. */
export const SideEffect = z.enum(['read', 'write', 'destructive']);
export type SideEffect = z.infer<typeof SideEffect>;

/** What the guardrails decided on a proposed tool call. */
export const ToolDecision = z.enum(['allow', 'deny', 'approval', 'record']);
export type ToolDecision = z.infer<typeof ToolDecision>;

/** Identifies one tool call of one attempt, and the agent instance waiting for its verdict. */
const ToolCallRef = {
  ...StepRef,
  /** Id of the call, unique to one run of one attempt (a run after a crash or retry proposes new ids). */
  callId: z.string().min(1).max(200),
  /** Registered tool name. */
  tool: z.string().min(1).max(64),
  /** Agent instance waiting for the verdict; others ignore it. */
  replyTo: z.string().min(1).max(200),
};

/** An agent wants to run a tool; nothing runs before the guardrails answer. */
export const ToolProposed = defineEvent(
  'tool.proposed',
  1,
  z.object({
    ...ToolCallRef,
    role: AgentRole,
    /** The side-effect class the tool declares. */
    sideEffect: SideEffect,
    /** Arguments as the model wrote them, parsed and validated against the tool's schema (placeholders, never un-redacted values). */
    args: z.record(z.string(), z.unknown()),
    /**
     * Untrusted content the attempt's model had read before it proposed the call (`input` for
     * an input marked untrusted, `tool:<name>` for results of tools whose results are
     * third-party text), and the arguments that carry values taken from it.
     */
    flows: z
      .array(z.object({ source: z.string().min(1).max(80), fields: z.array(z.string().min(1).max(200)).max(64) }))
      .max(32)
      .default([]),
  }),
  Topics.toolProposed,
);
export type ToolProposed = z.infer<typeof ToolProposed.schema>;

/** The guardrails' verdict on a proposed tool call, from the permission policy. */
export const ToolVerdict = defineEvent(
  'tool.verdict',
  1,
  z.object({
    ...ToolCallRef,
    decision: ToolDecision,
    /** Why, in words the model and an auditor can read. */
    reason: z.string().max(2000),
    /** Policy rule that decided, when one matched. */
    rule: z.string().optional(),
    /** PII kinds the tool may receive un-redacted for this call. */
    unredact: z.array(z.string()).default([]),
    /** Arguments (dotted paths) into which those kinds may be put back; none when absent. */
    unredactFields: z.array(z.string()).default([]),
    /**
     * Hash of the arguments that were screened (stable JSON, sha256, 16 hex): the agent runs
     * the call only when it matches the arguments it holds. Absent from older guardrails, whose
     * verdicts the agent then refuses.
     */
    argsHash: z.string().min(1).max(64).optional(),
  }),
  Topics.toolVerdict,
);
export type ToolVerdict = z.infer<typeof ToolVerdict.schema>;

/** A budget scope fell below its low-water mark: the router switches the tenant to cheaper models. */
export const BudgetLow = defineEvent(
  'budget.low',
  1,
  z.object({
    /** Scope id, e.g. `tenant:acme:day:2026-11-24`. */
    scope: z.string(),
    /** `task`, `tenant` or `global`. */
    level: z.enum(['task', 'tenant', 'global']),
    limitMicros: z.number().int().nonnegative(),
    remainingMicros: z.number().int(),
  }),
  Topics.budget,
);
export type BudgetLow = z.infer<typeof BudgetLow.schema>;

/** A model call was refused because a budget could not cover its worst-case cost. */
export const BudgetExhausted = defineEvent(
  'budget.exhausted',
  1,
  z.object({
    ...StepRef,
    scope: z.string(),
    level: z.enum(['task', 'tenant', 'global']),
    limitMicros: z.number().int().nonnegative(),
    spentMicros: z.number().int().nonnegative(),
    reservedMicros: z.number().int().nonnegative(),
    /** Worst-case cost of the refused call. */
    requestedMicros: z.number().int().nonnegative(),
    model: z.string(),
  }),
  Topics.budget,
);
export type BudgetExhausted = z.infer<typeof BudgetExhausted.schema>;

/** What an audit entry is about. */
export const AuditCategory = z.enum(['input', 'output', 'tool', 'human', 'budget', 'rate']);
export type AuditCategory = z.infer<typeof AuditCategory>;

/**
 * One entry of a task's audit trail: every guard verdict, tool call, human decision and
 * budget event. Kept on a long-retention topic; the guardrails index it per task.
 */
export const AuditRecorded = defineEvent(
  'audit.recorded',
  1,
  z.object({
    category: AuditCategory,
    /** Who decided or acted: a service (`guardrails`), an agent role (`agent:risk`), a human (`human:<id>`). */
    actor: z.string().min(1).max(200),
    /** What happened, e.g. `admit`, `redact`, `allow`, `deny`, `ran`, `reserve_refused`. */
    decision: z.string().min(1).max(100),
    /** Why, for a reader. Never carries the redacted values themselves. */
    reason: z.string().max(2000),
    /** What it was about: a step id, tool name, scope. */
    subject: z.string().max(200).optional(),
    /** Trace of the task, so an auditor can open the spans. */
    traceId: z.string().optional(),
    /** Small structured details (counts, rule ids, amounts). */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  Topics.audit,
);
export type AuditRecorded = z.infer<typeof AuditRecorded.schema>;

/** Every event definition, in pipeline order. */
export const EVENT_DEFINITIONS = [
  TaskSubmitted,
  TaskAdmitted,
  TaskRejected,
  TaskRouted,
  StepRequested,
  OutputProposed,
  OutputApproved,
  OutputBlocked,
  StepFailed,
  LlmUsage,
  SpendRecorded,
  TaskCompleted,
  TaskFailed,
  TaskEscalated,
  TaskDecision,
  PlanProposed,
  PlanRouted,
  StepHandoff,
  ToolProposed,
  ToolVerdict,
  BudgetLow,
  BudgetExhausted,
  AuditRecorded,
] as const;

/** Any Baton event. */
export type BatonEvent = z.infer<(typeof EVENT_DEFINITIONS)[number]['schema']>;
/** The type string of any Baton event. */
export type BatonEventType = BatonEvent['type'];
/** The event whose type is `T`. */
export type EventOfType<T extends BatonEventType> = Extract<BatonEvent, { type: T }>;
