import { MetricsPipeline } from '@baton/telemetry';
import { parsePrometheusText } from '@baton/telemetry/testing';
import { recordTaskSettled } from './task-metrics';

describe('recordTaskSettled', () => {
  const pipeline = new MetricsPipeline({ serviceName: 'task-metrics-test' });
  beforeAll(() => pipeline.install());
  afterAll(async () => {
    await pipeline.shutdown();
    pipeline.uninstall();
  });

  it('counts by outcome and tenant and times from submission; a missing or bad time keeps only the count', async () => {
    const now = Date.parse('2026-11-24T10:00:30.000Z');
    recordTaskSettled('completed', 'acme', '2026-11-24T10:00:00.000Z', now);
    recordTaskSettled('completed', 'acme', '2026-11-24T10:00:27.500Z', now);
    recordTaskSettled('rejected', 'acme', undefined, now);
    recordTaskSettled('failed', 'globex', 'not a time', now);
    const { samples } = parsePrometheusText(await pipeline.renderPrometheus());
    const row = (name: string) =>
      samples.filter((s) => s.name === name).map((s) => [s.labels['baton_task_outcome'], s.labels['baton_tenant_id'], s.value]);
    expect(row('baton_tasks_settled_total')).toEqual([
      ['completed', 'acme', 2],
      ['rejected', 'acme', 1],
      ['failed', 'globex', 1],
    ]);
    expect(row('baton_task_duration_sum')).toEqual([['completed', 'acme', 32.5]]);
    expect(row('baton_task_duration_count')).toEqual([['completed', 'acme', 2]]);
  });
});
