import type { TaskStatus } from '@baton/contracts';
import type { SubmitAnswer, TaskView } from './task-view';

/** Process exit codes; scripts branch on them. */
export const ExitCode = {
  /** Completed (or, for `status`, not finished yet). */
  ok: 0,
  /** The CLI could not do its job: gateway unreachable, request refused, bad arguments. */
  error: 1,
  /** The task ended without a result: rejected, failed or escalated. */
  taskUnsuccessful: 2,
  /** `submit` stopped waiting before the task finished; it may still complete. */
  stillRunning: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const UNSUCCESSFUL: ReadonlySet<TaskStatus> = new Set<TaskStatus>(['rejected', 'failed', 'escalated']);

/** Exit code for a task in this status. */
export function exitCodeFor(status: TaskStatus): ExitCode {
  return UNSUCCESSFUL.has(status) ? ExitCode.taskUnsuccessful : ExitCode.ok;
}

/** Micro-dollars as dollars with all six decimals, computed on integers so nothing is lost to rounding. */
export function formatUsd(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(micros));
  return `${sign}$${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}

/** A task as a short report: headline, fields, then the result or the reason. */
export function formatTask(view: TaskView): string {
  const lines = [`Task ${view.taskId} ${view.status} (${view.taskType})`];
  const field = (name: string, value: string) => lines.push(`  ${name.padEnd(9)}${value}`);
  if (view.error) field('reason', `${view.error.kind}/${view.error.code}: ${view.error.message}`);
  field('attempts', String(view.attempts));
  field('cost', formatUsd(view.costMicros));
  if (view.model) field('model', view.role ? `${view.model} (role ${view.role})` : view.model);
  field('trace', view.traceId ?? '(none)');
  field('updated', view.updatedAt);
  if (view.escalation) {
    lines.push('Waiting for a human:', `  ${view.escalation.question}`);
    lines.push(`  decide by ${view.escalation.expiresAt}: baton escalation ${view.taskId}, then baton decide ${view.taskId} <${view.escalation.allowed.join('|')}>`);
  }
  if (view.result !== undefined) {
    lines.push('Result:');
    lines.push(typeof view.result === 'string' ? view.result : JSON.stringify(view.result, null, 2));
  }
  return lines.join('\n');
}

/** The gateway accepted a submission. */
export function formatAccepted(answer: SubmitAnswer): string {
  const dup = answer.duplicate ? ' (same idempotency key as an earlier submission: showing that task)' : '';
  return `Submitted task ${answer.taskId}, status ${answer.status}, trace ${answer.traceId ?? '(none)'}${dup}`;
}

/** One line per status change while waiting. */
export function formatProgress(taskId: string, status: TaskStatus, elapsedMs: number): string {
  return `  ${(elapsedMs / 1000).toFixed(1).padStart(5)} s  ${taskId} ${status}`;
}

/** Waiting ran out before the task finished. */
export function formatStillRunning(taskId: string, status: TaskStatus, timeoutSeconds: number): string {
  return `Task ${taskId} is still ${status} after ${timeoutSeconds} s; check later with: baton status ${taskId}`;
}
