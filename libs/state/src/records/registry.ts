import { TaskSubmitted, parseEvent } from '@baton/contracts';
import { AUDIT_ENTRY_VERSION, AuditEntryJson } from '../audit/audit-record';
import { BREAKER_RECORD_VERSION, BreakerHash } from '../breakers/breaker-record';
import {
  BUDGET_HOLDS_VERSION,
  BUDGET_RESERVATION_VERSION,
  BUDGET_SCOPE_VERSION,
  BudgetHoldsHash,
  BudgetReservationHash,
  BudgetScopeHash,
  readReservation,
} from '../budget/budget-records';
import { ESCALATION_RECORD_VERSION, EscalationHash, decodeEscalation } from '../escalations/escalation-record';
import { WORK_LEASE_RECORD_VERSION, WorkLeaseHash } from '../leases/lease-record';
import { RATE_OP_RECORD_VERSION, RateOpHash } from '../rate/rate-records';
import { REDRIVE_ENTRY_VERSION, RedriveEntryJson } from '../redrive/redrive-record';
import { SPEND_RECORDS_VERSION, TaskUsageHash, TenantSpendByDayHash, TenantSpendByModelHash } from '../spend/spend-records';
import { TASK_RECORD_VERSION, TaskHash, decodeTaskRecord } from '../task/task-record';
import { TOOL_CALLS_VERSION, TOOL_LEDGER_ENTRY_VERSION, TOOL_RUN_VERSION, ToolCallsHash, ToolLedgerEntryJson, ToolRunValue } from '../tools/tool-records';
import type { StateRecordVersion } from './state-record';

const asHash = (value: unknown): Record<string, string> => value as Record<string, string>;

/** A reader must find a record in what the fixture holds, not answer "none". */
function found<T>(kind: string, value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error(`the ${kind} reader found no record`);
  return value;
}

/**
 * Every version of every record the state lib keeps in Redis. A new version is added next to
 * the old ones (which stay as long as such records may still be stored); the last entry of a
 * kind is its current version, the one the stores write.
 *
 * Not listed: plain values (totals, TATs, op markers, pointers, dedupe marks, idempotency
 * claims), the sorted-set indexes (members are ids), and the task context's values, which
 * belong to the services that write them.
 */
export const STATE_RECORDS: readonly StateRecordVersion[] = [
  {
    kind: 'task',
    version: TASK_RECORD_VERSION,
    storage: 'hash',
    key: 'KeySpace.task',
    schema: TaskHash,
    read: (value) => found('task', decodeTaskRecord('fixture', asHash(value))),
  },
  {
    kind: 'task-submission',
    version: TaskSubmitted.version,
    storage: 'json',
    key: 'KeySpace.taskSubmission',
    schema: TaskSubmitted.schema,
    read: (value) => {
      const event = parseEvent(value);
      if (event.type !== 'task.submitted') throw new Error(`holds a ${event.type}`);
      return event;
    },
  },
  {
    kind: 'escalation',
    version: ESCALATION_RECORD_VERSION,
    storage: 'hash',
    key: 'KeySpace.escalation',
    schema: EscalationHash,
    read: (value) => found('escalation', decodeEscalation('fixture', asHash(value))),
  },
  {
    kind: 'budget-reservation',
    version: BUDGET_RESERVATION_VERSION,
    storage: 'hash',
    key: 'KeySpace.budgetReservation',
    schema: BudgetReservationHash,
    read: (value) => found('budget-reservation', readReservation(asHash(value))),
  },
  { kind: 'budget-scope', version: BUDGET_SCOPE_VERSION, storage: 'hash', key: 'KeySpace.budgetScope', schema: BudgetScopeHash },
  { kind: 'budget-holds', version: BUDGET_HOLDS_VERSION, storage: 'hash', key: 'KeySpace.budgetScopeHolds', schema: BudgetHoldsHash },
  { kind: 'task-usage', version: SPEND_RECORDS_VERSION, storage: 'hash', key: 'KeySpace.taskUsageEvents', schema: TaskUsageHash },
  { kind: 'tenant-spend-by-model', version: SPEND_RECORDS_VERSION, storage: 'hash', key: 'KeySpace.tenantSpendByModel', schema: TenantSpendByModelHash },
  { kind: 'tenant-spend-by-day', version: SPEND_RECORDS_VERSION, storage: 'hash', key: 'KeySpace.tenantSpendByDay', schema: TenantSpendByDayHash },
  { kind: 'breaker', version: BREAKER_RECORD_VERSION, storage: 'hash', key: 'KeySpace.modelBreaker', schema: BreakerHash },
  { kind: 'rate-op', version: RATE_OP_RECORD_VERSION, storage: 'hash', key: 'KeySpace.rateOp', schema: RateOpHash },
  { kind: 'work-lease', version: WORK_LEASE_RECORD_VERSION, storage: 'hash', key: 'KeySpace.workLease', schema: WorkLeaseHash },
  { kind: 'tool-run', version: TOOL_RUN_VERSION, storage: 'string', key: 'ToolLedgerKeys.run', schema: ToolRunValue },
  { kind: 'tool-ledger-entry', version: TOOL_LEDGER_ENTRY_VERSION, storage: 'json', key: 'ToolLedgerKeys.task, ToolLedgerKeys.tenant (list items)', schema: ToolLedgerEntryJson },
  { kind: 'tool-calls', version: TOOL_CALLS_VERSION, storage: 'hash', key: '<KeySpace.taskContext>:toolcalls:<tool>', schema: ToolCallsHash },
  { kind: 'redrive', version: REDRIVE_ENTRY_VERSION, storage: 'json', key: 'dlq:redrive:{<topic>}:<partition>:<offset>', schema: RedriveEntryJson },
  { kind: 'audit-entry', version: AUDIT_ENTRY_VERSION, storage: 'json', key: 'audit:<taskId> (sorted-set members)', schema: AuditEntryJson },
];

/** The version of `kind` the stores write now (its last entry). */
export function currentRecordVersion(kind: string): StateRecordVersion {
  const versions = STATE_RECORDS.filter((r) => r.kind === kind);
  const current = versions[versions.length - 1];
  if (!current) throw new Error(`no record kind ${kind}`);
  return current;
}
