import { randomUUID } from 'node:crypto';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { ReplyError } from 'redis-errors';
import { createEvent, type DeadLetterRecord, type TaskSubmitted } from '@baton/contracts';
import type { DedupeStore } from './dedupe';
import { InMemoryDedupeStore } from './dedupe';
import { UnprocessableEvent, createMessageProcessor, type EventHandlers, type HandlerContext, type IncomingMessage } from './message-processor';
import { resolveRetryPolicy, type RetryPolicy } from './retry';
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

// kafkajs builds protocol errors from its code table; that module has no types.
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode(code: number): KafkaJSProtocolError };

function setup(
  handlers: EventHandlers,
  opts: {
    dedupe?: DedupeStore;
    publishDeadLetter?: (topic: string, key: Buffer | null, record: DeadLetterRecord) => Promise<void>;
    retry?: Partial<RetryPolicy>;
    stopping?: () => boolean;
  } = {},
) {
  const deadLetters: Array<{ topic: string; key: Buffer | null; record: DeadLetterRecord }> = [];
  const sleeps: number[] = [];
  const logger = new LogCollector();
  // A fake clock the fake sleep advances: budgets of a minute run in no time.
  const clock = { ms: 0 };
  const process = createMessageProcessor({
    groupId: 'test-group',
    handlers,
    dedupe: opts.dedupe ?? new InMemoryDedupeStore(),
    retry: resolveRetryPolicy(opts.retry),
    now: () => clock.ms,
    ...(opts.stopping ? { stopping: opts.stopping } : {}),
    logger,
    publishDeadLetter:
      opts.publishDeadLetter ??
      (async (topic, key, record) => {
        deadLetters.push({ topic, key, record });
      }),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
    },
  });
  return { process, deadLetters, sleeps, logger, clock };
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
    expect(deadLetters[0]!.record).toMatchObject({ reason: 'handler_failed', kind: 'poison', attempts: 3, error: 'boom 3', eventId: event.eventId });
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

  describe('transient errors (a Redis or broker restart)', () => {
    it('does not dead-letter a healthy event while Redis answers LOADING for 20 s', async () => {
      const heartbeat = jest.fn(async () => undefined);
      const dedupe = new InMemoryDedupeStore();
      let calls = 0;
      const { process, deadLetters, clock } = setup(
        {
          'task.submitted': async () => {
            calls++;
            if (clock.ms < 20_000) throw new ReplyError('LOADING Redis is loading the dataset in memory');
          },
        },
        { dedupe },
      );
      const event = submitted();
      await process(incoming(JSON.stringify(event), { heartbeat }));
      expect(deadLetters).toEqual([]);
      expect(calls).toBeGreaterThan(3);
      expect(await dedupe.isDone('test-group', event.eventId)).toBe(true);
    });

    it.each([
      ['Connection is closed', () => new Error('Connection is closed.')],
      ['NOT_LEADER_FOR_PARTITION retries exhausted', () => new KafkaJSNumberOfRetriesExceeded(createErrorFromCode(6), { retryCount: 5, retryTime: 3000 })],
      ['LEADER_NOT_AVAILABLE', () => createErrorFromCode(5)],
    ])('does not dead-letter a healthy event on %s during a 10 s outage', async (_name, makeError) => {
      const { process, deadLetters, clock } = setup({
        'task.submitted': async () => {
          if (clock.ms < 10_000) throw makeError();
        },
      });
      await process(incoming(JSON.stringify(submitted())));
      expect(deadLetters).toEqual([]);
    });

    it('heartbeats at least every 3 s while it waits out a transient failure, so the consumer keeps its partitions', async () => {
      const beats: number[] = [];
      const { process, clock, sleeps } = setup({
        'task.submitted': async () => {
          if (clock.ms < 30_000) throw new Error('Connection is closed.');
        },
      });
      await process(incoming(JSON.stringify(submitted()), { heartbeat: async () => void beats.push(clock.ms) }));
      expect(Math.max(...sleeps)).toBeLessThanOrEqual(3_000);
      const gaps = beats.map((t, i) => t - (beats[i - 1] ?? 0));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(3_000);
    });

    it('dead-letters a transient failure that outlasts the budget, marked kind transient', async () => {
      const { process, deadLetters, clock } = setup(
        {
          'task.submitted': async () => {
            throw new ReplyError('READONLY You can\'t write against a read only replica.');
          },
        },
        { retry: { transientBudgetMs: 30_000 } },
      );
      await process(incoming(JSON.stringify(submitted())));
      expect(deadLetters).toHaveLength(1);
      expect(deadLetters[0]!.record).toMatchObject({ reason: 'handler_failed', kind: 'transient' });
      expect(deadLetters[0]!.record.attempts).toBeGreaterThan(3);
      expect(clock.ms).toBeLessThanOrEqual(30_000);
      expect(clock.ms).toBeGreaterThan(20_000);
    });

    it('dead-letters a poison error after 3 attempts even when transient failures came first', async () => {
      let calls = 0;
      const { process, deadLetters } = setup({
        'task.submitted': async () => {
          if (++calls <= 5) throw new Error('Connection is closed.');
          throw new Error('cannot parse the plan');
        },
      });
      await process(incoming(JSON.stringify(submitted())));
      expect(calls).toBe(8);
      expect(deadLetters[0]!.record).toMatchObject({ kind: 'poison', error: 'cannot parse the plan', attempts: 8 });
    });

    it('rejects instead of dead-lettering a transient failure once the consumer is stopping, so the message is redelivered', async () => {
      let stopping = false;
      const { process, deadLetters } = setup(
        {
          'task.submitted': async () => {
            stopping = true;
            throw new Error('Connection is closed.');
          },
        },
        { stopping: () => stopping },
      );
      await expect(process(incoming(JSON.stringify(submitted())))).rejects.toThrow('Connection is closed.');
      expect(deadLetters).toEqual([]);
    });

    it('dead-letters parse failures as kind poison', async () => {
      const { process, deadLetters } = setup({});
      await process(incoming('{not json'));
      expect(deadLetters[0]!.record.kind).toBe('poison');
    });
  });

  describe('dead-letter publishing', () => {
    it('survives a broker blip: retries a transient publish failure with backoff', async () => {
      let tries = 0;
      const written: DeadLetterRecord[] = [];
      const { process, sleeps } = setup(
        {},
        {
          publishDeadLetter: async (_t, _k, record) => {
            if (++tries <= 3) throw new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
            written.push(record);
          },
        },
      );
      await process(incoming('nope'));
      expect(tries).toBe(4);
      expect(written).toHaveLength(1);
      expect(sleeps.length).toBeGreaterThanOrEqual(3);
    });

    it('rejects when a transient publish failure outlasts the budget, so the message is redelivered', async () => {
      const { process, clock } = setup(
        {},
        {
          retry: { transientBudgetMs: 10_000 },
          publishDeadLetter: async () => {
            throw createErrorFromCode(6);
          },
        },
      );
      await expect(process(incoming('nope'))).rejects.toThrow();
      expect(clock.ms).toBeLessThanOrEqual(10_000);
    });

    it('writes a shorter dead letter when the broker refuses it as MESSAGE_TOO_LARGE, so the partition moves on', async () => {
      const written: DeadLetterRecord[] = [];
      const { process } = setup(
        {},
        {
          // A broker whose message.max.bytes is 100 KB, below the bus' own limit.
          publishDeadLetter: async (_t, _k, record) => {
            if (JSON.stringify(record).length > 100_000) throw createErrorFromCode(10);
            written.push(record);
          },
        },
      );
      const value = `{"huge": "${'x'.repeat(500_000)}`;
      await process(incoming(value));
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({ reason: 'invalid_json', truncated: true, originalBytes: value.length, offset: '7', partition: 1 });
    });
  });
});
