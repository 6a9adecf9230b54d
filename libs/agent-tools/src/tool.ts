import { z } from 'zod';
import { SideEffect, type AgentRole, type TaskInput } from '@baton/contracts';

/**
 * What running a tool does outside Baton (the contracts' SideEffect, which proposals
 * carry): `read` changes nothing, `write` changes something that can be changed back (a
 * CRM field, an e-mail in an outbox), `destructive` something that cannot (money leaving
 * an account).
 */
export { SideEffect };

/**
 * Kinds of personal data the guardrails replace with placeholders (`[EMAIL_1]`); the same
 * kinds, in the same order, as the guard's redactor (a guard spec checks they agree). A tool
 * lists the ones it may need un-redacted.
 */
export const PiiKind = z.enum(['email', 'phone', 'card', 'iban', 'national_id', 'ip', 'secret', 'name', 'address']);
export type PiiKind = z.infer<typeof PiiKind>;

/** Names a model can call: lowercase snake_case, at most 64 characters. */
export const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Argument names a tool may not declare: tenant and task come from the step's envelope,
 * never from the model, so containment does not depend on what the model writes.
 */
const ENVELOPE_FIELDS = new Set(['tenantId', 'tenant', 'taskId', 'tenant_id', 'task_id']);

/** A tool call that could not run; the model reads the message and may try again. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

/** What a tool's ledger keeps of one call, besides the outcome. */
export interface ToolExecutionRecord {
  /** Tool name. */
  tool: string;
  /** The tool's side effect. */
  sideEffect: SideEffect;
  /** Tenant of the task, from the envelope. */
  tenantId: string;
  /** Task the call was made for. */
  taskId: string;
  /** Step of the task. */
  stepId: string;
  /** Attempt of the step. */
  attempt: number;
  /** Role of the agent that made the call. */
  role: AgentRole;
  /** The model's id of the call. */
  callId: string;
  /** The validated arguments. */
  args: Record<string, unknown>;
  /** Hash of the canonical JSON of `args`; a replay with other arguments has another hash. */
  argsHash: string;
}

/** One execution as the ledger holds it. */
export interface ToolExecution extends ToolExecutionRecord {
  /** Idempotency key the execution ran under. */
  key: string;
  /** When the effect finished, ISO 8601. */
  at: string;
  /** `ok`: the effect returned; `error`: it threw (and the key was released). */
  outcome: 'ok' | 'error';
  /** The error's message, when it threw. */
  error?: string;
}

/** What `execute` answers. */
export interface ExecuteOutcome<R> {
  /** The effect's result, or the stored result of the first execution under the key. */
  value: R;
  /** True when the effect did not run now because the key had already run. */
  replayed: boolean;
  /** False when a replay's arguments differ from those the key first ran with. */
  sameArgs: boolean;
}

/**
 * Where tools do their work. The backend runs each effect at most once per idempotency key
 * and tenant, keeps a ledger of every execution (the outbox: no real e-mail leaves, no real
 * money moves), and holds the tenant-scoped records the sample tools read.
 */
export interface ToolBackend {
  /**
   * Runs `effect` unless an execution under `key` (for `record.tenantId`) already
   * finished, in which case its stored result comes back with `replayed: true`. A call
   * made while another runs the same key waits for it. An effect that throws is recorded
   * as an error, releases the key (so it may run again) and the error is rethrown: a tool
   * must throw only when nothing happened.
   */
  execute<R>(key: string, record: ToolExecutionRecord, effect: () => Promise<R>): Promise<ExecuteOutcome<R>>;
  /** One record of a tenant's collection, or undefined (also for another tenant's id). */
  getRecord(tenantId: string, collection: string, id: string): Promise<Record<string, unknown> | undefined>;
  /** Every record of a tenant's collection. */
  listRecords(tenantId: string, collection: string): Promise<Record<string, unknown>[]>;
}

/**
 * Everything a tool knows about the call besides its arguments. Tenant and task come from
 * the step's envelope, never from the model's arguments.
 */
export interface ToolContext {
  tenantId: string;
  taskId: string;
  stepId: string;
  attempt: number;
  role: AgentRole;
  taskType: string;
  /** The model's id of this call. */
  callId: string;
  /** The step's input (already redacted). */
  input: TaskInput;
  backend: ToolBackend;
}

