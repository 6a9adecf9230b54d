import type { DeadLetterRecord } from '@baton/contracts';
import { tenantOfDeadLetter, type StoredDeadLetter } from '@baton/messaging';
import type { RedriveEntry } from '@baton/state';

/** One line of `GET /v1/dead-letters`. */
export interface DeadLetterSummary {
  /** The dead letter's address: its original topic, and its partition and offset on that topic's dead-letter twin. */
  topic: string;
  partition: number;
  offset: string;
  reason: DeadLetterRecord['reason'];
  /** `transient` (outlasted the retry budget), `poison`, or null for records older than the field. */
  kind: DeadLetterRecord['kind'] | null;
  eventId: string | null;
  consumerGroup: string;
  error: string;
  attempts: number;
  failedAt: string;
  truncated: boolean;
}

/** `GET /v1/dead-letters/:topic/:partition/:offset`: the whole record and its redrive, if any. */
export interface DeadLetterView extends DeadLetterSummary {
  record: DeadLetterRecord;
  redrive: RedriveEntry | null;
}

/**
 * Whether `tenantId` may see a dead letter: only when the dead-lettered event is its own
 * (the envelope's tenantId). A record with no tenant (not JSON, no envelope) belongs to
 * nobody the API can name; API keys have no admin role, so those stay for operators with
 * Kafka access (`kcat` on the `.dlt` topic).
 */
export function visibleTo(tenantId: string, dead: StoredDeadLetter): boolean {
  return tenantOfDeadLetter(dead.record) === tenantId;
}

/** The summary of a stored dead letter, addressed by its original topic. */
export function toDeadLetterSummary(dead: StoredDeadLetter): DeadLetterSummary {
  const r = dead.record;
  return {
    topic: r.originalTopic,
    partition: dead.partition,
    offset: dead.offset,
    reason: r.reason,
    kind: r.kind ?? null,
    eventId: r.eventId,
    consumerGroup: r.consumerGroup,
    error: r.error,
    attempts: r.attempts,
    failedAt: r.failedAt,
    truncated: r.truncated === true,
  };
}

/** The full view of one dead letter. */
export function toDeadLetterView(dead: StoredDeadLetter, redrive: RedriveEntry | null): DeadLetterView {
  return { ...toDeadLetterSummary(dead), record: dead.record, redrive };
}
