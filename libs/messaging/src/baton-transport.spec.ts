import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Topics, createEvent, type AuditRecorded, type BudgetLow, type TaskAdmitted } from '@baton/contracts';
import { BatonTransport } from './baton-transport';
import { ConsumerGroups, HandlerDeclarationError } from './consumer-groups';
import { UnprocessableEvent, type HandlerContext } from './message-processor';
import type { SubscribeOptions, Subscription } from './message-bus';
import { InMemoryBus, startWithTransport } from './testing';

const origin = () => ({ tenantId: 'acme', taskId: randomUUID(), causationId: null });
const admitted = (): TaskAdmitted => createEvent('task.admitted', origin(), { taskType: 'ticket.summarize', input: { text: 'The printer jams.' }, redactions: [] });
const audit = (): AuditRecorded => createEvent('audit.recorded', origin(), { category: 'input', actor: 'guardrails', decision: 'admit', reason: 'ok' });
const budgetLow = (): BudgetLow => createEvent('budget.low', origin(), { scope: 'tenant:acme', level: 'tenant', limitMicros: 10, remainingMicros: 1 });

/** A consumer as the services write them: handlers declared, nothing else. */
@Controller()
class ExampleConsumer {
  readonly seen: Array<{ type: string; ctx: HandlerContext }> = [];
  /** What the next calls of onAdmitted throw, one per call. */
  readonly failures: unknown[] = [];

  @EventPattern('task.admitted')
  async onAdmitted(@Payload() event: TaskAdmitted, @Ctx() ctx: HandlerContext): Promise<void> {
    this.seen.push({ type: event.type, ctx });
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
  }

  @EventPattern('budget.low')
  async onBudgetLow(@Payload() event: BudgetLow, @Ctx() ctx: HandlerContext): Promise<void> {
    this.seen.push({ type: event.type, ctx });
  }

  @EventPattern('audit.recorded', { group: 'example-audit', shutdownPhase: 1 })
  async onAudit(@Payload() event: AuditRecorded, @Ctx() ctx: HandlerContext): Promise<void> {
    this.seen.push({ type: event.type, ctx });
  }
}

/** Another reader of the audit topic, in a group of its own. */
@Controller()
class AuditMirror {
  readonly seen: string[] = [];

  @EventPattern('audit.recorded', { group: 'audit-mirror' })
  async onAudit(@Payload() event: AuditRecorded): Promise<void> {
    this.seen.push(event.eventId);
  }
}

