/** One sample line of Prometheus text: `name{label="value",...} value`. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A Prometheus text exposition, read back: `# TYPE` per metric and every sample. */
export interface PrometheusText {
  /** Metric family name to its type (`counter`, `gauge`, `histogram`). */
  types: Map<string, string>;
  samples: PrometheusSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescape(value: string): string {
  return value.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

function number(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Parses Prometheus text format 0.0.4 (what /metrics answers); throws on a line it cannot read. */
export function parsePrometheusText(text: string): PrometheusText {
  const types = new Map<string, string>();
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (trimmed.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(trimmed);
      if (type) types.set(type[1] ?? '', type[2] ?? '');
      continue;
    }
    const m = SAMPLE.exec(trimmed);
    if (!m) throw new Error(`not a Prometheus sample line: ${trimmed}`);
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of (m[2] ?? '').matchAll(LABEL)) labels[key] = unescape(value);
    samples.push({ name: m[1] ?? '', labels, value: number(m[3] ?? '') });
  }
  return { types, samples };
}
