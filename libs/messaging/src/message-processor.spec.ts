import { randomUUID } from 'node:crypto';
import { createEvent, type DeadLetterRecord, type TaskSubmitted } from '@baton/contracts';
import type { DedupeStore } from './dedupe';
import { InMemoryDedupeStore } from './dedupe';
import { UnprocessableEvent, createMessageProcessor, type EventHandlers, type HandlerContext, type IncomingMessage } from './message-processor';
import { resolveRetryPolicy } from './retry';
import { LogCollector } from './testing';

function submitted(text = 'qualify this lead'): TaskSubmitted {
  return createEvent('task.submitted', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, { taskType: 'lead.qualify', input: { text } });
}

function incoming(value: Buffer | string | null, opts: { key?: string; heartbeat?: () => Promise<void> } = {}): IncomingMessage {
  return {
    topic: 'baton.task.submitted',
    partition: 1,
    message: {
      key: Buffer.from(opts.key ?? 'k'),
      value: typeof value === 'string' ? Buffer.from(value) : value,
      offset: '7',
    },
    heartbeat: opts.heartbeat ?? (async () => undefined),
  };
}

function setup(handlers: EventHandlers, opts: { dedupe?: DedupeStore; publishDeadLetter?: () => Promise<void> } = {}) {
  const deadLetters: Array<{ topic: string; key: Buffer | null; record: DeadLetterRecord }> = [];
  const sleeps: number[] = [];
  const logger = new LogCollector();
  const process = createMessageProcessor({
    groupId: 'test-group',
    handlers,
    dedupe: opts.dedupe ?? new InMemoryDedupeStore(),
    retry: resolveRetryPolicy(),
    logger,
    publishDeadLetter:
      opts.publishDeadLetter ??
      (async (topic, key, record) => {
        deadLetters.push({ topic, key, record });
      }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { process, deadLetters, sleeps, logger };
}

describe('createMessageProcessor', () => {
  it('hands a valid event to its handler with the message context, then marks it done', async () => {
    const dedupe = new InMemoryDedupeStore();
    const seen: Array<[string, HandlerContext]> = [];
    const { process, deadLetters } = setup({ 'task.submitted': async (e, ctx) => void seen.push([e.eventId, ctx]) }, { dedupe });
    const event = submitted();
    await process(incoming(JSON.stringify(event)));
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(event.eventId);
    expect(seen[0]![1]).toMatchObject({ topic: 'baton.task.submitted', partition: 1, offset: '7', attempt: 1 });
    expect(deadLetters).toEqual([]);
    expect(await dedupe.isDone('test-group', event.eventId)).toBe(true);
  });

  it('a handler refusing an event as unprocessable dead-letters it at once with its reason, never retried or marked done', async () => {
    const dedupe = new InMemoryDedupeStore();
    const handler = jest.fn(async () => {
      throw new UnprocessableEvent('duplicate_task_id', 'task t was submitted by another event');
    });
    const { process, deadLetters, sleeps } = setup({ 'task.submitted': handler }, { dedupe });
    const event = submitted();
    await process(incoming(JSON.stringify(event)));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
    expect(deadLetters.map((d) => d.record)).toEqual([
      expect.objectContaining({ reason: 'duplicate_task_id', error: 'task t was submitted by another event', attempts: 1, eventId: event.eventId }),
    ]);
    expect(await dedupe.isDone('test-group', event.eventId)).toBe(false);
  });

  it('a task.submitted nested 3,600 (or 200,000) levels deep reaches its handler, and a handler overflowing on it ends in a dead letter, never a throw', async () => {
    for (const levels of [3_600, 200_000]) {
      const event = submitted();
      const text = JSON.stringify(event).replace('"input":{', `"input":{"data":{"a":${'['.repeat(levels)}${']'.repeat(levels)}},`);
      const seen: string[] = [];
      const ok = setup({ 'task.submitted': async (e) => void seen.push(e.eventId) });
      await ok.process(incoming(text));
      expect({ levels, seen, deadLetters: ok.deadLetters }).toEqual({ levels, seen: [event.eventId], deadLetters: [] });

      // structuredClone recurses: a RangeError (stack overflow) at these depths.
      const overflowing = setup({ 'task.submitted': async (e) => void structuredClone(e) });
      await overflowing.process(incoming(text));
      expect(overflowing.deadLetters.map((d) => d.record)).toEqual([expect.objectContaining({ reason: 'handler_failed', eventId: event.eventId })]);
    }
  });

  it('dead-letters a value that is not JSON as invalid_json without calling a handler', async () => {
    const handler = jest.fn(async () => undefined);
    const { process, deadLetters } = setup({ 'task.submitted': handler });
    await process(incoming('{not json'));
    expect(handler).not.toHaveBeenCalled();
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]!.topic).toBe('baton.task.submitted');
    expect(deadLetters[0]!.key).toEqual(Buffer.from('k'));
    expect(deadLetters[0]!.record).toMatchObject({ reason: 'invalid_json', value: '{not json', valueEncoding: 'utf8', attempts: 0, eventId: null, offset: '7', partition: 1, consumerGroup: 'test-group' });
  });

  it('dead-letters a missing value and non-UTF-8 bytes as invalid_json, bytes kept as base64', async () => {
    const { process, deadLetters } = setup({});
    await process(incoming(null));
    await process(incoming(Buffer.from([0xff, 0xfe, 0x01])));
    expect(deadLetters.map((d) => d.record.reason)).toEqual(['invalid_json', 'invalid_json']);
    expect(deadLetters[0]!.record.error).toBe('message has no value');
    expect(deadLetters[1]!.record).toMatchObject({ valueEncoding: 'base64', value: Buffer.from([0xff, 0xfe, 0x01]).toString('base64') });
  });

  it('dead-letters a schema-invalid event as invalid_event naming the field, with its event id', async () => {
    const { process, deadLetters } = setup({ 'task.submitted': async () => undefined });
    const event = submitted();
    const bad = { ...event, data: { ...event.data, input: { text: '' } } };
    await process(incoming(JSON.stringify(bad)));
    expect(deadLetters[0]!.record).toMatchObject({ reason: 'invalid_event', eventId: event.eventId, attempts: 0 });
    expect(deadLetters[0]!.record.error).toContain('data.input.text');
  });

  it('dead-letters an event type this subscription has no handler for as no_handler', async () => {
    const { process, deadLetters } = setup({ 'task.routed': async () => undefined });
    const event = submitted();
    await process(incoming(JSON.stringify(event)));
    expect(deadLetters[0]!.record).toMatchObject({ reason: 'no_handler', eventId: event.eventId, attempts: 0 });
    expect(deadLetters[0]!.record.error).toContain('task.submitted');
  });

  it('retries a failing handler with exponential backoff and heartbeats between attempts', async () => {
    let calls = 0;
    const attempts: number[] = [];
    const heartbeat = jest.fn(async () => undefined);
    const { process, deadLetters, sleeps } = setup({
      'task.submitted': async (_e, ctx) => {
        attempts.push(ctx.attempt);
        if (++calls < 3) throw new Error(`transient ${calls}`);
      },
    });
    await process(incoming(JSON.stringify(submitted()), { heartbeat }));
    expect(attempts).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([100, 200]);
    expect(heartbeat).toHaveBeenCalledTimes(2);
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters as handler_failed after the last attempt, with the last error', async () => {
    let calls = 0;
    const dedupe = new InMemoryDedupeStore();
    const { process, deadLetters, sleeps } = setup(
      {
        'task.submitted': async () => {
          throw new Error(`boom ${++calls}`);
        },
      },
      { dedupe },
    );
    const event = submitted();
    await process(incoming(JSON.stringify(event)));
    expect(calls).toBe(3);
    expect(sleeps).toEqual([100, 200]);
    expect(deadLetters[0]!.record).toMatchObject({ reason: 'handler_failed', attempts: 3, error: 'boom 3', eventId: event.eventId });
    // A failed event is not done: replaying it from the dead-letter topic must run the handler.
    expect(await dedupe.isDone('test-group', event.eventId)).toBe(false);
  });

  it('skips an event the dedupe store has seen', async () => {
    const handler = jest.fn(async () => undefined);
    const { process } = setup({ 'task.submitted': handler });
    const value = JSON.stringify(submitted());
    await process(incoming(value));
    await process(incoming(value));
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('handles anyway when the dedupe store fails, and tolerates a failing markDone', async () => {
    const broken: DedupeStore = {
      isDone: async () => {
        throw new Error('redis down');
      },
      markDone: async () => {
        throw new Error('redis down');
      },
    };
    const handler = jest.fn(async () => undefined);
    const { process, logger, deadLetters } = setup({ 'task.submitted': handler }, { dedupe: broken });
    await process(incoming(JSON.stringify(submitted())));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(deadLetters).toEqual([]);
    expect(logger.entries.map((e) => e.msg)).toEqual(expect.arrayContaining(['dedupe lookup failed, handling anyway']));
  });

  it('gives handlers a heartbeat that never throws', async () => {
    const heartbeat = async () => {
      throw new Error('The group is rebalancing');
    };
    const { process, deadLetters } = setup({ 'task.submitted': async (_e, ctx) => ctx.heartbeat() });
    await process(incoming(JSON.stringify(submitted()), { heartbeat }));
    expect(deadLetters).toEqual([]);
  });

  it('rejects when the dead letter cannot be written, so the offset is not committed', async () => {
    const { process } = setup(
      {},
      {
        publishDeadLetter: async () => {
          throw new Error('broker unavailable');
        },
      },
    );
    await expect(process(incoming('nope'))).rejects.toThrow('broker unavailable');
  });
});
