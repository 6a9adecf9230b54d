import { randomBytes, randomUUID } from 'node:crypto';
import { DeadLetterRecord, createEvent, deadLetterTopic, type TaskSubmitted } from '@baton/contracts';
import { MessageBus, type MessageBusOptions } from './index';
import { KafkaTestClient, LogCollector, testBrokers, uniqueName, waitFor } from './testing';

// The per-project testTimeout in jest.config.js does not reach the test runner; set it here.
jest.setTimeout(30_000);

const brokers = testBrokers();
const kafka = new KafkaTestClient(brokers);
const buses: MessageBus[] = [];

function newBus(opts: Partial<MessageBusOptions> = {}): MessageBus {
  const bus = new MessageBus({ brokers, clientId: uniqueName('ns'), logger: new LogCollector(), retry: { attempts: 1 }, ...opts });
  buses.push(bus);
  return bus;
}

/** A fresh Baton-shaped topic (`baton.<word>.events`) and a fresh namespace, so no other test or stack sees them. */
function fresh(): { ns: string; live: string; namespaced: string } {
  const word = `it${randomBytes(4).toString('hex')}`;
  const ns = `ns${randomBytes(4).toString('hex')}`;
  return { ns, live: `baton.${word}.events`, namespaced: `baton.${ns}.${word}.events` };
}

function submitted(text: string): TaskSubmitted {
  return createEvent('task.submitted', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, { taskType: 'lead.qualify', input: { text } });
}

/** Subscribes a handler that records the event ids it sees. */
async function record(bus: MessageBus, groupId: string, topic: string, opts: { fromBeginning?: boolean } = {}) {
  const seen: string[] = [];
  const sub = await bus.subscribe({
    groupId,
    topics: [topic],
    ...opts,
    handlers: {
      'task.submitted': async (e) => {
        seen.push(e.eventId);
      },
    },
  });
  return { seen, sub };
}

afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  await kafka.close();
});

it('publishes a namespaced bus\' events on the namespaced topic, where a live bus never sees them', async () => {
  const { ns, live, namespaced } = fresh();
  const liveBus = newBus();
  const nsBus = newBus({ namespace: ns });
  expect(nsBus.namespace).toBe(ns);
  expect(liveBus.namespace).toBeNull();
  await liveBus.ensureTopics([live], { partitions: 2 });
  await nsBus.ensureTopics([live], { partitions: 2 });
  expect(await kafka.listTopics()).toEqual(expect.arrayContaining([live, deadLetterTopic(live), namespaced, deadLetterTopic(namespaced)]));
  const onTopics = await kafka.collect([live, namespaced]);

  const group = uniqueName('group');
  const liveSide = await record(liveBus, group, live);
  const nsSide = await record(nsBus, group, live);
  // Same group name on both sides, yet two groups on the broker: the namespace's is suffixed.
  expect(liveSide.sub.groupId).toBe(group);
  expect(nsSide.sub.groupId).toBe(`${group}.${ns}`);

  const inNamespace = submitted('namespaced');
  await nsBus.publish(inNamespace, live);
  await waitFor(() => nsSide.seen.includes(inNamespace.eventId), { description: 'the namespaced consumer to see its event' });

  // A live event after it: once the live consumer has it, it would have had the namespaced one too.
  const liveEvent = submitted('live');
  await liveBus.publish(liveEvent, live);
  await waitFor(() => liveSide.seen.includes(liveEvent.eventId), { description: 'the live consumer to see the live event' });
  expect(liveSide.seen).toEqual([liveEvent.eventId]);

  const records = await onTopics.waitForCount(2);
  expect(records.map((r) => [r.topic, r.json<TaskSubmitted>().eventId])).toEqual(
    expect.arrayContaining([
      [namespaced, inNamespace.eventId],
      [live, liveEvent.eventId],
    ]),
  );
  expect(records).toHaveLength(2);
  expect(nsSide.seen).toEqual([inNamespace.eventId]);
});

it('reads live inputs from live, from the latest message on, and dead-letters them inside the namespace', async () => {
  const { ns, live, namespaced } = fresh();
  const liveBus = newBus();
  await liveBus.ensureTopics([live], { partitions: 1 });
  // Published before the namespace's group exists: a new group on a live input must not replay it.
  const before = submitted('before the namespace joined');
  await liveBus.publish(before, live);

  const nsBus = newBus({ namespace: ns, liveInputs: [live] });
  await nsBus.ensureTopics([live], { partitions: 1 });
  const deadLetters = await kafka.collect([deadLetterTopic(live), deadLetterTopic(namespaced)]);
  const nsSide = await record(nsBus, uniqueName('group'), live, { fromBeginning: true });

  const after = submitted('after');
  await liveBus.publish(after, live);
  await waitFor(() => nsSide.seen.includes(after.eventId), { description: 'the live input to reach the namespace' });
  expect(nsSide.seen).toEqual([after.eventId]);

  // A namespaced bus never writes to a live input: its own publish goes to the namespaced copy.
  const onTopics = await kafka.collect([live, namespaced]);
  const own = submitted('own');
  await nsBus.publish(own, live);
  const records = await onTopics.waitFor((r) => r.some((x) => x.json<TaskSubmitted>().eventId === own.eventId));
  expect(records.find((x) => x.json<TaskSubmitted>().eventId === own.eventId)!.topic).toBe(namespaced);

  // A poison message on the live input lands on the namespace's dead-letter topic, not live's.
  await kafka.produceRaw(live, [{ key: 'k', value: 'not json' }]);
  const [dead] = await deadLetters.waitForCount(1);
  expect(dead!.topic).toBe(deadLetterTopic(namespaced));
  expect(DeadLetterRecord.parse(dead!.json())).toMatchObject({ originalTopic: live, reason: 'invalid_json', consumerGroup: nsSide.sub.groupId });
  // The live publish that follows is handled after the poison (one partition): by then a live dead letter would be there.
  const last = submitted('last');
  await liveBus.publish(last, live);
  await waitFor(() => nsSide.seen.includes(last.eventId), { description: 'the event after the poison' });
  expect(deadLetters.records.map((r) => r.topic)).toEqual([deadLetterTopic(namespaced)]);
});
