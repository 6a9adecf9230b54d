import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { metrics } from '@opentelemetry/api';
import { Attr, Metric, metricCounter, startMetrics } from '@baton/telemetry';
import { parsePrometheusText } from '@baton/telemetry/testing';
import { MetricsController } from './metrics.controller';

@Module({ controllers: [MetricsController] })
class MetricsOnly {}

describe('GET /metrics', () => {
  const saved = { ...process.env };
  let app: INestApplication;

  beforeAll(async () => {
    // Served from the process's own metrics; no OTLP push from a test.
    process.env['OTEL_METRICS_EXPORTER'] = 'none';
    delete process.env['OTEL_SDK_DISABLED'];
    startMetrics({ serviceName: 'baton-kit-test' });
    app = await NestFactory.create(MetricsOnly, { logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await startMetrics({ serviceName: 'ignored' }).shutdown();
    metrics.disable();
    process.env = saved;
  });

  it('answers Prometheus text with what the service recorded', async () => {
    metricCounter(Metric.tasksSettled).add(1, { [Attr.taskOutcome]: 'completed', [Attr.tenantId]: 'acme' });
    const res = await fetch(`${await app.getUrl()}/metrics`);
    expect(res.status).toBe(200);
    // Express may reorder the parameters; what Prometheus reads is the type and the version.
    const type = (res.headers.get('content-type') ?? '').split(';').map((p) => p.trim());
    expect(type[0]).toBe('text/plain');
    expect(type).toContain('version=0.0.4');
    const parsed = parsePrometheusText(await res.text());
    expect(parsed.types.get('baton_tasks_settled_total')).toBe('counter');
    expect(parsed.samples.find((s) => s.name === 'baton_tasks_settled_total')).toMatchObject({
      labels: { baton_task_outcome: 'completed', baton_tenant_id: 'acme' },
      value: 1,
    });
    expect(parsed.samples.find((s) => s.name === 'target_info')?.labels['service_name']).toBe('baton-kit-test');
  });
});
