export { StateStore, type StateStoreOptions } from './state-store';
export {
  TaskStateRepository,
  type NewTask,
  type TransitionOptions,
  type TransitionResult,
} from './task-state.repository';
export { type TaskRecord, type TaskHistoryEntry, type TransitionFields, CorruptRecordError } from './task-record';
export { TaskContextStore } from './task-context.store';
export { DeadlineIndex } from './deadline-index';
export { RedisDedupeStore, DEFAULT_DEDUPE_TTL_SECONDS } from './dedupe.store';
export { SpendLedger, type UsageCharge, type SpendResult } from './spend-ledger';
export { IdempotencyKeys, type ClaimResult, DEFAULT_IDEMPOTENCY_TTL_SECONDS } from './idempotency-keys';
export { utcDay } from './keys';
export {
  ModelBreakers,
  DEFAULT_BREAKER_POLICY,
  resolveBreakerPolicy,
  type BreakerPolicy,
  type BreakerState,
  type BreakerChange,
} from './model-breakers';
export { EscalationStore, type OpenResult, type DueEscalation, type ListOpenOptions } from './escalation.store';
export {
  EscalationRecord,
  EscalationStatus,
  EscalationDecision,
  NewEscalation,
  DecisionInput,
  type EscalationChange,
} from './escalation-record';