describe('BatonTransport (in-memory bus)', () => {
  let bus: InMemoryBus;
  let app: INestApplication;
  let consumer: ExampleConsumer;

  beforeEach(async () => {
    bus = new InMemoryBus();
    const moduleRef = await Test.createTestingModule({ controllers: [ExampleConsumer, AuditMirror] }).compile();
    app = await startWithTransport(moduleRef, new BatonTransport(bus, { groupId: 'example' }));
    consumer = app.get(ExampleConsumer);
  });

  afterEach(() => app.close());

  it('subscribes each declared group to the topics of its handlers\' event types', () => {
    expect(bus.subscriptions()).toEqual(
      expect.arrayContaining([
        { groupId: 'example', topics: [Topics.taskAdmitted, Topics.budget] },
        { groupId: 'example-audit', topics: [Topics.audit] },
        { groupId: 'audit-mirror', topics: [Topics.audit] },
      ]),
    );
    expect(bus.subscriptions()).toHaveLength(3);
  });

  it('hands a handler its event, parsed, and where it came from', async () => {
    const event = admitted();
    await bus.deliver(event);
    expect(consumer.seen).toEqual([{ type: 'task.admitted', ctx: expect.objectContaining({ topic: Topics.taskAdmitted, partition: 0, offset: '0', attempt: 1 }) }]);
    expect(bus.deadLetters).toEqual([]);
  });

  it('skips a redelivered event the group handled already', async () => {
    const event = admitted();
    await bus.deliver(event);
    await bus.deliver(event);
    expect(consumer.seen).toHaveLength(1);
  });

  it('keeps a handler\'s error intact through Nest: an UnprocessableEvent is dead-lettered at once with its reason', async () => {
    consumer.failures.push(new UnprocessableEvent('duplicate_task_id', 'the task id is taken'));
    await bus.deliver(admitted());
    expect(consumer.seen).toHaveLength(1);
    expect(bus.deadLetters).toEqual([
      { topic: `${Topics.taskAdmitted}.dlt`, record: expect.objectContaining({ reason: 'duplicate_task_id', attempts: 1, consumerGroup: 'example', error: expect.stringContaining('the task id is taken') }) },
    ]);
  });

  it('retries a failing handler by the bus\' policy, then dead-letters the message as handler_failed', async () => {
    consumer.failures.push(new Error('bad data'), new Error('bad data'), new Error('bad data'));
    await bus.deliver(admitted());
    expect(consumer.seen.map((s) => s.ctx.attempt)).toEqual([1, 2, 3]);
    expect(bus.deadLetters.map((d) => [d.record.reason, d.record.kind, d.record.attempts])).toEqual([['handler_failed', 'poison', 3]]);
  });

  it('waits out a transient failure and handles the message once it clears', async () => {
    consumer.failures.push(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await bus.deliver(admitted());
    expect(consumer.seen.map((s) => s.ctx.attempt)).toEqual([1, 2]);
    expect(bus.deadLetters).toEqual([]);
  });

  it('dead-letters what no handler of the group takes: bytes that are no JSON, an event type it does not handle', async () => {
    await bus.deliverRaw(Topics.taskAdmitted, '{not json');
    await bus.deliver(budgetLow());
    await bus.deliver(createEvent('budget.exhausted', origin(), { stepId: 's', attempt: 1, scope: 'task:x', level: 'task', limitMicros: 1, spentMicros: 1, reservedMicros: 0, requestedMicros: 5, model: 'm' }));
    expect(bus.deadLetters.map((d) => [d.topic, d.record.reason])).toEqual([
      [`${Topics.taskAdmitted}.dlt`, 'invalid_json'],
      [`${Topics.budget}.dlt`, 'no_handler'],
    ]);
    expect(consumer.seen.map((s) => s.type)).toEqual(['budget.low']);
  });

  it('hands a message on a topic two groups read to each group\'s own handler, once', async () => {
    const event = audit();
    await bus.deliver(event);
    expect(consumer.seen.map((s) => s.type)).toEqual(['audit.recorded']);
    expect(app.get(AuditMirror).seen).toEqual([event.eventId]);
  });
});

/** A bus that records the order groups start and stop in. */
class RecordingBus {
  readonly log: string[] = [];
  async subscribe(opts: SubscribeOptions): Promise<Subscription> {
    this.log.push(`start ${opts.groupId}`);
    return { groupId: opts.groupId, stop: async () => void this.log.push(`stop ${opts.groupId}`) };
  }
}

describe('BatonTransport lifecycle', () => {
  it('starts later shutdown phases first and stops them last; reports each group to readiness until it joined', async () => {
    const bus = new RecordingBus();
    const readiness = { pending: new Set<string>(), expect: (n: string) => void readiness.pending.add(n), complete: (n: string) => void readiness.pending.delete(n) };
    const expected: string[] = [];
    const expect_ = readiness.expect;
    readiness.expect = (n) => {
      expected.push(n);
      expect_(n);
    };
    const moduleRef = await Test.createTestingModule({ controllers: [ExampleConsumer] }).compile();
    const app = await startWithTransport(moduleRef, new BatonTransport(bus, { groupId: 'example', readiness }));
    expect(expected).toEqual(['consumer group example', 'consumer group example-audit']);
    expect(readiness.pending.size).toBe(0);
    await app.close();
    expect(bus.log).toEqual(['start example-audit', 'start example', 'stop example', 'stop example-audit']);
  });

  it('runs a configured group as the consumers it is split into', async () => {
    const bus = new InMemoryBus();
    const moduleRef = await Test.createTestingModule({ controllers: [ExampleConsumer] }).compile();
    const groups = new ConsumerGroups({ 'example-audit': [{ groupId: 'example-audit-i1' }] });
    const app = await startWithTransport(moduleRef, new BatonTransport(bus, { groupId: 'example', groups }));
    expect(bus.subscriptions().map((s) => s.groupId).sort()).toEqual(['example', 'example-audit-i1']);
    await app.close();
  });

  it('refuses to start when not connected with connectTo(): handler errors would lose their kind', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ExampleConsumer] }).compile();
    const ms = moduleRef.createNestMicroservice({ strategy: new BatonTransport(new InMemoryBus(), { groupId: 'example' }), logger: false });
    await expect(ms.listen()).rejects.toThrow(/connectTo\(app\)/);
    await ms.close();
  });

  it('refuses to start with a request-reply handler', async () => {
    @Controller()
    class AsksForAnswers {
      @MessagePattern('task.admitted')
      answer(): string {
        return 'no';
      }
    }
    const moduleRef = await Test.createTestingModule({ controllers: [AsksForAnswers] }).compile();
    await expect(startWithTransport(moduleRef, new BatonTransport(new InMemoryBus(), { groupId: 'x' }))).rejects.toThrow(HandlerDeclarationError);
  });
});
