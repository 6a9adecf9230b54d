import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import { metricCounter, metricHistogram, observeMetric } from './metric-instruments';
import { Metric, prometheusLabel, prometheusName, type MetricSpec, type RegisteredMetric } from './metric-names';
import { MetricsPipeline, combineHandles } from './metrics';
import { Attr } from './names';
import { parsePrometheusText } from './prometheus-text';

/** Every allowed attribute of `m`, each with a recognisable value. */
function allAttributes(m: MetricSpec): Record<string, string> {
  return Object.fromEntries(m.attributes.map((k) => [k, `v-${k}`]));
}

/** Records one value on `m` through the registry helpers, whatever its kind; returns what stops an observer. */
function exercise(m: RegisteredMetric): () => void {
  const attrs = allAttributes(m) as never;
  if (m.kind === 'counter') metricCounter(m).add(2, attrs);
  else if (m.kind === 'histogram') metricHistogram(m).record(3, attrs);
  else return observeMetric(m, (observe) => observe(1, attrs));
  return () => undefined;
}

describe('MetricsPipeline', () => {
  let pipeline: MetricsPipeline;

  beforeEach(() => {
    pipeline = new MetricsPipeline({ serviceName: 'baton-metrics-test', serviceVersion: '1.2.3' });
    pipeline.install();
  });

  afterEach(async () => {
    await pipeline.shutdown();
    pipeline.uninstall();
  });

  it('renders a counter recorded through the global API as Prometheus text', async () => {
    metricCounter(Metric.tasksSettled).add(1, { [Attr.taskOutcome]: 'completed', [Attr.tenantId]: 'acme' });
    metricCounter(Metric.tasksSettled).add(2, { [Attr.taskOutcome]: 'completed', [Attr.tenantId]: 'acme' });
    const text = await pipeline.renderPrometheus();
    const parsed = parsePrometheusText(text);
    expect(parsed.types.get('baton_tasks_settled_total')).toBe('counter');
    expect(parsed.samples.filter((s) => s.name === 'baton_tasks_settled_total')).toEqual([
      { name: 'baton_tasks_settled_total', labels: expect.objectContaining({ baton_task_outcome: 'completed', baton_tenant_id: 'acme' }), value: 3 },
    ]);
    // The resource identifies the service, as Prometheus' target_info.
    expect(parsed.samples.find((s) => s.name === 'target_info')?.labels).toMatchObject({ service_name: 'baton-metrics-test', service_version: '1.2.3' });
  });

  it('every registered metric, once exercised, renders under its registered name with only registered labels', async () => {
    const stops = Object.values(Metric).map(exercise);
    const parsed = parsePrometheusText(await pipeline.renderPrometheus());
    stops.forEach((stop) => stop());

    const families = new Set([...parsed.types.keys()].filter((n) => n !== 'target_info'));
    expect(families).toEqual(new Set(Object.values(Metric).map(prometheusName)));

    const labelsOf = new Map(Object.values(Metric).map((m) => [prometheusName(m), new Set(m.attributes.map(prometheusLabel))]));
    // Histograms add the le label; the exporter adds the instrumentation scope.
    const added = new Set(['le', 'otel_scope_name', 'otel_scope_version', 'otel_scope_schema_url']);
    for (const s of parsed.samples.filter((x) => x.name !== 'target_info')) {
      const family = s.name.replace(/_(bucket|sum|count)$/, '');
      const allowed = labelsOf.get(labelsOf.has(s.name) ? s.name : family);
      expect(allowed).toBeDefined();
      for (const key of Object.keys(s.labels)) if (!added.has(key)) expect(allowed!.has(key)).toBe(true);
      expect(s.labels['otel_scope_name']).toBe('baton');
    }
  });

  it('histograms use the registry’s bucket boundaries and units', async () => {
    metricHistogram(Metric.taskDuration).record(42, { [Attr.taskOutcome]: 'failed', [Attr.tenantId]: 't' });
    const text = await pipeline.renderPrometheus();
    expect(text).toContain('# UNIT baton_task_duration s');
    const buckets = parsePrometheusText(text).samples.filter((s) => s.name === 'baton_task_duration_bucket');
    expect(buckets.map((b) => b.labels['le'])).toEqual([...Metric.taskDuration.buckets!.map(String), '+Inf']);
    // Cumulative: 42 s falls in the 60 s bucket and every one above it.
    expect(buckets.find((b) => b.labels['le'] === '30')?.value).toBe(0);
    expect(buckets.find((b) => b.labels['le'] === '60')?.value).toBe(1);
  });

  it('an instrument made before a provider is installed records into the one installed later', async () => {
    pipeline.uninstall();
    const early = metricCounter(Metric.guardVerdicts);
    early.add(1, { 'baton.guard.check': 'input', [Attr.guardVerdict]: 'admit' });
    pipeline.install();
    early.add(1, { 'baton.guard.check': 'input', [Attr.guardVerdict]: 'reject' });
    const samples = parsePrometheusText(await pipeline.renderPrometheus()).samples.filter((s) => s.name === 'baton_guard_verdicts_total');
    // Only the recording made while the provider was installed counts; nothing is lost after.
    expect(samples.map((s) => [s.labels['baton_guard_verdict'], s.value])).toEqual([['reject', 1]]);
  });

  it('observable gauges are read at each collection, follow a new provider and stop when removed', async () => {
    let lag = 5;
    const stop = observeMetric(Metric.consumerLag, (observe) => observe(lag, { [Attr.messagingConsumerGroup]: 'g', [Attr.messagingDestination]: 't', [Attr.messagingPartition]: '0' }));
    const value = async (p: MetricsPipeline) =>
      parsePrometheusText(await p.renderPrometheus()).samples.find((s) => s.name === 'baton_consumer_lag')?.value;
    expect(await value(pipeline)).toBe(5);
    lag = 0;
    expect(await value(pipeline)).toBe(0);

    const next = new MetricsPipeline({ serviceName: 'next' });
    next.install();
    try {
      expect(await value(next)).toBe(0);
      stop();
      expect(await value(next)).toBeUndefined();
    } finally {
      await next.shutdown();
    }
  });

  it('a failing observer leaves its metric out, not the others', async () => {
    const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const stop = observeMetric(Metric.breakerState, async () => {
      throw new Error('redis: no answer');
    });
    try {
      metricCounter(Metric.deadLetters).add(1, { [Attr.deadLetterReason]: 'invalid_json' });
      const parsed = parsePrometheusText(await pipeline.renderPrometheus());
      expect(parsed.types.has('baton_dead_letters_total')).toBe(true);
      expect(parsed.types.has('baton_breaker_state')).toBe(false);
      await pipeline.renderPrometheus();
      // Said once, not at every scrape.
      expect(warnings.mock.calls.filter(([m]) => String(m).includes('redis: no answer'))).toHaveLength(1);
    } finally {
      stop();
      warnings.mockRestore();
    }
  });

  it('pushes to an exporter when one is given, on flush', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const pushing = new MetricsPipeline({ serviceName: 'push', exporter, exportIntervalMillis: 3_600_000 });
    pushing.install();
    try {
      metricCounter(Metric.llmCost).add(0.25, { [Attr.genAiRequestModel]: 'sim-mini', [Attr.tenantId]: 'acme' });
      await pushing.forceFlush();
      const names = exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((md) => md.descriptor.name)));
      expect(names).toEqual([Metric.llmCost.name]);
    } finally {
      await pushing.shutdown();
    }
  });
});

describe('registry checks at run time', () => {
  it('refuses a metric that is not a registry entry, even with a registered name', () => {
    const copy = { ...Metric.tasksSettled };
    expect(() => metricCounter(copy)).toThrow(/not in the registry/);
  });

  it('refuses a registry entry of another kind', () => {
    expect(() => metricCounter(Metric.taskDuration as never)).toThrow(/is a histogram, not a counter/);
  });
});

describe('combineHandles', () => {
  it('shuts every handle down once and flushes them all', async () => {
    const a = { shutdown: jest.fn(async () => undefined), forceFlush: jest.fn(async () => undefined) };
    const b = { shutdown: jest.fn(async () => undefined), forceFlush: jest.fn(async () => undefined) };
    const both = combineHandles(a, b);
    await both.forceFlush();
    await Promise.all([both.shutdown(), both.shutdown()]);
    expect([a.forceFlush.mock.calls.length, b.forceFlush.mock.calls.length]).toEqual([1, 1]);
    expect([a.shutdown.mock.calls.length, b.shutdown.mock.calls.length]).toEqual([1, 1]);
  });
});

afterAll(() => metrics.disable());
