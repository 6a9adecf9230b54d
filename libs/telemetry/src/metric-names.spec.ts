import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Metric, MetricAttr, prometheusName, type MetricSpec } from './metric-names';
import { Attr } from './names';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const telemetrySrc = path.join(repoRoot, 'libs', 'telemetry', 'src');
const entries = Object.entries(Metric) as Array<[string, MetricSpec]>;

/** Every TypeScript file under apps/ and libs/, as paths relative to the repo. */
function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) out.push(path.relative(repoRoot, full));
    }
  };
  for (const top of ['apps', 'libs']) walk(path.join(repoRoot, top));
  return out;
}

describe('metric registry', () => {
  it('names are unique, valid OpenTelemetry names, upstream conventions or baton.*', () => {
    const names = entries.map(([, m]) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z][a-z0-9_.]{0,254}$/);
      expect(name).toMatch(/^(baton|gen_ai|messaging)\./);
    }
    // Prometheus names must stay distinct too once dots become underscores.
    expect(new Set(entries.map(([, m]) => prometheusName(m))).size).toBe(names.length);
  });

  it('allows only registered attribute keys, each once per metric', () => {
    const known = new Set<string>([...Object.values(Attr), ...Object.values(MetricAttr)]);
    for (const [key, m] of entries) {
      expect([key, new Set(m.attributes).size]).toEqual([key, m.attributes.length]);
      for (const a of m.attributes) expect([key, a, known.has(a)]).toEqual([key, a, true]);
    }
    // A metric-only key must not shadow a span attribute under another constant.
    const spanKeys = new Set<string>(Object.values(Attr));
    for (const a of Object.values(MetricAttr)) expect(spanKeys.has(a)).toBe(false);
  });

  it('gives every histogram increasing bucket boundaries, and only histograms have them', () => {
    for (const [key, m] of entries) {
      if (m.kind !== 'histogram') {
        expect([key, m.buckets]).toEqual([key, undefined]);
        continue;
      }
      expect(m.buckets?.length).toBeGreaterThan(0);
      expect([...(m.buckets ?? [])].sort((a, b) => a - b)).toEqual(m.buckets);
    }
  });

  it('maps names as the Prometheus exporter shows them', () => {
    expect(prometheusName(Metric.tasksSettled)).toBe('baton_tasks_settled_total');
    expect(prometheusName(Metric.deadLetters)).toBe('baton_dead_letters_total');
    expect(prometheusName(Metric.tokenUsage)).toBe('gen_ai_client_token_usage');
    expect(prometheusName(Metric.consumerLag)).toBe('baton_consumer_lag');
  });

  it('docs/operations.md lists every metric by its Prometheus name', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs', 'operations.md'), 'utf8');
    const missing = entries.map(([, m]) => prometheusName(m)).filter((n) => !doc.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });
});

describe('instrument creation outside the registry', () => {
  const files = sourceFiles();
  const outsideTelemetry = (f: string) => !path.join(repoRoot, f).startsWith(telemetrySrc + path.sep);

  it('finds the source tree', () => {
    expect(files).toContain(path.join('libs', 'telemetry', 'src', 'metric-names.ts'));
  });

  it('no code outside the telemetry lib makes a meter or an instrument itself, or uses the metrics SDK', () => {
    const raw = /\bgetMeter\s*\(|\.create(Counter|UpDownCounter|Histogram|Gauge|ObservableGauge|ObservableCounter|ObservableUpDownCounter)\s*\(|@opentelemetry\/sdk-metrics|@opentelemetry\/exporter-(prometheus|metrics-)/;
    const offenders = files.filter(outsideTelemetry).filter((f) => !/\.(int-|e2e-)?spec\.ts$/.test(f) && raw.test(readFileSync(path.join(repoRoot, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('every instrument is made from a registry entry of the right kind', () => {
    const helper = /\b(metricCounter|metricHistogram|observeMetric)\(\s*([^,)]*)/g;
    const kindOf = { metricCounter: 'counter', metricHistogram: 'histogram', observeMetric: 'observable_gauge' } as const;
    const calls: Array<{ file: string; helper: keyof typeof kindOf; arg: string }> = [];
    for (const file of files.filter(outsideTelemetry)) {
      for (const m of readFileSync(path.join(repoRoot, file), 'utf8').matchAll(helper)) {
        calls.push({ file, helper: m[1] as keyof typeof kindOf, arg: (m[2] ?? '').trim() });
      }
    }
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      const key = /^Metric\.(\w+)$/.exec(c.arg)?.[1];
      // Specs may exercise a metric through a variable; production code names its entry.
      if (key === undefined && /spec\.ts$/.test(c.file)) continue;
      expect({ ...c, registered: key !== undefined && key in Metric }).toEqual({ ...c, registered: true });
      expect({ ...c, kind: Metric[key as keyof typeof Metric].kind }).toEqual({ ...c, kind: kindOf[c.helper] });
    }
  });
});