/** How a tool is declared. */
export interface ToolDefinition<A extends Record<string, unknown>, R> {
  /** Function-calling name, `^[a-z][a-z0-9_]{0,63}$`. */
  name: string;
  /** What the tool does; the model reads it. */
  description: string;
  sideEffect: SideEffect;
  /** Arguments: a zod object; unknown keys are refused. */
  args: z.ZodType<A>;
  /** What `run` returns; checked before the model reads it. */
  result: z.ZodType<R>;
  /**
   * The key the backend runs the effect under at most once. Reads usually key on the call
   * (each call runs); writes on what they change (a repeated change runs once).
   */
  idempotencyKey(args: A, ctx: ToolContext): string;
  /** Does the work. Throws ToolError for a call that cannot be done (the model reads why). */
  run(args: A, ctx: ToolContext): Promise<R>;
  /** True when the result carries third-party text that may hold injected instructions. */
  untrustedResult?: boolean;
  /**
   * Where the tool may need real values in place of placeholders, per argument (a dotted path
   * into the arguments, e.g. `to`): the kinds of personal data that argument may carry
   * un-redacted. Placeholders anywhere else stay placeholders, whatever the policy says.
   */
  needsRealValues?: Readonly<Record<string, readonly PiiKind[]>>;
  /**
   * The argument that names who receives what the call carries (an e-mail's `to`). Real
   * values go into other arguments only when that recipient is one the policy names
   * (`recipients` of its rule).
   */
  recipient?: string;
}

/** A declared tool; `args` refuses unknown keys. */
export interface Tool<A extends Record<string, unknown> = Record<string, unknown>, R = unknown> extends ToolDefinition<A, R> {
  readonly args: z.ZodType<A>;
  readonly untrustedResult: boolean;
  readonly needsRealValues: Readonly<Record<string, readonly PiiKind[]>>;
  /** Every kind some argument may carry un-redacted, in the order of PiiKind. */
  readonly realValueKinds: readonly PiiKind[];
  readonly recipient: string | undefined;
}

/** Declares a tool, checking what can be checked up front. Throws on a bad declaration. */
export function defineTool<A extends Record<string, unknown>, R>(def: ToolDefinition<A, R>): Tool<A, R> {
  if (!TOOL_NAME.test(def.name)) {
    throw new RangeError(`tool name must match ${TOOL_NAME.source}, got ${JSON.stringify(def.name)}`);
  }
  if (!def.description.trim()) throw new RangeError(`tool ${def.name} needs a description`);
  SideEffect.parse(def.sideEffect);
  if (!(def.args instanceof z.ZodObject)) throw new TypeError(`args of tool ${def.name} must be a zod object`);
  const envelope = Object.keys(def.args.shape).filter((k) => ENVELOPE_FIELDS.has(k));
  if (envelope.length) {
    throw new RangeError(`tool ${def.name} may not take ${envelope.join(', ')} as arguments: tenant and task come from the envelope`);
  }
  const needsRealValues = Object.fromEntries(
    Object.entries(def.needsRealValues ?? {}).map(([path, kinds]) => {
      if (!argumentExists(def.args, path)) throw new RangeError(`tool ${def.name}: needsRealValues names ${path}, which is not an argument`);
      return [path, [...new Set(kinds)].map((k) => PiiKind.parse(k))];
    }),
  );
  if (def.recipient !== undefined && !argumentExists(def.args, def.recipient)) {
    throw new RangeError(`tool ${def.name}: recipient ${def.recipient} is not an argument`);
  }
  const kinds = new Set(Object.values(needsRealValues).flat());
  return Object.freeze({
    ...def,
    // Unknown keys are refused so a model cannot slip in fields the policy never saw.
    args: def.args.strict() as unknown as z.ZodType<A>,
    untrustedResult: def.untrustedResult ?? false,
    needsRealValues,
    realValueKinds: PiiKind.options.filter((k) => kinds.has(k)),
    recipient: def.recipient,
  });
}

/** Whether a dotted path names an argument of a zod object schema (through nested objects). */
function argumentExists(schema: z.ZodType, path: string): boolean {
  let node: z.ZodType | undefined = schema;
  for (const key of path.split('.')) {
    while (node instanceof z.ZodOptional || node instanceof z.ZodDefault || node instanceof z.ZodNullable) node = node.unwrap() as z.ZodType;
    if (!(node instanceof z.ZodObject)) return false;
    node = (node.shape as Record<string, z.ZodType>)[key];
    if (!node) return false;
  }
  return true;
}
