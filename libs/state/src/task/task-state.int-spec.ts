import { randomUUID } from 'node:crypto';
import type { TaskStatus } from '@baton/contracts';
import { KeySpace } from '../keys';
import { stateDeps } from '../state-deps';
import { TaskStateRepository } from './task-state.repository';
import { useStateTestEnv } from '../testing/redis-test-env';

describe('TaskStateRepository (real Redis)', () => {
  const env = useStateTestEnv('task-state-int');

  async function newTask(traceId: string | null = null): Promise<string> {
    const taskId = randomUUID();
    expect(await env.store.tasks.create({ taskId, tenantId: 'acme', taskType: 'lead.qualify', traceId })).toBe(true);
    return taskId;
  }

  it('creates a task in status submitted, once', async () => {
    const taskId = await newTask('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(await env.store.tasks.create({ taskId, tenantId: 'other', taskType: 'x', traceId: null })).toBe(false);
    const rec = await env.store.tasks.get(taskId);
    expect(rec).toMatchObject({
      taskId,
      tenantId: 'acme',
      taskType: 'lead.qualify',
      status: 'submitted',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      attempts: 0,
    });
    expect(rec!.history).toEqual([{ status: 'submitted', at: rec!.createdAt }]);
    expect(rec!.updatedAt).toBe(rec!.createdAt);
  });

  it('returns null for a task that does not exist, and does not create it on transition', async () => {
    const taskId = randomUUID();
    expect(await env.store.tasks.get(taskId)).toBeNull();
    expect(await env.store.tasks.transition(taskId, 'admitted')).toEqual({ applied: false, status: null });
    expect(await env.store.tasks.get(taskId)).toBeNull();
  });

  it('applies transitions, appends history and stores fields', async () => {
    const taskId = await newTask();
    expect(await env.store.tasks.transition(taskId, 'admitted')).toEqual({ applied: true, status: 'admitted' });
    expect(
      await env.store.tasks.transition(taskId, 'routed', { fields: { role: 'sales', model: 'sim-small', attempts: 1 } }),
    ).toEqual({ applied: true, status: 'routed' });
    expect(await env.store.tasks.transition(taskId, 'running')).toEqual({ applied: true, status: 'running' });
    const result = { qualified: true, score: 0.91, notes: ['quote " and \\ survive'] };
    expect(await env.store.tasks.transition(taskId, 'completed', { fields: { result } })).toEqual({
      applied: true,
      status: 'completed',
    });

    const rec = (await env.store.tasks.get(taskId))!;
    expect(rec.status).toBe('completed');
    expect(rec.role).toBe('sales');
    expect(rec.model).toBe('sim-small');
    expect(rec.attempts).toBe(1);
    expect(rec.result).toEqual(result);
    expect(rec.history.map((h) => h.status)).toEqual(['submitted', 'admitted', 'routed', 'running', 'completed']);
    expect(rec.updatedAt).toBe(rec.history[4]!.at);
  });

  it('stores an ErrorInfo with a failure', async () => {
    const taskId = await newTask();
    const error = { kind: 'model' as const, code: 'output_schema_mismatch', message: 'missing score', details: { issues: ['/score'] } };
    expect((await env.store.tasks.transition(taskId, 'failed', { fields: { error } })).applied).toBe(true);
    expect((await env.store.tasks.get(taskId))!.error).toEqual(error);
  });

  it('applies only from the given statuses', async () => {
    const taskId = await newTask();
    expect(await env.store.tasks.transition(taskId, 'routed', { from: ['admitted'] })).toEqual({
      applied: false,
      status: 'submitted',
    });
    expect(await env.store.tasks.transition(taskId, 'admitted', { from: ['submitted'] })).toEqual({
      applied: true,
      status: 'admitted',
    });
    expect(await env.store.tasks.transition(taskId, 'routed', { from: ['submitted', 'admitted'] })).toEqual({
      applied: true,
      status: 'routed',
    });
    // An empty guard allows nothing.
    expect((await env.store.tasks.transition(taskId, 'running', { from: [] })).applied).toBe(false);
    expect((await env.store.tasks.get(taskId))!.history).toHaveLength(3);
  });

  it('treats re-applying the current status as a no-op', async () => {
    const taskId = await newTask();
    await env.store.tasks.transition(taskId, 'admitted');
    const before = (await env.store.tasks.get(taskId))!;
    expect(await env.store.tasks.transition(taskId, 'admitted', { fields: { role: 'x' } })).toEqual({
      applied: false,
      status: 'admitted',
    });
    expect(await env.store.tasks.get(taskId)).toEqual(before);
  });

  it.each<TaskStatus>(['completed', 'failed', 'rejected'])('keeps terminal status %s forever', async (terminal) => {
    const taskId = await newTask();
    expect((await env.store.tasks.transition(taskId, terminal)).applied).toBe(true);
    const before = (await env.store.tasks.get(taskId))!;
    for (const to of ['submitted', 'admitted', 'running', 'completed', 'failed', 'rejected', 'escalated'] as const) {
      expect(await env.store.tasks.transition(taskId, to, { fields: { result: 'late' } })).toEqual({
        applied: false,
        status: terminal,
      });
    }
    expect(await env.store.tasks.get(taskId)).toEqual(before);
  });

  it('lets an escalated task move on, once, when the move is guarded by from: escalated', async () => {
    const taskId = await newTask();
    await env.store.tasks.transition(taskId, 'running');
    expect(await env.store.tasks.transition(taskId, 'escalated', { from: ['running'] })).toEqual({ applied: true, status: 'escalated' });
    // Late events of the stopped run must not move it: their guards name the statuses they expect.
    expect(await env.store.tasks.transition(taskId, 'completed', { from: ['running'] })).toEqual({
      applied: false,
      status: 'escalated',
    });
    // A decision resumes it; two copies of the decision race, exactly one wins.
    const resumes = await Promise.all(
      Array.from({ length: 10 }, () => env.store.tasks.transition(taskId, 'running', { from: ['escalated'] })),
    );
    expect(resumes.filter((r) => r.applied)).toHaveLength(1);
    // It can escalate again, and a reject ends it for good.
    expect((await env.store.tasks.transition(taskId, 'escalated', { from: ['running'] })).applied).toBe(true);
    expect(await env.store.tasks.transition(taskId, 'failed', { from: ['escalated'] })).toEqual({ applied: true, status: 'failed' });
    expect((await env.store.tasks.transition(taskId, 'running', { from: ['escalated'] })).applied).toBe(false);
    expect((await env.store.tasks.get(taskId))!.history.map((h) => h.status)).toEqual([
      'submitted',
      'running',
      'escalated',
      'running',
      'escalated',
      'failed',
    ]);
  });

  it('lets exactly one of many concurrent competing transitions win', async () => {
    const taskId = await newTask();
    await env.store.tasks.transition(taskId, 'running');
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => env.store.tasks.transition(taskId, i % 2 ? 'completed' : 'failed', { from: ['running'] })),
    );
    expect(outcomes.filter((o) => o.applied)).toHaveLength(1);
    const rec = (await env.store.tasks.get(taskId))!;
    expect(rec.history).toHaveLength(3);
    expect(outcomes.every((o) => o.status === rec.status)).toBe(true);
  });

  it('rejects an unknown status before touching Redis', async () => {
    const taskId = await newTask();
    await expect(env.store.tasks.transition(taskId, 'paused' as TaskStatus)).rejects.toThrow();
    await expect(env.store.tasks.transition(taskId, 'running', { from: ['nope' as TaskStatus] })).rejects.toThrow();
  });

  describe('a command re-sent after a reconnect (same operation id)', () => {
    // ioredis re-sends the exact command, so the re-run carries the first run's op id.
    let opId = 'op-1';
    let repo: TaskStateRepository;
    beforeAll(() => {
      repo = new TaskStateRepository(stateDeps(env.raw, { keys: new KeySpace(env.prefix), newOpId: () => opId }));
    });

    it('answers a re-sent transition as the first run did, without applying it twice', async () => {
      opId = randomUUID();
      const taskId = randomUUID();
      expect(await repo.create({ taskId, tenantId: 'acme', taskType: 't', traceId: null })).toBe(true);
      expect(await repo.create({ taskId, tenantId: 'acme', taskType: 't', traceId: null })).toBe(true);

      opId = randomUUID();
      expect(await repo.transition(taskId, 'running')).toEqual({ applied: true, status: 'running' });
      expect(await env.store.tasks.transition(taskId, 'completed')).toEqual({ applied: true, status: 'completed' });
      expect(await repo.transition(taskId, 'running')).toEqual({ applied: true, status: 'running' });
      const rec = (await env.store.tasks.get(taskId))!;
      expect(rec.status).toBe('completed');
      expect(rec.history.map((h) => h.status)).toEqual(['submitted', 'running', 'completed']);
    });

    it('keeps operation ids only for a bounded time', async () => {
      opId = randomUUID();
      const taskId = await newTask();
      await repo.transition(taskId, 'running');
      const ttl = await env.raw.ttl(new KeySpace(env.prefix).taskOp(taskId, opId));
      expect(ttl).toBeGreaterThan(3000);
      expect(ttl).toBeLessThanOrEqual(3600);
    });
  });
});
