import { MetricsPipeline } from '@baton/telemetry';
import { parsePrometheusText, type PrometheusSample } from '@baton/telemetry/testing';
import { recordStep, reportBreakerStates, stepOutcome } from './agent-metrics';

describe('agent metrics', () => {
  const pipeline = new MetricsPipeline({ serviceName: 'agent-metrics-test' });
  beforeAll(() => pipeline.install());
  afterAll(async () => {
    await pipeline.shutdown();
    pipeline.uninstall();
  });

  async function samples(name: string): Promise<PrometheusSample[]> {
    return parsePrometheusText(await pipeline.renderPrometheus()).samples.filter((s) => s.name === name);
  }

  it('names the outcome of an attempt: a limit or an error fails it', () => {
    expect(['answer', 'handoff', 'limit', 'error'].map((k) => stepOutcome(k as never))).toEqual(['answered', 'handed_off', 'failed', 'failed']);
  });

  it('records step durations in seconds by role and outcome', async () => {
    recordStep('research', 'answer', 1000, 3500);
    recordStep('research', 'error', 0, 250);
    const sums = (await samples('baton_step_duration_sum')).map((s) => [s.labels['baton_agent_role'], s.labels['baton_step_outcome'], s.value]);
    expect(sums).toEqual([
      ['research', 'answered', 2.5],
      ['research', 'failed', 0.25],
    ]);
  });

  it('reads every model’s breaker at each collection, 0 closed, 1 half-open, 2 open', async () => {
    const states = { 'sim-mini': 'closed', 'sim-standard': 'open', 'sim-large': 'half_open' } as const;
    const read = jest.fn(async (models: readonly string[]) => Object.fromEntries(models.map((m) => [m, states[m as keyof typeof states]])));
    const stop = reportBreakerStates(['sim-mini', 'sim-standard', 'sim-large'], read);
    try {
      const gauge = (await samples('baton_breaker_state')).map((s) => [s.labels['gen_ai_request_model'], s.value]);
      expect(gauge).toEqual([
        ['sim-mini', 0],
        ['sim-standard', 2],
        ['sim-large', 1],
      ]);
      await samples('baton_breaker_state');
      expect(read).toHaveBeenCalledTimes(2);
    } finally {
      stop();
    }
    expect(await samples('baton_breaker_state')).toEqual([]);
  });
});
