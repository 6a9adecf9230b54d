import type { AgentRole, DecisionAction, ErrorInfo, Pattern, Plan, RoutingPolicy, StepRequested, StopReason, TaskInput, TaskNeeds } from '@baton/contracts';
import type { AttemptRecord } from '../step-policy';

/** What a dispatched step is: a plan step, the planner agent's call, a debate voter or a debate's judge. */
export type StepKind = 'step' | 'planning' | 'participant' | 'judge';

/** Where one step of a run is. */
export interface StepRun {
  kind: StepKind;
  /** `waiting`: its output waits for a human's approval. */
  status: 'running' | 'done' | 'waiting';
  /** Attempt number carried by the step's events; grows with retries and hand-offs. */
  attempt: number;
  /** Attempt at which the current holder started (a hand-off or a human's go-ahead starts a fresh count). */
  since: number;
  role: AgentRole;
  model: string;
  fallbackModels?: string[];
  output?: unknown;
  history: AttemptRecord[];
  /** Roles that have held the step, in order; more than one after hand-offs. */
  holders: AgentRole[];
  /** What the last specialist told the next one when handing off. */
  handoff?: { from: AgentRole; reason: string; note: string };
  /** Answers a human gave for this step. */
  guidance: string[];
  /** The debate step a participant or judge belongs to. */
  parent?: string;
}

/** An escalation the run waits on; `id` is filled in by the service when it records it. */
export interface PendingEscalation {
  id?: string;
  stopReason: StopReason;
  stepId?: string;
  allowed: DecisionAction[];
  pendingOutput?: unknown;
  /** A tool call waiting for the human's approval. */
  toolCall?: PendingToolCall;
  choices?: string[];
  /** When it was raised, ms; the deadline is pushed back by the time spent waiting. */
  at: number;
}

/** Effective limits of a run. */
export interface RunLimits {
  maxSteps: number;
  maxAttemptsPerStep: number;
  maxReplans: number;
  maxToolCalls: number;
  maxHandoffs: number;
  deadlineAt: number;
  escalationTimeoutSeconds: number;
  onEscalationTimeout: 'fail' | 'approve';
  /** The task's own spend cap (micro-dollars), passed to agents with every step. */
  maxCostMicros?: number;
  /** What an exhausted budget does: stop the task (default) or escalate it. */
  onBudgetExhausted?: 'stop' | 'escalate';
}

/** Everything the planner remembers about a running task; stored as one JSON value. */
export interface RunState {
  pattern: Pattern;
  /** The plan in force; null while the planner agent is writing it. */
  plan: Plan | null;
  /** Revision of the plan in force (0: none yet) and the revision waiting for the router. */
  revision: number;
  awaitingRevision?: number;
  task: { taskType: string; instruction: string; input: TaskInput; needs?: TaskNeeds; routingPolicy?: RoutingPolicy };
  /** Model of the planner agent, for the plan pattern. */
  planner?: { model: string; fallbackModels?: string[] };
  limits: RunLimits;
  steps: Record<string, StepRun>;
  /** Fingerprints of every step dispatched (role + instruction + input), to catch loops. */
  fingerprints: string[];
  /** Fingerprints of every plan the planner agent proposed, to catch a planner repeating itself. */
  planFingerprints: string[];
  counters: { stepsRun: number; replans: number; toolCalls: number; handoffs: number };
  /** Outputs of the steps of earlier plan revisions, handed to later ones. */
  previous: Record<string, unknown>;
  escalation?: PendingEscalation;
}

/** The step fields the planner decides; the service adds nothing but the envelope. */
export type DispatchedStep = StepRequested['data'];

/** What the planner must do after an event. */
export type Action =
  | { type: 'dispatch'; step: DispatchedStep }
  | { type: 'propose'; revision: number; plan: Plan }
  | { type: 'complete'; result: unknown; stepOutputs: Record<string, unknown>; attempts: number }
  | { type: 'stop'; stopReason: StopReason; reason: ErrorInfo; history: AttemptRecord[] }
  | { type: 'escalate'; escalation: PendingEscalation; reason: ErrorInfo; history: AttemptRecord[]; role?: AgentRole }
  | { type: 'ignore'; why: string }
  /** A human approved this tool call: the guardrails allow it when the rerun proposes it again. */
  | { type: 'grant'; toolCall: PendingToolCall; decidedBy: string }
  /** The run began: the task moves to `running`, with this deadline. */
  | { type: 'started'; deadlineAt: number }
  /** A decision resumes the run: the task moves back to `running`, with this (pushed back) deadline. */
  | { type: 'resumed'; deadlineAt: number }
  /** The escalation was acted on (last, once everything it caused is carried out). */
  /** A human's (or the timeout's) decision was applied: the escalation is marked resumed and the decision audited. */
  | { type: 'decided'; escalationId: string; action?: string; decidedBy?: string; comment?: string };

/** Defaults applied where a task sets no limit. */
export interface LimitDefaults {
  maxSteps: number;
  maxAttemptsPerStep: number;
  deadlineSeconds: number;
  maxReplans?: number;
  maxToolCalls?: number;
  maxHandoffs?: number;
  escalationTimeoutSeconds?: number;
  onEscalationTimeout?: 'fail' | 'approve';
  onBudgetExhausted?: 'stop' | 'escalate';
  /** Whether a submitter's `escalation.onTimeout: approve` is honoured (else its escalations fail on timeout). */
  allowSubmitterApproveOnTimeout?: boolean;
}

/** What an attempt reported besides its output. */
export interface AttemptReport {
  /** Tool calls the attempt made. */
  toolCalls?: number;
  /** Error code of a failed attempt. */
  code?: string;
  /** The output the guard held for a human (`output_escalated`). */
  output?: unknown;
  /** The tool call that needs a human's approval (`approval_required`). */
  toolCall?: PendingToolCall;
}

/** A tool call held for a human's approval. */
export interface PendingToolCall {
  tool: string;
  args: Record<string, unknown>;
}
