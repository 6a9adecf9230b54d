import { z } from 'zod';

/** Specialist roles an agent deployment can play; each has its own step topic. */
export const AgentRole = z.enum(['general', 'sales', 'recruiting']);
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
});
export type TaskNeeds = z.infer<typeof TaskNeeds>;

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
});
export type TaskSpec = z.infer<typeof TaskSpec>;

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
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'rejected', 'escalated'];
