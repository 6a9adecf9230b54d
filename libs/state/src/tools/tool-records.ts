import { z } from 'zod';
import { CountText, IsoText, jsonText } from '../records/state-record';

/*
 * The tool ledger's records (see ToolLedger and ToolCallCounter). Their layout version is
 * not stored: see records/state-record.ts.
 */

/** Layout version of a run key's value (ToolLedgerKeys.run). Fixtures: tool-run@1*.json. */
export const TOOL_RUN_VERSION = 1;
/** Layout version of a ledger entry (the task's and the tenant's lists). Fixtures: tool-ledger-entry@1*.json. */
export const TOOL_LEDGER_ENTRY_VERSION = 1;
/** Layout version of a task's per-tool call hash (ToolCallCounter). Fixture: tool-calls@1.json. */
export const TOOL_CALLS_VERSION = 1;

/** Prefix of a run key's value while a caller runs the effect: `running <claim id>`. */
export const TOOL_RUN_RUNNING = 'running ';
/** Prefix of a run key's value once the effect returned: `done <json>`. */
export const TOOL_RUN_DONE = 'done ';

/** What a finished run keeps for replays. */
const ToolRunResult = z.strictObject({
  /** argsHash of the first run; a replay compares its own with it. */
  argsHash: z.string(),
  /** The effect's result (null when it returned nothing). */
  value: z.unknown(),
});

/** A run key's value: a claim, or the stored result. */
export const ToolRunValue = z.union([
  z.string().regex(/^running \S+$/, 'not a claim'),
  z
    .string()
    .startsWith(TOOL_RUN_DONE)
    .transform((text) => text.slice(TOOL_RUN_DONE.length))
    .pipe(jsonText(ToolRunResult)),
]);
export type ToolRunValue = z.infer<typeof ToolRunValue>;

/** One execution in the task's and the tenant's ledger (JSON list items; ToolLedgerEntry). */
export const ToolLedgerEntryJson = z.strictObject({
  tool: z.string().min(1),
  tenantId: z.string().min(1),
  taskId: z.string().min(1),
  args: z.record(z.string(), z.unknown()),
  argsHash: z.string(),
  stepId: z.string().optional(),
  attempt: z.number().int().optional(),
  role: z.string().optional(),
  callId: z.string().optional(),
  sideEffect: z.string().optional(),
  /** Idempotency key it ran under. */
  key: z.string().min(1),
  at: IsoText,
  outcome: z.enum(['ok', 'error']),
  /** The error's message, when it threw. */
  error: z.string().optional(),
});
export type ToolLedgerEntryJson = z.infer<typeof ToolLedgerEntryJson>;

/** A task's calls of one tool: `#` → calls numbered so far, call key → its 1-based number. */
export const ToolCallsHash = z.record(z.string().min(1), CountText);
export type ToolCallsHash = z.infer<typeof ToolCallsHash>;
