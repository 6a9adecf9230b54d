import type { DecisionAnswer, DecisionView, EscalationSummary, EscalationView } from './escalation-view';
import { formatUsd } from './format';

const QUESTION_WIDTH = 60;

function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** Open escalations as a table, oldest first, with how to look at one. */
export function formatEscalationTable(list: EscalationSummary[]): string {
  if (list.length === 0) return 'No open escalations.';
  const rows = list.map((e) => [e.taskId, e.taskType, e.allowed.join(','), e.expiresAt, oneLine(e.question, QUESTION_WIDTH)]);
  const header = ['TASK', 'TYPE', 'ALLOWED', 'EXPIRES', 'QUESTION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const n = list.length;
  return [line(header), ...rows.map(line), '', `${n} open escalation${n === 1 ? '' : 's'}; show one with: baton escalation <task>`].join('\n');
}

/** A decision as one line: what, by whom, when, and the comment. */
export function formatDecision(d: DecisionView): string {
  const what = d.action === 'answer' && d.answer !== undefined ? `answer "${oneLine(d.answer, QUESTION_WIDTH)}"` : d.action;
  return `${what} by ${d.decidedBy} at ${d.decidedAt}${d.comment ? ` (${d.comment})` : ''}`;
}

/** An escalation with everything a reviewer needs, and how to decide it. */
export function formatEscalation(e: EscalationView): string {
  const b = e.bundle;
  const lines = [`Escalation ${e.escalationId} of task ${e.taskId} (${e.taskType}) is ${e.status}`];
  const field = (name: string, value: string) => lines.push(`  ${name.padEnd(9)}${value}`);
  field('reason', `${e.reason.kind}/${e.reason.code}: ${e.reason.message}`);
  if (e.stopReason) field('stop', e.stopReason);
  if (b.stepId) field('step', b.role ? `${b.stepId} (role ${b.role})` : b.stepId);
  field('allowed', e.allowed.join(', '));
  field('expires', `${e.expiresAt} (then: ${e.onTimeout === 'approve' ? 'approve' : 'reject'})`);
  field('spent', `${formatUsd(b.spentMicros)} over ${b.stepsRun} step${b.stepsRun === 1 ? '' : 's'}`);
  lines.push('Question:', indent(b.question));
  if (b.choices && b.choices.length > 0) lines.push(`Choices: ${b.choices.join(', ')}`);
  if (b.history.length > 0) {
    lines.push('Attempts:');
    for (const h of b.history) lines.push(`  #${h.attempt} ${h.outcome}: ${h.reason}`);
  }
  if (b.pendingOutput !== undefined) lines.push('Pending output:', indent(json(b.pendingOutput)));
  const outputs = Object.entries(b.stepOutputs);
  if (outputs.length > 0) {
    lines.push('Step outputs:');
    for (const [step, output] of outputs) lines.push(`  ${step}:`, indent(json(output), '    '));
  }
  if (e.decision) lines.push(`Decision: ${formatDecision(e.decision)}`);
  if (e.status === 'open') lines.push(`Decide with: baton decide ${e.taskId} <${e.allowed.join('|')}>`);
  return lines.join('\n');
}

/** The gateway accepted a decision. */
export function formatDecisionAnswer(a: DecisionAnswer): string {
  const head = a.duplicate
    ? `Decision on task ${a.taskId} was already recorded; sent it again`
    : `Decision on task ${a.taskId} recorded`;
  return `${head}: ${formatDecision(a.decision)} (escalation ${a.escalationId}); follow it with: baton status ${a.taskId}`;
}
