import { metrics } from '@opentelemetry/api';
import { metricCounter } from './metric-instruments';
import { Metric } from './metric-names';
import { renderPrometheus, startMetrics } from './metrics';
import { Attr } from './names';
import { parsePrometheusText } from './prometheus-text';
import { resolveMetricExport } from './telemetry-env';

describe('resolveMetricExport', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };

  it('does not push without an endpoint', () => {
    expect(resolveMetricExport({})).toEqual({ export: false, reason: 'no OTLP endpoint configured', warnings: [] });
  });

  it('pushes every 60 s by default when an endpoint is set; the metrics endpoint wins', () => {
    expect(resolveMetricExport(endpoint)).toEqual({ export: true, endpoint: 'http://127.0.0.1:4318', intervalMs: 60_000, timeoutMs: 30_000, warnings: [] });
    expect(resolveMetricExport({ ...endpoint, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://b:4318/v1/metrics' })).toMatchObject({
      export: true,
      endpoint: 'http://b:4318/v1/metrics',
    });
  });

  it.each([['none'], ['prometheus'], ['otlp,none']])('OTEL_METRICS_EXPORTER=%s turns the push off', (value) => {
    expect(resolveMetricExport({ ...endpoint, OTEL_METRICS_EXPORTER: value })).toMatchObject({ export: false, warnings: [] });
  });

  it('warns about exporters and protocols it does not have, and pushes protobuf anyway', () => {
    const plan = resolveMetricExport({ ...endpoint, OTEL_METRICS_EXPORTER: 'otlp,console', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(plan.export).toBe(true);
    expect(plan.warnings).toEqual([expect.stringContaining('console'), expect.stringContaining('http/json')]);
  });

  it('reads the interval and timeout, keeps the timeout within the interval, and warns about nonsense', () => {
    expect(resolveMetricExport({ ...endpoint, OTEL_METRIC_EXPORT_INTERVAL: '5000' })).toMatchObject({ intervalMs: 5000, timeoutMs: 5000 });
    expect(resolveMetricExport({ ...endpoint, OTEL_METRIC_EXPORT_INTERVAL: '10000', OTEL_METRIC_EXPORT_TIMEOUT: '2000' })).toMatchObject({ intervalMs: 10_000, timeoutMs: 2000 });
    const bad = resolveMetricExport({ ...endpoint, OTEL_METRIC_EXPORT_INTERVAL: 'soon' });
    expect(bad).toMatchObject({ intervalMs: 60_000, warnings: [expect.stringContaining('OTEL_METRIC_EXPORT_INTERVAL=soon')] });
  });
});

describe('startMetrics and renderPrometheus', () => {
  const saved = { ...process.env };

  beforeAll(() => {
    // No push from a unit test, whatever the developer's shell exports.
    process.env['OTEL_METRICS_EXPORTER'] = 'none';
    delete process.env['OTEL_SDK_DISABLED'];
  });

  afterAll(async () => {
    await startMetrics({ serviceName: 'ignored' }).shutdown();
    metrics.disable();
    process.env = saved;
  });

  it('answers a comment before metrics are started', async () => {
    await expect(renderPrometheus()).resolves.toMatch(/^# metrics are off/);
  });

  it('starts once per process, installs the global provider and renders what instruments record', async () => {
    const first = startMetrics({ serviceName: 'baton-start-test' });
    expect(startMetrics({ serviceName: 'other' })).toBe(first);
    metricCounter(Metric.deadLetters).add(1, { [Attr.messagingDestination]: 'baton.task.submitted', [Attr.deadLetterReason]: 'invalid_json', [Attr.messagingConsumerGroup]: 'g' });
    const parsed = parsePrometheusText(await renderPrometheus());
    expect(parsed.samples.find((s) => s.name === 'baton_dead_letters_total')).toMatchObject({
      labels: { messaging_destination_name: 'baton.task.submitted', baton_dead_letter_reason: 'invalid_json', messaging_consumer_group_name: 'g' },
      value: 1,
    });
    expect(parsed.samples.find((s) => s.name === 'target_info')?.labels['service_name']).toBe('baton-start-test');
  });
});
