import type { TaskStatus } from '@baton/contracts';
import { Attr, Metric, metricCounter, metricHistogram } from '@baton/telemetry';

/** The statuses a task settles in (SETTLED_STATUSES): the outcomes `baton.tasks.settled` counts. */
export type SettledOutcome = Extract<TaskStatus, 'completed' | 'failed' | 'rejected' | 'escalated'>;

const settled = metricCounter(Metric.tasksSettled);
const duration = metricHistogram(Metric.taskDuration);

/**
 * Counts a task that just settled and records how long it took since it was submitted.
 * Call it once per settling, where the status transition was applied, so a redelivered
 * event does not count twice. Without a readable submission time only the count is kept.
 */
export function recordTaskSettled(outcome: SettledOutcome, tenantId: string, submittedAt: string | undefined, now: number = Date.now()): void {
  const attributes = { [Attr.taskOutcome]: outcome, [Attr.tenantId]: tenantId };
  settled.add(1, attributes);
  const since = submittedAt === undefined ? NaN : Date.parse(submittedAt);
  if (Number.isFinite(since) && now >= since) duration.record((now - since) / 1000, attributes);
}
