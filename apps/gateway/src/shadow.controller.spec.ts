import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { StateStore, TaskRecord } from '@baton/state';
import { ShadowController } from './shadow.controller';

const TASK = '6f1c2b9e-2f4a-4c59-9a53-0d7c1f0c9a11';

function record(over: Partial<TaskRecord> = {}): TaskRecord {
  return {
    taskId: TASK,
    tenantId: 'acme',
    taskType: 'ticket.summarize',
    status: 'completed',
    traceId: null,
    result: { text: 'same' },
    attempts: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:02.000Z',
    history: [],
    ...over,
  };
}

/** A StateStore double holding at most one task, its spend, and the context hashes the shadow index uses. */
function store(task: TaskRecord | null, costMicros: number, context: Record<string, Record<string, unknown>> = {}): StateStore {
  const fake = {
    tasks: { get: async (id: string) => (task && task.taskId === id ? task : null) },
    spend: { taskTotal: async () => costMicros },
    context: {
      put: async () => undefined,
      getAll: async (id: string) => context[id] ?? {},
    },
  };
  return fake as unknown as StateStore;
}

const config = { REDIS_URL: 'redis://127.0.0.1:6399', BATON_SHADOW_NAMESPACE: 'shadow' };

describe('ShadowController', () => {
  it('reports over the tenant\'s shadow index with both keyspaces', async () => {
    const live = store(record({ model: 'sim-mini' }), 10);
    const shadow = store(record({ model: 'sim-reasoner' }), 900, { 'shadow-index:acme': { [TASK]: 1 } });
    const r = await new ShadowController(live, shadow, config).report('acme', '10');
    expect(r).toMatchObject({
      tenantId: 'acme',
      namespace: 'shadow',
      limit: 10,
      tasks: { indexed: 1, compared: 1, pending: 0, missing: 0 },
      agreement: { agreed: 1, rate: 1 },
      live: { costMicros: { total: 10, mean: 10 }, models: { 'sim-mini': 1 } },
      shadow: { costMicros: { total: 900, mean: 900 }, models: { 'sim-reasoner': 1 } },
    });
  });

  it('defaults the limit to 100 and refuses one outside 1..1000', async () => {
    const controller = new ShadowController(store(null, 0), store(null, 0), config);
    expect((await controller.report('acme', undefined)).limit).toBe(100);
    for (const bad of ['0', '1001', '2.5', 'ten']) await expect(controller.report('acme', bad)).rejects.toBeInstanceOf(BadRequestException);
  });

  it('shows both sides of a task and whether they agree once both settled', async () => {
    const controller = new ShadowController(store(record(), 10), store(record({ status: 'running', result: undefined }), 5), config);
    const answer = await controller.task('acme', TASK);
    expect(answer.live).toMatchObject({ status: 'completed', costMicros: 10 });
    expect(answer.shadow).toMatchObject({ status: 'running', costMicros: 5 });
    expect(answer.agrees).toBeNull();
    const settled = new ShadowController(store(record(), 10), store(record({ result: { text: 'other' } }), 5), config);
    expect((await settled.task('acme', TASK)).agrees).toBe(false);
  });

  it('answers another tenant\'s task like a missing one, and a bad id with 400', async () => {
    const controller = new ShadowController(store(record(), 10), store(record(), 5), config);
    await expect(controller.task('globex', TASK)).rejects.toBeInstanceOf(NotFoundException);
    await expect(controller.task('acme', 'nope')).rejects.toBeInstanceOf(BadRequestException);
  });
});
