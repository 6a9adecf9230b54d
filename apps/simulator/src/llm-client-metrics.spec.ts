// LlmClient's duration metric against this simulator in-process (a lib may not import an app).
import { LlmClient, LlmError, ModelCatalog } from '@baton/llm';
import { MetricsPipeline } from '@baton/telemetry';
import { parsePrometheusText } from '@baton/telemetry/testing';
import { startSimulator } from './sim-server';
import type { RunningSimulator } from './sim-types';

const pipeline = new MetricsPipeline({ serviceName: 'llm-metrics-test' });
let sim: RunningSimulator;
let client: LlmClient;

beforeAll(async () => {
  pipeline.install();
  sim = await startSimulator();
  client = new LlmClient(ModelCatalog.fromFile(), { defaultBaseUrl: sim.url, timeoutMs: 1000, maxRetries: 1, retryBaseDelayMs: 5 });
});

afterAll(async () => {
  await sim.close();
  await pipeline.shutdown();
  pipeline.uninstall();
});

it('records gen_ai.client.operation.duration per call, retries included, with error.type on failure', async () => {
  const messages = [{ role: 'user' as const, content: 'Qualify this lead.' }];
  await client.chat({ model: 'sim-mini', messages });
  await fetch(`${sim.url.replace(/\/v1$/, '')}/_sim/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ match: {}, replies: [{ fault: 429 }], repeat: true }),
  });
  await expect(client.chat({ model: 'sim-standard', messages })).rejects.toBeInstanceOf(LlmError);

  const counts = parsePrometheusText(await pipeline.renderPrometheus())
    .samples.filter((s) => s.name === 'gen_ai_client_operation_duration_count')
    .map((s) => ({ model: s.labels['gen_ai_request_model'], system: s.labels['gen_ai_system'], error: s.labels['error_type'], n: s.value }));
  // One recording per call: the failed call's retry does not count twice.
  expect(counts).toEqual([
    { model: 'sim-mini', system: 'simulator', error: undefined, n: 1 },
    { model: 'sim-standard', system: 'simulator', error: 'rate_limited', n: 1 },
  ]);
});
