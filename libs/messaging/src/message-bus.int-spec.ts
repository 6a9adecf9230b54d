import { randomUUID } from 'node:crypto';
import { DeadLetterRecord, createEvent, deadLetterTopic, type EventOrigin, type TaskSubmitted } from '@baton/contracts';
import { DeadLetterNotRedrivableError, MessageBus, tenantOfDeadLetter, type DedupeStore, type MessageBusOptions } from './index';
import { KafkaTestClient, LogCollector, testBrokers, uniqueName, waitFor } from './testing';

// The per-project testTimeout in jest.config.js does not reach the test runner; set it here.
jest.setTimeout(30_000);

const brokers = testBrokers();
const kafka = new KafkaTestClient(brokers);
const buses: MessageBus[] = [];

function newBus(opts: Partial<MessageBusOptions> = {}): MessageBus {
  const bus = new MessageBus({
    brokers,
    clientId: uniqueName('int'),
    logger: new LogCollector(),
    // Short waits: these tests check the retry count, not the timing.
    retry: { initialBackoffMs: 10, maxBackoffMs: 40 },
    ...opts,
  });
  buses.push(bus);
  return bus;
}

function submitted(origin: EventOrigin, text: string): TaskSubmitted {
  return createEvent('task.submitted', origin, { taskType: 'lead.qualify', input: { text } });
}

afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  await kafka.close();
});

