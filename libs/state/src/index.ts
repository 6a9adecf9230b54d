export { StateStore, type StateStoreOptions } from './state-store';
export {
  TaskStateRepository,
  type NewTask,
  type NewSubmission,
  type SubmitResult,
  type TransitionOptions,
  type TransitionResult,
} from './task/task-state.repository';
export { type TaskRecord, type TaskHistoryEntry, type TransitionFields } from './task/task-record';
export { CorruptRecordError } from './records/state-record';
export { TaskContextStore } from './context/task-context.store';
export { VersionedValueStore, type Versioned } from './context/versioned-value.store';
export { CallReservations, MAX_GENERATIONS, callReservationId, cutOffUsage, probeCallSlot, type CallLedger, type CallSlot, type OrphanReservation, type ReservationReader } from './budget/call-reservations';
export { WorkLeases, DEFAULT_LEASE_DONE_TTL_SECONDS, type LeaseState } from './leases/work-leases';
export { DeadlineIndex } from './deadlines/deadline-index';
export { RedisDedupeStore, DEFAULT_DEDUPE_TTL_SECONDS } from './dedupe/dedupe.store';
export { SpendLedger, type UsageCharge, type SpendResult } from './spend/spend-ledger';
export {
  BudgetLedger,
  budgetScopeIds,
  DEFAULT_LOW_WATERMARK,
  MAX_BUDGET_SCOPES,
  type BudgetScope,
  type BudgetScopeState,
  type ReserveInput,
  type ReserveResult,
  type ReserveGranted,
  type ReserveRefusedBudget,
  type ReserveRefusedClosed,
  type SettleInput,
  type SettleResult,
  type ReservationState,
} from './budget/budget-ledger';
export {
  RateLimiter,
  rateScopeIds,
  type RateScope,
  type TakeInput,
  type TakeResult,
  type RefundInput,
  type RateScopeState,
  type RateLimiterOptions,
} from './rate/rate-limiter';
export { IdempotencyKeys, type ClaimResult, DEFAULT_IDEMPOTENCY_TTL_SECONDS } from './idempotency/idempotency-keys';
export { utcDay, checkDay } from './keys';
export {
  ModelBreakers,
  DEFAULT_BREAKER_POLICY,
  resolveBreakerPolicy,
  type BreakerPolicy,
  type BreakerState,
  type BreakerChange,
} from './breakers/model-breakers';
export { EscalationStore, type OpenResult, type DueEscalation, type ListOpenOptions } from './escalations/escalation.store';
export {
  EscalationRecord,
  EscalationStatus,
  EscalationDecision,
  NewEscalation,
  DecisionInput,
  type EscalationChange,
} from './escalations/escalation-record';
export {
  ToolLedger,
  ToolLedgerKeys,
  ToolCallInFlightError,
  DEFAULT_TOOL_RESULT_TTL_SECONDS,
  DEFAULT_TOOL_LEASE_MS,
  DEFAULT_TOOL_WAIT_MS,
  DEFAULT_TENANT_LEDGER_MAX,
  type ToolLedgerRecord,
  type ToolLedgerEntry,
  type ToolLedgerOptions,
} from './tools/tool-ledger';
export { ToolCallCounter } from './tools/tool-call-counter';
export { RedriveLog, REDRIVE_LOG_TTL_SECONDS, type RedriveEntry } from './redrive/redrive-log';
export { AuditTrail, AUDIT_TRAIL_TTL_SECONDS, type AuditTrailEntry } from './audit/audit-trail';
