import { Attr, SpanEvent } from '@baton/telemetry';
import { formatUsd } from './format';
import type { BackendSpan } from './trace-client';

/** A span with its children, earliest first. */
export interface TraceNode {
  span: BackendSpan;
  children: TraceNode[];
}

const startOf = (s: BackendSpan) => Date.parse(s.start_time);
const byStart = (a: TraceNode, b: TraceNode) => startOf(a.span) - startOf(b.span) || a.span.name.localeCompare(b.span.name);

/**
 * Nests spans under their parents. A span whose parent is missing (not exported yet, or
 * dropped) becomes a root of its own rather than disappearing.
 */
export function buildTree(spans: readonly BackendSpan[]): TraceNode[] {
  const nodes = new Map(spans.map((span) => [span.context.span_id, { span, children: [] as TraceNode[] }]));
  const roots: TraceNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parent_id ? nodes.get(node.span.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: TraceNode[]) => {
    list.sort(byStart);
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

function durationMs(s: BackendSpan): number {
  return Math.max(0, Date.parse(s.end_time) - startOf(s));
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** Model calls are the spans with a GenAI operation; their cost is the task's model spend. */
function isModelCall(s: BackendSpan): boolean {
  return s.attributes[Attr.genAiOperation] !== undefined;
}

function costOf(s: BackendSpan): number | undefined {
  const v = s.attributes[Attr.costMicros];
  return typeof v === 'number' ? v : undefined;
}

/** The decisions and reasons a span carries, short. */
function notes(s: BackendSpan): string[] {
  const a = s.attributes;
  const out: string[] = [];
  if (isModelCall(s)) {
    const model = text(a[Attr.genAiResponseModel]) ?? text(a[Attr.genAiRequestModel]);
    if (model) out.push(`model ${model}`);
    if (a[Attr.genAiInputTokens] !== undefined) out.push(`tokens ${text(a[Attr.genAiInputTokens])}→${text(a[Attr.genAiOutputTokens]) ?? '?'}`);
  }
  const pairs: Array<[string, string]> = [
    [Attr.routePattern, 'pattern'],
    [Attr.routeRole, 'role'],
    [Attr.routeModel, 'model'],
    [Attr.modelUsed, 'answered by'],
    [Attr.guardVerdict, 'verdict'],
    [Attr.guardReason, 'reason'],
    [Attr.decisionAction, 'decision'],
    [Attr.taskOutcome, 'outcome'],
    [Attr.stopReason, 'stop'],
    [Attr.deadLetterReason, 'dead-lettered'],
  ];
  for (const [key, label] of pairs) {
    const v = text(a[key]);
    if (v !== undefined) out.push(`${label} ${v}`);
  }
  for (const e of s.events) {
    const ea = e.attributes ?? {};
    if (e.name === SpanEvent.modelFallback) {
      out.push(`fallback ${text(ea[Attr.fallbackFrom]) ?? '?'}→${text(ea[Attr.fallbackTo]) ?? 'none'} (${text(ea[Attr.fallbackReason]) ?? '?'})`);
    } else if (e.name === SpanEvent.llmRetry) {
      out.push(`retry (${text(ea[Attr.llmRetryReason]) ?? '?'})`);
    } else if (e.name === SpanEvent.breakerOpened) {
      out.push(`breaker opened ${text(ea[Attr.breakerModel]) ?? ''}`.trim());
    } else if (e.name === SpanEvent.toolCall) {
      out.push(`tool ${text(ea[Attr.toolName]) ?? '?'} ${text(ea[Attr.toolOutcome]) ?? ''}`.trim());
    }
  }
  return out;
}

function serviceOf(s: BackendSpan): string {
  return (text(s.attributes[Attr.serviceName]) ?? '?').replace(/^baton-/, '');
}

/** What `baton trace` prints: a headline, then one line per span as a tree. */
export function formatTrace(traceId: string, spans: readonly BackendSpan[], taskId?: string): string {
  if (spans.length === 0) return `Trace ${traceId}: no spans yet`;
  const roots = buildTree(spans);
  const start = Math.min(...spans.map(startOf));
  const end = Math.max(...spans.map((s) => Date.parse(s.end_time)));
  const modelCost = spans.filter(isModelCall).reduce((sum, s) => sum + (costOf(s) ?? 0), 0);
  const services = [...new Set(spans.map(serviceOf))].sort();
  const errors = spans.filter((s) => s.status_code === 'ERROR').length;
  const head = [
    `Trace ${traceId}${taskId ? ` of task ${taskId}` : ''}`,
    `  ${spans.length} spans, ${services.length} services (${services.join(', ')}), ${formatDuration(end - start)}, model cost ${formatUsd(modelCost)}${errors ? `, ${errors} with errors` : ''}`,
    '',
  ];

  const rows: Array<{ tree: string; service: string; duration: string; cost: string; status: string; notes: string }> = [];
  const walk = (node: TraceNode, prefix: string, last: boolean, top: boolean) => {
    const s = node.span;
    const cost = costOf(s);
    rows.push({
      tree: `${prefix}${top ? '' : last ? '└─ ' : '├─ '}${s.name}`,
      service: serviceOf(s),
      duration: formatDuration(durationMs(s)),
      cost: cost !== undefined && isModelCall(s) ? formatUsd(cost) : '',
      status: s.status_code === 'ERROR' ? `ERROR${s.status_message ? ` ${s.status_message}` : ''}` : '',
      notes: notes(s).join(', '),
    });
    const childPrefix = top ? prefix : `${prefix}${last ? '   ' : '│  '}`;
    node.children.forEach((c, i) => walk(c, childPrefix, i === node.children.length - 1, false));
  };
  roots.forEach((r) => walk(r, '', true, true));

  const width = (k: 'tree' | 'service' | 'duration' | 'cost') => Math.max(...rows.map((r) => [...r[k]].length));
  const [wTree, wService, wDuration, wCost] = [width('tree'), width('service'), width('duration'), width('cost')];
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - [...s].length));
  const lines = rows.map((r) =>
    [pad(r.tree, wTree), pad(r.service, wService), ' '.repeat(wDuration - r.duration.length) + r.duration, pad(r.cost, wCost), r.status, r.notes]
      .join('  ')
      .trimEnd(),
  );
  return [...head, ...lines].join('\n');
}
