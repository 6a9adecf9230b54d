import { ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { parseBudgetPolicy } from '@baton/budget';
import { decisionOrigin, deriveEventId, type BatonEvent } from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { useStateTestEnv } from '@baton/state/testing';
import { GatewayConfig } from './config';
import { EscalationsController } from './escalations.controller';
import { OutboxSweeper } from './outbox.sweeper';
import { TasksController } from './tasks.controller';

const BODY = { taskType: 'support.triage', input: { text: 'The March invoice was charged twice.' } };

/** A bus whose next publishes fail, hang (a crash before the send), or succeed. */
class FakeBus {
  readonly published: BatonEvent[] = [];
  private script: Array<'fail' | 'hang'> = [];
  next(...outcomes: Array<'fail' | 'hang'>): void {
    this.script.push(...outcomes);
  }
  async publish(event: BatonEvent): Promise<void> {
    const outcome = this.script.shift();
    if (outcome === 'fail') throw new Error('broker down');
    if (outcome === 'hang') return new Promise<void>(() => undefined);
    this.published.push(event);
  }
}

const fakeResponse = (): Response & { statusCode: number } => {
  const res = { statusCode: 202, status: (code: number) => ((res.statusCode = code), res), setHeader: () => res };
  return res as unknown as Response & { statusCode: number };
};

describe('gateway outbox (real Redis)', () => {
  const env = useStateTestEnv('gateway-submit-int');
  const config = GatewayConfig.parse({ GATEWAY_OUTBOX_AFTER_MS: '0' });
  const policy = parseBudgetPolicy({ version: 1, task: { maxUsd: 1 }, tenants: { default: {} } }, 'test policy');
  const harness = () => {
    const bus = new FakeBus();
    const controller = new TasksController(bus as unknown as MessageBus, env.store, config, policy);
    const sweeper = new OutboxSweeper(bus as unknown as MessageBus, env.store, config);
    const submit = (key?: string) => {
      const res = fakeResponse();
      return controller.submit('acme', BODY, key, res).then((answer) => ({ answer, code: res.statusCode }));
    };
    const escalations = new EscalationsController(bus as unknown as MessageBus, env.store);
    const decide = (taskId: string) => escalations.decide({ keyId: 'acme-dana', tenant: 'acme', roles: ['reviewer'] }, taskId, { action: 'approve' }, fakeResponse());
    return { bus, submit, sweeper, decide };
  };

  it('a key left claimed for a task that was never created is not answered 200 duplicate for a task GET answers 404', async () => {
    const h = harness();
    const key = randomUUID();
    // What a Redis error (or crash) between the old claim and the create left behind.
    await env.store.idempotency.claim('acme', key, randomUUID());
    const { answer, code } = await h.submit(key);
    expect(await env.store.tasks.get(answer.taskId)).not.toBeNull();
    expect({ code, duplicate: answer.duplicate }).toEqual({ code: 202, duplicate: false });
    expect(h.bus.published.map((e) => e.taskId)).toEqual([answer.taskId]);
  });

  it('a 503 on publish leaves the task republishable: a retry with the same key publishes it with the same event id', async () => {
    const h = harness();
    const key = randomUUID();
    h.bus.next('fail');
    const failed = await h.submit(key).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(ServiceUnavailableException);
    const taskId = ((failed as ServiceUnavailableException).getResponse() as { taskId: string }).taskId;
    expect((await env.store.tasks.get(taskId))?.status).toBe('submitted');

    const { answer, code } = await h.submit(key);
    expect({ code, answer }).toEqual({ code: 200, answer: { taskId, status: 'submitted', traceId: null, duplicate: true } });
    expect(h.bus.published.map((e) => [e.type, e.taskId, e.eventId])).toEqual([['task.submitted', taskId, deriveEventId(taskId, 'submitted')]]);
    // Published now: a third request is a plain duplicate and publishes nothing more.
    await h.submit(key);
    expect(h.bus.published).toHaveLength(1);
  });

  it('a task created but never published (crash before the send) is published by the sweep with its derived event id', async () => {
    const h = harness();
    h.bus.next('hang');
    void h.submit(randomUUID());
    const created = await waitForUnpublished();
    await h.sweeper.sweep(Date.now());
    expect(h.bus.published.map((e) => [e.type, e.taskId, e.eventId])).toEqual([['task.submitted', created, deriveEventId(created, 'submitted')]]);
    // Marked published: the next sweep has nothing to do.
    expect(await h.sweeper.sweep(Date.now())).toMatchObject({ submissions: 0 });
  });

  it('without an idempotency key a 503 on publish fails the task, and the sweep never publishes it', async () => {
    const h = harness();
    h.bus.next('fail');
    const failed = await h.submit().catch((err: unknown) => err);
    const taskId = ((failed as ServiceUnavailableException).getResponse() as { taskId: string }).taskId;
    expect((await env.store.tasks.get(taskId))?.status).toBe('failed');
    await h.sweeper.sweep(Date.now());
    expect(h.bus.published.filter((e) => e.taskId === taskId)).toEqual([]);
  });

  async function waitForUnpublished(): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const [taskId] = await env.store.tasks.unpublished(Date.now());
      if (taskId) return taskId;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no unpublished submission appeared');
  }

  it('a decision recorded but never published (gateway crash before the send) is published by the sweep with its derived event id', async () => {
    const h = harness();
    const taskId = randomUUID();
    const escalationId = randomUUID();
    const now = Date.now();
    await env.store.escalations.open({
      escalationId,
      taskId,
      tenantId: 'acme',
      taskType: 'lead.qualify',
      stopReason: 'attempts_exhausted',
      reason: { kind: 'model', code: 'attempts_exhausted', message: 'output failed the schema 3 times' },
      allowed: ['approve', 'reject'],
      bundle: { question: 'Approve or reject?', history: [], stepOutputs: {}, spentMicros: 0, stepsRun: 1 },
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 3_600_000).toISOString(),
      onTimeout: 'fail',
    });
    h.bus.next('hang');
    void h.decide(taskId);
    await waitFor(async () => (await env.store.escalations.get(taskId))?.status === 'decided');
    // Recorded as decided by the key that sent it.
    expect((await env.store.escalations.get(taskId))?.decision?.decidedBy).toBe('key:acme-dana');
    // Off the open list and the timeout index: only the outbox can still bring the task back.
    expect(await env.store.escalations.listOpen('acme')).toEqual([]);

    await h.sweeper.sweep(Date.now());
    const id = decisionOrigin({ tenantId: 'acme', taskId, escalationId }).eventId;
    expect(h.bus.published.map((e) => [e.type, e.taskId, e.eventId])).toEqual([['task.decision', taskId, id]]);
    expect(await h.sweeper.sweep(Date.now())).toMatchObject({ decisions: 0 });
  });

  async function waitFor(probe: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('condition not met');
  }
});
