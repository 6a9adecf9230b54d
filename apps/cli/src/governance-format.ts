import { formatUsd } from './format';
import type { AuditView, SpendView } from './governance-view';

function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

/** A task's audit trail as a table, oldest first: time, category, actor, decision, subject, reason. */
export function formatAudit(view: AuditView): string {
  if (view.entries.length === 0) return `task ${view.taskId}: no audit entries yet`;
  const rows = [['time', 'category', 'actor', 'decision', 'subject', 'reason']];
  for (const e of view.entries) rows.push([e.at.slice(11, 23), e.category, e.actor, e.decision, e.subject ?? '-', e.reason]);
  const trace = view.entries.find((e) => e.traceId)?.traceId;
  return [`Audit trail of task ${view.taskId} (${view.entries.length} entries${trace ? `, trace ${trace}` : ''})`, ...pad(rows)].join('\n');
}

/** The tenant's spend: totals, per model, the day's budgets with what is reserved, and a task when asked. */
export function formatSpend(view: SpendView): string {
  const lines = [`Spend of ${view.tenantId}: ${formatUsd(view.dayMicros)} on ${view.day}, ${formatUsd(view.totalMicros)} in all`];
  const models = Object.entries(view.byModel).sort(([, a], [, b]) => b - a);
  if (models.length) lines.push(...pad([['model', 'spent'], ...models.map(([m, v]) => [m, formatUsd(v)])]).map((l) => `  ${l}`));
  if (view.budgets.length) {
    lines.push('Budgets');
    const rows = [['scope', 'limit', 'spent', 'reserved', 'left']];
    for (const b of view.budgets) {
      const left = b.limitMicros === null ? '-' : formatUsd(b.limitMicros - b.spentMicros - b.reservedMicros);
      rows.push([b.scope, b.limitMicros === null ? 'none' : formatUsd(b.limitMicros), formatUsd(b.spentMicros), formatUsd(b.reservedMicros), left]);
    }
    lines.push(...pad(rows).map((l) => `  ${l}`));
  }
  if (view.task) lines.push(`Task ${view.task.taskId}: ${formatUsd(view.task.spentMicros)}`);
  return lines.join('\n');
}
