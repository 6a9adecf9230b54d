import { type Io, UsageError, reportErrors } from './commands';
import type { DeadLetterSummary, DeadLetterView, RedriveAnswer } from './dlq-view';
import { ExitCode } from './format';
import type { GatewayClient } from './gateway-client';

/** What the dead-letter commands need; tests pass fakes. */
export interface DlqDeps {
  client: Pick<GatewayClient, 'listDeadLetters' | 'getDeadLetter' | 'redriveDeadLetter'>;
  io: Io;
}

/** A dead letter's address as the commands take it: `<topic>/<partition>/<offset>`. */
export interface DeadLetterAddress {
  topic: string;
  partition: number;
  offset: string;
}

/** Parses `<topic>/<partition>/<offset>`, as `baton dlq list` prints it. */
export function parseAddress(text: string): DeadLetterAddress {
  const [, topic, partition, offset] = /^([A-Za-z0-9._-]+)\/(\d{1,5})\/(\d{1,19})$/.exec(text.trim()) ?? [];
  if (topic === undefined || partition === undefined || offset === undefined) {
    throw new UsageError(`expected <topic>/<partition>/<offset> as baton dlq list prints it, got ${JSON.stringify(text)}`);
  }
  return { topic, partition: Number(partition), offset };
}

function address(d: DeadLetterAddress): string {
  return `${d.topic}/${d.partition}/${d.offset}`;
}

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** Dead letters as a table, newest first, with how to look at one. */
export function formatDeadLetterTable(list: DeadLetterSummary[]): string {
  if (list.length === 0) return 'No dead letters.';
  const header = ['ADDRESS', 'FAILED', 'REASON', 'KIND', 'GROUP', 'ERROR'];
  const rows = list.map((d) => [address(d), d.failedAt, d.reason, d.kind ?? '-', d.consumerGroup, oneLine(d.error, 60)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line), '', 'Show one with: baton dlq show <address>; send it back with: baton dlq redrive <address>'].join('\n');
}

/** One dead letter: where it came from, why it failed, its value, and its redrive. */
export function formatDeadLetter(d: DeadLetterView): string {
  const lines = [
    `Dead letter ${address(d)}`,
    `  from       ${d.record.originalTopic} partition ${d.record.partition} offset ${d.record.offset} (key ${d.record.key ?? 'none'})`,
    `  group      ${d.consumerGroup}`,
    `  reason     ${d.reason}${d.kind ? ` (${d.kind})` : ''} after ${d.attempts} attempt(s), ${d.failedAt}`,
    `  event      ${d.eventId ?? 'unknown'}`,
    `  error      ${d.error}`,
    d.redrive
      ? `  redrive    ${d.redrive.state} by ${d.redrive.by} at ${d.redrive.at}${d.redrive.to ? ` to ${address(d.redrive.to)}` : ''}`
      : '  redrive    never',
    `  value${d.truncated ? ` (truncated: read the original at ${d.record.originalTopic}/${d.record.partition}/${d.record.offset})` : ''} [${d.record.valueEncoding}]`,
    `    ${d.record.value ?? '(none)'}`,
  ];
  return lines.join('\n');
}

/** What a redrive did. */
export function formatRedrive(a: RedriveAnswer): string {
  return `Sent ${address(a.deadLetter)} back to ${address(a.to)} (${a.source === 'original' ? 'the original message' : 'rebuilt from the dead letter'}).`;
}

/** `baton dlq list`: the tenant's latest dead letters. */
export async function dlqListCommand(opts: { topic?: string; limit?: number; json?: boolean }, deps: DlqDeps): Promise<ExitCode> {
  return reportErrors(deps.io, async () => {
    const list = await deps.client.listDeadLetters(opts);
    deps.io.out(opts.json ? JSON.stringify(list, null, 2) : formatDeadLetterTable(list.deadLetters));
    return ExitCode.ok;
  });
}

/** `baton dlq show <address>`: one dead letter in full. */
export async function dlqShowCommand(at: string, opts: { json?: boolean }, deps: DlqDeps): Promise<ExitCode> {
  return reportErrors(deps.io, async () => {
    const view = await deps.client.getDeadLetter(parseAddress(at));
    deps.io.out(opts.json ? JSON.stringify(view, null, 2) : formatDeadLetter(view));
    return ExitCode.ok;
  });
}

/** `baton dlq redrive <address>`: sends the dead letter's original back to its topic, once. */
export async function dlqRedriveCommand(at: string, opts: { json?: boolean }, deps: DlqDeps): Promise<ExitCode> {
  return reportErrors(deps.io, async () => {
    const answer = await deps.client.redriveDeadLetter(parseAddress(at));
    deps.io.out(opts.json ? JSON.stringify(answer, null, 2) : formatRedrive(answer));
    return ExitCode.ok;
  });
}
