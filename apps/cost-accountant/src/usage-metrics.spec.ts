import { MetricsPipeline } from '@baton/telemetry';
import { parsePrometheusText } from '@baton/telemetry/testing';
import { recordUsage } from './usage-metrics';

describe('recordUsage', () => {
  const pipeline = new MetricsPipeline({ serviceName: 'cost-test' });
  beforeAll(() => pipeline.install());
  afterAll(async () => {
    await pipeline.shutdown();
    pipeline.uninstall();
  });

  it('records input and output tokens and the cost in dollars, by model and tenant', async () => {
    recordUsage('acme', { model: 'sim-mini', provider: 'simulator', promptTokens: 1200, completionTokens: 300 }, 360);
    recordUsage('acme', { model: 'sim-mini', provider: 'simulator', promptTokens: 800, completionTokens: 100 }, 180);
    recordUsage('globex', { model: 'sim-large', provider: 'simulator', promptTokens: 10, completionTokens: 5 }, 75);
    const { samples } = parsePrometheusText(await pipeline.renderPrometheus());

    const tokenSums = samples
      .filter((s) => s.name === 'gen_ai_client_token_usage_sum')
      .map((s) => [s.labels['baton_tenant_id'], s.labels['gen_ai_request_model'], s.labels['gen_ai_token_type'], s.value]);
    expect(tokenSums).toEqual([
      ['acme', 'sim-mini', 'input', 2000],
      ['acme', 'sim-mini', 'output', 400],
      ['globex', 'sim-large', 'input', 10],
      ['globex', 'sim-large', 'output', 5],
    ]);
    const costs = samples.filter((s) => s.name === 'baton_llm_cost_total').map((s) => [s.labels['baton_tenant_id'], s.labels['gen_ai_request_model'], s.value]);
    expect(costs).toEqual([
      ['acme', 'sim-mini', 0.00054],
      ['globex', 'sim-large', 0.000075],
    ]);
  });
});
