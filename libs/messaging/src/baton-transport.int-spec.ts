import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { Topics, createEvent, type DeadLetterRecord, type TaskAdmitted } from '@baton/contracts';
import { BatonClient, BatonTransport, MessageBus, UnprocessableEvent, type HandlerContext } from './index';
import { KafkaTestClient, LogCollector, testBrokers, waitFor } from './testing';

// The per-project testTimeout in jest.config.js does not reach the test runner; set it here.
jest.setTimeout(60_000);

/*
 * The transport on a real broker, in a namespace of its own (fresh topics and group ids): a
 * handler declared with @EventPattern consumes its topic under the group id as declared, a
 * poison message goes to the dead-letter topic and the partition goes on, and the client
 * publishes what it emits.
 */

const ns = `tr${randomBytes(4).toString('hex')}`;
const topic = (live: string) => live.replace(/^baton\./, `baton.${ns}.`);
const kafka = new KafkaTestClient(testBrokers());

@Controller()
class AdmittedConsumer {
  readonly handled: Array<{ eventId: string; topic: string }> = [];

  @EventPattern('task.admitted')
  async onAdmitted(@Payload() event: TaskAdmitted, @Ctx() ctx: HandlerContext): Promise<void> {
    if (event.data.taskType === 'poison.pill') throw new UnprocessableEvent('invalid_event', 'this task type is refused');
    this.handled.push({ eventId: event.eventId, topic: ctx.topic });
  }
}

@Module({ controllers: [AdmittedConsumer] })
class AppModule {}

const admitted = (taskType: string, taskId: string = randomUUID()): TaskAdmitted =>
  createEvent('task.admitted', { tenantId: 'acme', taskId, causationId: null }, { taskType, input: { text: 'x' }, redactions: [] });

describe('BatonTransport on a real broker', () => {
  let bus: MessageBus;
  let app: INestApplication;

  beforeAll(async () => {
    bus = new MessageBus({ brokers: testBrokers(), clientId: `transport-it-${ns}`, namespace: ns, logger: new LogCollector(), retry: { attempts: 1 } });
    await bus.ensureTopics([Topics.taskAdmitted], { partitions: 2 });
    app = await NestFactory.create(AppModule, { logger: false });
    new BatonTransport(bus, { groupId: 'transport-it' }).connectTo(app);
    await app.startAllMicroservices();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await bus?.close();
    await kafka.close();
  });

  it('consumes under the declared group id, dead-letters a refused event and handles the next one of its partition', async () => {
    const dlt = await kafka.collect(`${topic(Topics.taskAdmitted)}.dlt`);
    // One task, so one partition: the refused event must not hold up the one behind it.
    const taskId = randomUUID();
    const poison = admitted('poison.pill', taskId);
    const good = admitted('ticket.summarize', taskId);
    await bus.publish(poison);
    await bus.publish(good);
    const consumer = app.get(AdmittedConsumer);
    await waitFor(() => consumer.handled.some((h) => h.eventId === good.eventId), { description: 'the good event handled' });
    expect(consumer.handled).toEqual([{ eventId: good.eventId, topic: topic(Topics.taskAdmitted) }]);
    const [dead] = await dlt.waitForCount(1);
    expect(dead!.json<DeadLetterRecord>()).toMatchObject({ reason: 'invalid_event', eventId: poison.eventId, consumerGroup: `transport-it.${ns}`, attempts: 1 });
    // The group id as declared (namespaced), with no suffix of Nest's Kafka transport.
    expect((await kafka.groupMembers(`transport-it.${ns}`)).length).toBe(1);
  });

  it('publishes what the client emits on the event\'s topic', async () => {
    const out = await kafka.collect(topic(Topics.taskAdmitted));
    const event = admitted('ticket.emitted');
    await lastValueFrom(new BatonClient(bus).emit(event.type, event), { defaultValue: undefined });
    await out.waitFor((records) => records.some((r) => r.json<TaskAdmitted>().eventId === event.eventId));
    await waitFor(() => app.get(AdmittedConsumer).handled.some((h) => h.eventId === event.eventId), { description: 'the emitted event handled' });
  });
});