describe('MessageBus against a real broker', () => {
  it('dead-letters poison messages with their reason and origin, and keeps handling their partition', async () => {
    const topic = uniqueName('poison');
    const groupId = uniqueName('group');
    const bus = newBus();
    await bus.ensureTopics([topic], { partitions: 3 });
    const taskId = randomUUID();
    const origin = { tenantId: 'acme', taskId, causationId: null };

    const handled: Array<{ eventId: string; partition: number; offset: string }> = [];
    let explodeCalls = 0;
    const handlers = {
      'task.submitted': async (e: TaskSubmitted, ctx: { partition: number; offset: string }) => {
        if (e.data.input.text === 'explode') {
          explodeCalls++;
          throw new Error('handler exploded');
        }
        handled.push({ eventId: e.eventId, partition: ctx.partition, offset: ctx.offset });
      },
    };
    const sub = await bus.subscribe({ groupId, topics: [topic], handlers });
    expect(bus.isHealthy()).toBe(true);
    const dlt = await kafka.collect(deadLetterTopic(topic));

    const valid = submitted(origin, 'valid');
    const schemaInvalid = { ...valid, data: { ...valid.data, input: { text: '' } } };
    const unhandled = createEvent('task.rejected', origin, {
      stage: 'input',
      reason: { kind: 'user', code: 'bad_input', message: 'nope' },
    });
    const nonUtf8 = Buffer.from([0xff, 0xfe, 0xfd]);
    // Same key everywhere: every message lands on one partition, behind the poison.
    const raw = await kafka.produceRaw(topic, [
      { key: taskId, value: '{"not": json' },
      { key: taskId, value: nonUtf8 },
      { key: taskId, value: JSON.stringify(schemaInvalid) },
      { key: taskId, value: JSON.stringify(unhandled) },
    ]);
    const explode = submitted(origin, 'explode');
    const good = submitted(origin, 'after the poison');
    await bus.publish(explode, topic);
    await bus.publish(good, topic);

    const goodHandled = await waitFor(() => handled.find((h) => h.eventId === good.eventId), { description: 'the good event' });
    const dead = (await dlt.waitForCount(5)).map((r) => ({ key: r.key, partition: r.partition, record: DeadLetterRecord.parse(r.json()) }));

    const partition = raw[0]!.partition;
    expect(raw.every((r) => r.partition === partition)).toBe(true);
    expect(goodHandled.partition).toBe(partition);
    expect(dead.map((d) => d.record.reason)).toEqual(['invalid_json', 'invalid_json', 'invalid_event', 'no_handler', 'handler_failed']);
    for (const d of dead) {
      expect(d.key).toBe(taskId);
      expect(d.record).toMatchObject({ originalTopic: topic, partition, consumerGroup: groupId });
    }
    expect(dead.slice(0, 4).map((d) => d.record.offset)).toEqual(raw.map((r) => r.offset));
    expect(BigInt(dead[4]!.record.offset)).toBe(BigInt(raw[3]!.offset) + 1n);
    expect(BigInt(goodHandled.offset)).toBeGreaterThan(BigInt(dead[4]!.record.offset));

    const [json, bytes, invalid, noHandler, failed] = dead.map((d) => d.record);
    expect(json).toMatchObject({ value: '{"not": json', valueEncoding: 'utf8', attempts: 0, eventId: null });
    expect(bytes).toMatchObject({ value: nonUtf8.toString('base64'), valueEncoding: 'base64', attempts: 0 });
    expect(invalid).toMatchObject({ eventId: valid.eventId, attempts: 0 });
    expect(invalid!.error).toContain('data.input.text');
    expect(noHandler).toMatchObject({ eventId: unhandled.eventId, attempts: 0 });
    expect(noHandler!.error).toContain('task.rejected');
    expect(failed).toMatchObject({ eventId: explode.eventId, attempts: 3, error: 'handler exploded' });
    expect(explodeCalls).toBe(3);

    // Offsets were committed past the poison: the group's next member sees only what is new.
    await sub.stop();
    const handledBefore = handled.length;
    await bus.subscribe({ groupId, topics: [topic], handlers });
    const sentinel = submitted(origin, 'sentinel');
    await bus.publish(sentinel, topic);
    await waitFor(() => handled.some((h) => h.eventId === sentinel.eventId), { description: 'the sentinel' });
    expect(handled.slice(handledBefore).map((h) => h.eventId)).toEqual([sentinel.eventId]);
    expect(explodeCalls).toBe(3);
    expect(dlt.records).toHaveLength(5);
  });

  class MapDedupeStore implements DedupeStore {
    readonly done = new Map<string, string>();
    async isDone(group: string, eventId: string): Promise<boolean> {
      return this.done.has(`${group}/${eventId}`);
    }
    async markDone(group: string, eventId: string): Promise<void> {
      this.done.set(`${group}/${eventId}`, eventId);
    }
  }

  it.each([
    ['an injected dedupe store', () => new MapDedupeStore()],
    ['the default in-memory dedupe', () => undefined],
  ])('handles a duplicate event once with %s', async (_name, makeStore) => {
    const store = makeStore();
    const bus = newBus({ dedupe: store });
    const topic = uniqueName('dupes');
    const groupId = uniqueName('group');
    await bus.ensureTopics([topic], { partitions: 2 });
    const counts = new Map<string, number>();
    await bus.subscribe({
      groupId,
      topics: [topic],
      handlers: { 'task.submitted': async (e) => void counts.set(e.eventId, (counts.get(e.eventId) ?? 0) + 1) },
    });

    const origin = { tenantId: 'acme', taskId: randomUUID(), causationId: null };
    const event = submitted(origin, 'only once');
    const sentinel = submitted(origin, 'sentinel');
    await bus.publish(event, topic);
    await bus.publish(event, topic);
    await bus.publish(sentinel, topic);

    // Same key, same partition: the sentinel is handled after both copies.
    await waitFor(() => counts.has(sentinel.eventId), { description: 'the sentinel' });
    expect(counts.get(event.eventId)).toBe(1);
    if (store) expect(await store.isDone(groupId, event.eventId)).toBe(true);
  });

  it('publishes a batch across topics, keyed by task id with Baton headers', async () => {
    const bus = newBus();
    const taskId = randomUUID();
    const origin = { tenantId: 'acme', taskId, causationId: null };
    // publishAll routes by contract topic, so this test uses the real topics and finds its own events by id.
    const events = [
      submitted(origin, 'batch one'),
      createEvent('task.failed', origin, { reason: { kind: 'system', code: 'test_only', message: 'batch two' } }),
    ];
    await bus.ensureTopics(['baton.task.submitted', 'baton.task.failed']);
    const collector = await kafka.collect(['baton.task.submitted', 'baton.task.failed']);
    await bus.publishAll(events);
    const ids = new Set(events.map((e) => e.eventId));
    const mine = () => collector.records.filter((r) => ids.has(r.json<{ eventId: string }>().eventId));
    await waitFor(() => mine().length === 2, { description: 'both batch events' });
    for (const r of mine()) {
      expect(r.key).toBe(taskId);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['baton-event-type']).toBe(r.topic === 'baton.task.failed' ? 'task.failed' : 'task.submitted');
    }
  });

  it('reports health and closes idempotently', async () => {
    const bus = newBus();
    expect(bus.isHealthy()).toBe(false);
    await bus.connect();
    expect(bus.isHealthy()).toBe(true);
    await Promise.all([bus.close(), bus.close()]);
    expect(bus.isHealthy()).toBe(false);
    await expect(bus.publish(submitted({ tenantId: 'acme', taskId: randomUUID(), causationId: null }, 'late'))).rejects.toThrow(/closed/);
  });

  it('lets a handler in flight when close() begins publish its result, and refuses publishing once closed', async () => {
    const input = uniqueName('drain-in');
    const output = uniqueName('drain-out');
    const bus = newBus();
    await bus.ensureTopics([input, output]);
    const results = await kafka.collect(output);
    const dlt = await kafka.collect(deadLetterTopic(input));
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    await bus.subscribe({
      groupId: uniqueName('drain'),
      topics: [input],
      handlers: {
        'task.submitted': async (e) => {
          started();
          // Still working when the shutdown begins, like a model call.
          await new Promise((r) => setTimeout(r, 500));
          await bus.publish(submitted({ tenantId: e.tenantId, taskId: e.taskId, causationId: e.eventId }, 'result'), output);
        },
      },
    });
    const taskId = randomUUID();
    await bus.publish(submitted({ tenantId: 'acme', taskId, causationId: null }, 'work'), input);
    await inFlight;
    await bus.close();
    const [result] = await results.waitForCount(1);
    expect(result!.key).toBe(taskId);
    expect(dlt.records).toEqual([]);
    await expect(bus.publishAll([submitted({ tenantId: 'acme', taskId, causationId: null }, 'late')])).rejects.toThrow(/closed/);
  });

  it('ensureTopics creates topics with dead-letter twins and tolerates concurrent creators', async () => {
    const topic = uniqueName('ensure');
    const [a, b] = [newBus(), newBus()];
    await Promise.all([a.ensureTopics([topic], { partitions: 2 }), b.ensureTopics([topic], { partitions: 2 })]);
    await a.ensureTopics([topic]);
    const dlt = await kafka.collect([topic, deadLetterTopic(topic)]);
    await kafka.produceRaw(deadLetterTopic(topic), [{ value: 'x' }]);
    await dlt.waitForCount(1);
  });

  it('dead-letters a message larger than the broker allows as a truncated record and never blocks its partition', async () => {
    // The original topic takes 3 MB messages; its dead-letter twin keeps the broker's default (1 MB).
    const topic = uniqueName('huge');
    await kafka.createTopics([topic], { partitions: 1, maxMessageBytes: 3_000_000 });
    const bus = newBus();
    await bus.ensureTopics([topic], { partitions: 1 });
    const handled: string[] = [];
    await bus.subscribe({ groupId: uniqueName('huge'), topics: [topic], handlers: { 'task.submitted': async (e) => void handled.push(e.eventId) } });
    const dlt = await kafka.collect(deadLetterTopic(topic));

    const huge = `{"not json": "${'x'.repeat(1_500_000)}`;
    const [raw] = await kafka.produceRaw(topic, [{ key: 'k', value: huge }]);
    const after = submitted({ tenantId: 'acme', taskId: randomUUID(), causationId: null }, 'after the huge one');
    await bus.publish(after, topic);

    await waitFor(() => handled.includes(after.eventId), { description: 'the event behind the huge one', timeoutMs: 20_000 });
    const [dead] = await dlt.waitForCount(1);
    expect(dead!.value!.length).toBeLessThan(1_048_576);
    const record = DeadLetterRecord.parse(dead!.json());
    expect(record).toMatchObject({ reason: 'invalid_json', originalTopic: topic, partition: raw!.partition, offset: raw!.offset, truncated: true, originalBytes: huge.length });
    expect(huge.startsWith(record.value!)).toBe(true);
  });

  it('on close stops a later shutdown phase only after the earlier phase drained, so a handler in flight still gets its reply', async () => {
    // Like the agent: a step handler (phase 0) proposes a tool call and waits for the verdict
    // that another subscription of the same bus (phase 1) receives.
    const steps = uniqueName('steps');
    const verdicts = uniqueName('verdicts');
    const bus = newBus();
    await bus.ensureTopics([steps, verdicts], { partitions: 1 });
    const waiting = new Map<string, () => void>();
    await bus.subscribe({
      groupId: uniqueName('verdicts'),
      topics: [verdicts],
      fromBeginning: false,
      shutdownPhase: 1,
      handlers: { 'task.submitted': async (e) => waiting.get(e.data.input.text)?.() },
    });
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    let outcome: 'answered' | 'timed out' | undefined;
    await bus.subscribe({
      groupId: uniqueName('steps'),
      topics: [steps],
      handlers: {
        'task.submitted': async (e) => {
          started();
          // The shutdown begins while the step is busy, before it proposes its tool call.
          await new Promise((r) => setTimeout(r, 300));
          const answered = new Promise<'answered'>((resolve) => waiting.set(e.eventId, () => resolve('answered')));
          const timeout = new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 5_000));
          await bus.publish(submitted({ tenantId: e.tenantId, taskId: e.taskId, causationId: e.eventId }, e.eventId), verdicts);
          outcome = await Promise.race([answered, timeout]);
        },
      },
    });
    await bus.publish(submitted({ tenantId: 'acme', taskId: randomUUID(), causationId: null }, 'step'), steps);
    await inFlight;
    await bus.close();
    expect(outcome).toBe('answered');
  });

  it('lists, reads and redrives dead letters: the original bytes, key and headers go back to their topic', async () => {
    const topic = uniqueName('redrive');
    const bus = newBus();
    await bus.ensureTopics([topic], { partitions: 2 });
    let broken = true;
    const handled: string[] = [];
    await bus.subscribe({
      groupId: uniqueName('redrive'),
      topics: [topic],
      handlers: {
        'task.submitted': async (e) => {
          if (broken) throw new Error('a bug, since fixed');
          handled.push(e.eventId);
        },
      },
    });
    const event = submitted({ tenantId: 'acme', taskId: randomUUID(), causationId: null }, 'redrive me');
    await bus.publish(event, topic);
    const dlt = await kafka.collect(deadLetterTopic(topic));
    await dlt.waitForCount(1);

    const [listed, ...more] = await bus.listDeadLetters([topic], 50);
    expect(more).toEqual([]);
    expect(listed!.record).toMatchObject({ originalTopic: topic, eventId: event.eventId, reason: 'handler_failed', kind: 'poison' });
    expect(tenantOfDeadLetter(listed!.record)).toBe('acme');
    const shown = await bus.getDeadLetter(topic, listed!.partition, listed!.offset);
    expect(shown).toEqual(listed);
    expect(await bus.getDeadLetter(topic, listed!.partition, String(BigInt(listed!.offset) + 100n))).toBeNull();

    broken = false;
    const originals = await kafka.collect(topic);
    const sent = await bus.redriveDeadLetter(listed!);
    expect(sent).toMatchObject({ topic, partition: listed!.record.partition, source: 'original' });
    await waitFor(() => handled.includes(event.eventId), { description: 'the redriven event' });
    const copies = await originals.waitForCount(2);
    const [first, again] = copies;
    expect(again!.value).toEqual(first!.value);
    expect(again!.key).toBe(event.taskId);
    expect(again!.headers['baton-event-type']).toBe('task.submitted');
    expect(again!.headers['baton-redrive-of']).toBe(`${deadLetterTopic(topic)}/${listed!.partition}/${listed!.offset}`);
  });

  it('refuses to redrive a truncated dead letter whose original is gone', async () => {
    const bus = newBus();
    const topic = uniqueName('gone');
    await bus.ensureTopics([topic], { partitions: 1 });
    const record = DeadLetterRecord.parse({
      originalTopic: topic, partition: 0, offset: '41', key: null, value: '{"tenantId":"acme","x":"', valueEncoding: 'utf8', truncated: true, originalBytes: 2_000_000,
      consumerGroup: 'g', reason: 'invalid_json', kind: 'poison', error: 'too big', attempts: 0, eventId: null, failedAt: new Date().toISOString(),
    });
    expect(tenantOfDeadLetter(record)).toBe('acme');
    await expect(bus.redriveDeadLetter({ topic: deadLetterTopic(topic), partition: 0, offset: '0', record })).rejects.toThrow(DeadLetterNotRedrivableError);
  });
});
