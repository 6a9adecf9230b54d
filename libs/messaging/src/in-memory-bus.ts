import { deadLetterTopic, parseEvent, topicOf, type BatonEvent, type DeadLetterRecord } from '@baton/contracts';
import { InMemoryDedupeStore, type DedupeStore } from './dedupe';
import { eventHeaders } from './headers';
import type { BusLogger } from './logger';
import { createMessageProcessor, type MessageProcessor } from './message-processor';
import type { SubscribeOptions, Subscription } from './message-bus';
import { resolveRetryPolicy, type RetryPolicy } from './retry';

/** Options of the in-memory bus. */
export interface InMemoryBusOptions {
  /** Retry policy of every group; waits between attempts pass on a virtual clock, so tests never sleep. */
  retry?: Partial<RetryPolicy>;
  /** Default: one in-memory store shared by the bus' groups. */
  dedupe?: DedupeStore;
  /** Default: drops every line. */
  logger?: BusLogger;
}

/** A dead letter the in-memory bus kept, with the topic it would have gone to. */
export interface KeptDeadLetter {
  topic: string;
  record: DeadLetterRecord;
}

interface Group {
  groupId: string;
  topics: ReadonlySet<string>;
  process: MessageProcessor;
  /** Messages of the group are handled one after another, as on one partition. */
  queue: Promise<void>;
  stopped: boolean;
}

const silent: BusLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A MessageBus in process memory for consumer specs: `subscribe` runs the bus' own message
 * processor (parse and validate, dedupe, retries, dead letters), so a handler declared with
 * `@EventPattern` and started by the BatonTransport behaves as on Kafka. Each group handles
 * its messages in order on one partition per topic; what handlers publish is kept in
 * `published` and delivered to the groups subscribed to its topic.
 */
export class InMemoryBus {
  /** Every event published through publish()/publishAll(), in order. */
  readonly published: BatonEvent[] = [];
  /** Every dead letter written, in order. */
  readonly deadLetters: KeptDeadLetter[] = [];
  private readonly groups = new Map<string, Group>();
  private readonly offsets = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly failures: unknown[] = [];
  private readonly dedupe: DedupeStore;
  private readonly retry: RetryPolicy;
  private readonly logger: BusLogger;
  private clock = Date.now();
  private closed = false;

  constructor(opts: InMemoryBusOptions = {}) {
    this.dedupe = opts.dedupe ?? new InMemoryDedupeStore();
    this.retry = resolveRetryPolicy(opts.retry);
    this.logger = opts.logger ?? silent;
  }

  /** The namespace of this bus: always live. */
  get namespace(): string | null {
    return null;
  }

  async connect(): Promise<void> {
    this.assertOpen();
  }

  async ensureTopics(_topics: string[]): Promise<void> {
    this.assertOpen();
  }

  isHealthy(): boolean {
    return !this.closed;
  }

  /** Validates and keeps `event`, then hands it to the groups reading its topic (not awaited, as on Kafka). */
  async publish(event: BatonEvent, topicOverride?: string): Promise<void> {
    const parsed = parseEvent(event);
    this.published.push(parsed);
    // Not awaited, as a producer does not wait for consumers; a failure surfaces in idle().
    void this.route(topicOverride ?? topicOf(parsed), parsed.taskId, JSON.stringify(parsed), parsed, true).catch(() => undefined);
  }

  /** Validates every event first (none is kept if one is invalid), then publishes them in order. */
  async publishAll(events: BatonEvent[]): Promise<void> {
    const parsed = events.map((e) => parseEvent(e));
    for (const event of parsed) await this.publish(event);
  }

  /** Hands `event` to the groups reading its topic as if another service had published it; resolves once they handled (or dead-lettered) it. */
  deliver(event: BatonEvent, topic: string = topicOf(parseEvent(event))): Promise<void> {
    return this.route(topic, event.taskId, JSON.stringify(event), event, false);
  }

  /** Hands raw bytes to the groups reading `topic` (a message no Baton producer would write). */
  deliverRaw(topic: string, value: string | null, key: string | null = null): Promise<void> {
    return this.route(topic, key, value, null, false);
  }

  /** Starts a group; its handlers see every message routed to its topics from now on. */
  async subscribe(opts: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    if (this.groups.has(opts.groupId)) throw new Error(`group ${opts.groupId} is subscribed already`);
    const group: Group = {
      groupId: opts.groupId,
      topics: new Set(opts.topics),
      queue: Promise.resolve(),
      stopped: false,
      process: createMessageProcessor({
        groupId: opts.groupId,
        handlers: opts.handlers,
        dedupe: this.dedupe,
        retry: this.retry,
        logger: this.logger,
        publishDeadLetter: async (topic, _key, record) => void this.deadLetters.push({ topic: deadLetterTopic(topic), record }),
        sleep: async (ms) => void (this.clock += ms),
        now: () => this.clock,
        stopping: () => group.stopped,
      }),
    };
    this.groups.set(opts.groupId, group);
    return {
      groupId: opts.groupId,
      stop: async () => {
        group.stopped = true;
        await group.queue;
        this.groups.delete(opts.groupId);
      },
    };
  }

  /** The running groups and their topics, for specs asserting what a service subscribes to. */
  subscriptions(): Array<{ groupId: string; topics: string[] }> {
    return [...this.groups.values()].map((g) => ({ groupId: g.groupId, topics: [...g.topics] }));
  }

  /** Resolves once nothing is queued or being handled; rejects with the first message a group could neither handle nor dead-letter. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const g of this.groups.values()) g.stopped = true;
    await this.idle().catch(() => undefined);
    this.groups.clear();
  }

  /** Queues the message on every group reading `topic`; `keepFailure` when nobody awaits the result (a publish). */
  private route(topic: string, key: string | null, value: string | null, event: Pick<BatonEvent, 'type'> | null, keepFailure: boolean): Promise<void> {
    const offset = this.offsets.get(topic) ?? 0;
    this.offsets.set(topic, offset + 1);
    const message = {
      key: key === null ? null : Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
      offset: String(offset),
      headers: event ? eventHeaders(event, {}) : {},
    };
    const runs = [...this.groups.values()]
      .filter((g) => !g.stopped && g.topics.has(topic))
      .map((g) => {
        // A group stopped meanwhile leaves the message for its next run, as Kafka would.
        const run = g.queue.then(() => (g.stopped ? undefined : g.process({ topic, partition: 0, message, heartbeat: async () => undefined })));
        g.queue = run.catch(() => undefined);
        return run;
      });
    const all = Promise.all(runs).then(() => undefined);
    const tracked: Promise<void> = all
      .catch((error: unknown) => {
        if (keepFailure) this.failures.push(error);
      })
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return all;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('InMemoryBus is closed');
  }
}
