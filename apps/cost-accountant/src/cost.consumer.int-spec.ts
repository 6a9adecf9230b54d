import { randomUUID } from 'node:crypto';
import { createEvent, type BatonEvent, type LlmUsage } from '@baton/contracts';
import { ModelCatalog, type ModelSpec } from '@baton/llm';
import { UnprocessableEvent, type MessageBus } from '@baton/messaging';
import { budgetScopeIds } from '@baton/state';
import { useStateTestEnv } from '@baton/state/testing';
import { CostConsumer } from './cost.consumer';

/*
 * Settling usage against a real Redis: an estimated usage (a call cut off by a crash of its
 * agent) is charged at its reservation's worst case, once, whichever of it and the call's own
 * usage arrives first.
 */

const TENANT = 'acme';
const spec: ModelSpec = {
  id: 'sim-mini',
  provider: 'simulator',
  providerModel: 'sim-mini',
  inputPricePerMTokens: 0.15,
  outputPricePerMTokens: 0.6,
  contextWindow: 32_000,
  maxOutputTokens: 4_000,
  capabilities: ['chat', 'json'],
};
const WORST = 5_000;

describe('cost accountant: estimated usage (real Redis)', () => {
  const env = useStateTestEnv('cost-int');
  const published: BatonEvent[] = [];
  const bus = { publish: async (e: BatonEvent) => void published.push(e) } as unknown as MessageBus;
  let accountant: CostConsumer;
  const onUsage = (e: LlmUsage): Promise<void> => accountant.onUsage(e);

  beforeAll(() => {
    accountant = new CostConsumer(bus, env.store, ModelCatalog.fromSpecs([spec]));
  });

  /** A task whose agent reserved the worst case of one call. */
  async function reserved(): Promise<{ taskId: string; reservationId: string; scope: string }> {
    const taskId = randomUUID();
    const reservationId = randomUUID();
    const scope = budgetScopeIds.task(taskId);
    const r = await env.store.budgets.reserve({ reservationId, taskId, tenantId: TENANT, model: 'sim-mini', amountMicros: WORST, scopes: [{ id: scope, limitMicros: 1_000_000 }], ttlMs: 600_000 });
    expect(r.ok).toBe(true);
    return { taskId, reservationId, scope };
  }

  function usage(taskId: string, reservationId: string, scope: string, estimated: boolean): LlmUsage {
    return createEvent('llm.usage', { tenantId: TENANT, taskId, causationId: null }, {
      stepId: 'main',
      attempt: 1,
      model: 'sim-mini',
      provider: 'simulator',
      promptTokens: estimated ? 0 : 100,
      completionTokens: estimated ? 0 : 20,
      latencyMs: estimated ? 0 : 5,
      reservation: { id: reservationId, scopes: [scope], amountMicros: WORST },
      ...(estimated ? { estimated: true as const } : {}),
    });
  }

  it('charges an estimated usage at the worst case its reservation held, once', async () => {
    const { taskId, reservationId, scope } = await reserved();
    const e = usage(taskId, reservationId, scope, true);
    await onUsage(e);
    await onUsage(e);
    await expect(env.store.budgets.scope(scope)).resolves.toMatchObject({ spentMicros: WORST, reservedMicros: 0 });
    await expect(env.store.budgets.reservation(reservationId)).resolves.toMatchObject({ status: 'settled' });
  });

  it('charges the reservation once when the call\'s own usage also arrives, whichever comes first', async () => {
    const a = await reserved();
    await onUsage(usage(a.taskId, a.reservationId, a.scope, true));
    await onUsage(usage(a.taskId, a.reservationId, a.scope, false));
    await expect(env.store.budgets.scope(a.scope)).resolves.toMatchObject({ spentMicros: WORST, reservedMicros: 0 });

    const b = await reserved();
    await onUsage(usage(b.taskId, b.reservationId, b.scope, false));
    await onUsage(usage(b.taskId, b.reservationId, b.scope, true));
    await expect(env.store.budgets.scope(b.scope)).resolves.toMatchObject({ spentMicros: 100 * 0.15 + 20 * 0.6, reservedMicros: 0 });
  });

  it('refuses an estimated usage without a reserved amount instead of charging it as zero', async () => {
    const { taskId, reservationId, scope } = await reserved();
    const e = usage(taskId, reservationId, scope, true);
    const bare = { ...e, data: { ...e.data, reservation: { id: reservationId, scopes: [scope] } } };
    await expect(onUsage(bare)).rejects.toBeInstanceOf(UnprocessableEvent);
  });
});
