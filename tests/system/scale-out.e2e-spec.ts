import { randomUUID } from 'node:crypto';
import { Topics, stepRequestedTopic } from '@baton/contracts';
import { KafkaTestClient, type TopicCollector } from '@baton/messaging/testing';
import { GatewayClient, Stack, type ServiceExit, type TaskView } from '@baton/stack';
import { resetModelBreakers } from '../support/breakers';
import { OtlpCollector, type CollectedSpan } from '../support/otlp-collector';
import { simulatorApi } from '../support/simulator';
import { waitFor } from '../support/wait-for';

// Scaling out, every service a process on the real Kafka and Redis: two processes of the
// `general` agent share its consumer group. A batch of tasks whose model calls take a while
// is spread over both; mid-run one replica is stopped, gracefully (SIGTERM) in one stack
// and by a crash (SIGKILL) in another. Every task still completes, exactly once.
//
// Which replica handled a step: the stack names each process in its spans' resource
// (service.instance.id); the agent's `process <step topic>` span carries the partition
// and the task, its `agent general` span is the step's handler.

jest.setTimeout(120000);

const BASE_PORT = 26080;
const KEY = 'dev-key-acme';
const ROLE = 'general';
const STEP_TOPIC = stepRequestedTopic(ROLE);
/** Partitions of every Baton topic as the services create them (libs/messaging's default). */
const STEP_PARTITIONS = 6;
const BATCH = 24;
/** Every model call of the batch takes this long, so steps overlap and some are in flight at the stop. */
const MODEL_LATENCY_MS = 2000;
const REPLICAS = ['agent-general', 'agent-general-2'] as const;
/** After a crash the group waits for the session timeout (30 s) before it reassigns the dead member's partitions. */
const SETTLE_TIMEOUT_MS = 180000;

type Mode = 'SIGTERM' | 'SIGKILL';

interface SimLogEntry {
  at: string;
  status?: number;
  body: unknown;
}

/** A model call of one batch task, as the simulator logged it. */
interface ModelCall {
  task: string;
  arrivedAt: number;
  answered: boolean;
}

interface Outcome {
  victim: string;
  survivor: string;
  exit: ServiceExit;
  batch: string[];
  /** Batch tasks not settled yet when the stop began. */
  pendingAtStop: number;
  stopAt: number;
  /** Per replica, the batch tasks whose step it had handled (spans received) before the stop. */
  handledBefore: Map<string, Set<string>>;
  /** Per replica, the step partitions it had consumed from before the stop. */
  partitionsBefore: Map<string, Set<number>>;
  final: TaskView[];
  /** Per batch task, its `task.completed` records on Kafka. */
  completions: Map<string, number>;
  /** Batch tasks with a `task.failed` or `task.escalated` record. */
  otherEnds: string[];
  calls: ModelCall[];
  /** Per batch task, the replicas whose handler span it has. */
  handlers: Map<string, Set<string>>;
  sentinels: TaskView[];
  /** Step partitions the survivor consumed sentinel steps from, after the stop. */
  survivorPartitionsAfter: Set<number>;
}

const isStepSpan = (s: CollectedSpan) => s.service === 'baton-agent' && s.name === `agent ${ROLE}`;
const isConsumeSpan = (s: CollectedSpan) => s.service === 'baton-agent' && s.name === `process ${STEP_TOPIC}`;
const taskOf = (s: CollectedSpan) => String(s.attributes['baton.task.id'] ?? '');
const partitionOf = (s: CollectedSpan) => Number(s.attributes['messaging.destination.partition.id']);

function group<K, V>(items: Iterable<[K, V]>): Map<K, Set<V>> {
  const out = new Map<K, Set<V>>();
  for (const [k, v] of items) {
    const set = out.get(k) ?? new Set<V>();
    set.add(v);
    out.set(k, set);
  }
  return out;
}

/** Starts a stack with two replicas of the agent, runs the batch, stops one replica mid-run, and gathers what happened. */
function scenario(mode: Mode): { outcome: () => Outcome } {
  let stack: Stack | undefined;
  let collector: OtlpCollector | undefined;
  let kafka: KafkaTestClient | undefined;
  let result: Outcome | undefined;

  beforeAll(async () => {
    await resetModelBreakers();
    collector = await OtlpCollector.start();
    const spans = collector.spans;
    stack = await Stack.start({
      basePort: BASE_PORT,
      roles: [ROLE],
      agentReplicas: 2,
      modelsOnSimulator: true,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
    expect(stack.services.map((s) => s.name)).toEqual(expect.arrayContaining([...REPLICAS]));
    const gw = new GatewayClient(stack.gatewayUrl, KEY);
    const simBase = stack.simulatorUrl!.replace(/\/v1$/, '');
    const sim = simulatorApi(() => simBase);
    kafka = new KafkaTestClient();
    // Every task end, read raw (no dedupe), so a second completion of a task would show.
    const ends: TopicCollector = await kafka.collect([Topics.taskCompleted, Topics.taskFailed, Topics.taskEscalated]);

    const run = randomUUID().slice(0, 8);
    const marker = `[${run}:`;
    await sim('POST', '/_sim/rules', {
      id: `scale-out-${run}`,
      match: { contains: marker },
      replies: [{ content: 'Category: billing. Priority: normal. Summary: the customer disputes the amount of an invoice.', latencyMs: MODEL_LATENCY_MS }],
      repeat: true,
    });

    const tickets = Array.from({ length: BATCH }, (_, i) => `${marker}${i}]`);
    const batch = (
      await Promise.all(tickets.map((t) => gw.submit({ taskType: 'support.triage', input: { text: `Ticket ${t}: the amount on my last invoice is wrong, please check it.` } })))
    ).map((s) => s.taskId);
    const inBatch = new Set(batch);

    // Both replicas are at work: each has handled at least one step of the batch.
    await waitFor(
      'a step of the batch handled by each replica',
      () => {
        const by = new Set(spans.filter((s) => isStepSpan(s) && inBatch.has(taskOf(s))).map((s) => s.instance));
        return REPLICAS.every((r) => by.has(r)) ? true : undefined;
      },
      60000,
      50,
    );
    const handledBefore = group(spans.filter((s) => isStepSpan(s) && inBatch.has(taskOf(s))).map((s): [string, string] => [s.instance, taskOf(s)]));
    const partitionsBefore = group(spans.filter((s) => isConsumeSpan(s) && inBatch.has(taskOf(s))).map((s): [string, number] => [s.instance, partitionOf(s)]));
    const pendingAtStop = (await Promise.all(batch.map((id) => gw.get(id)))).filter((t) => t.status !== 'completed').length;

    const victim = REPLICAS[1];
    const survivor = REPLICAS[0];
    const stopAt = Date.now();
    const exit = (mode === 'SIGTERM' ? await stack.stopService(victim) : await stack.killService(victim))!;

    const final = await Promise.all(batch.map((id) => gw.untilTerminal(id, SETTLE_TIMEOUT_MS)));

    // Sentinels, submitted after the stop, until the survivor has taken steps from every
    // partition. Each partition is consumed in order, and every topic on the way is keyed by
    // task id with the same partition count, so once a partition's sentinel has completed,
    // every earlier message of that partition (a redelivered batch step included) has gone
    // all the way through: no late duplicate of a batch completion can still come.
    const sentinels: TaskView[] = [];
    const survivorPartitionsAfter = new Set<number>();
    for (let round = 0; survivorPartitionsAfter.size < STEP_PARTITIONS && round < 10; round++) {
      const ids = (
        await Promise.all(Array.from({ length: STEP_PARTITIONS }, (_, i) => gw.submit({ taskType: 'support.triage', input: { text: `Sentinel ${run}-${round}-${i}: where is my order?` } })))
      ).map((s) => s.taskId);
      sentinels.push(...(await Promise.all(ids.map((id) => gw.untilTerminal(id, SETTLE_TIMEOUT_MS)))));
      const consumed = await waitFor(
        'the consume spans of the sentinels',
        () => {
          const found = spans.filter((s) => isConsumeSpan(s) && ids.includes(taskOf(s)));
          return ids.every((id) => found.some((s) => taskOf(s) === id)) ? found : undefined;
        },
        30000,
      );
      for (const s of consumed) if (s.instance === survivor) survivorPartitionsAfter.add(partitionOf(s));
    }

    // Read once all is quiet (a redone step's call may still be running when its task has completed).
    const requests = ((await sim('GET', '/_sim/requests')) as { requests: SimLogEntry[] }).requests;
    const calls: ModelCall[] = [];
    for (const r of requests) {
      const body = JSON.stringify(r.body);
      const i = tickets.findIndex((t) => body.includes(t));
      if (i >= 0) calls.push({ task: batch[i]!, arrivedAt: Date.parse(r.at), answered: r.status !== undefined });
    }
    const completions = new Map<string, number>(batch.map((id) => [id, 0]));
    const otherEnds: string[] = [];
    for (const r of ends.records) {
      if (r.key === null || !inBatch.has(r.key)) continue;
      if (r.topic === Topics.taskCompleted) completions.set(r.key, (completions.get(r.key) ?? 0) + 1);
      else otherEnds.push(r.key);
    }
    const handlers = group(spans.filter((s) => isStepSpan(s) && inBatch.has(taskOf(s))).map((s): [string, string] => [taskOf(s), s.instance]));
    result = {
      victim,
      survivor,
      exit,
      batch,
      pendingAtStop,
      stopAt,
      handledBefore,
      partitionsBefore,
      final,
      completions,
      otherEnds,
      calls,
      handlers,
      sentinels,
      survivorPartitionsAfter,
    };
  }, 480000);

  afterAll(async () => {
    await kafka?.close();
    await stack?.stop();
    await collector?.close();
  }, 60000);

  return {
    outcome: () => {
      if (!result) throw new Error('the scenario did not run');
      return result;
    },
  };
}

/** What holds whichever way the replica was stopped. */
function sharedExpectations(get: () => Outcome): void {
  it('spread the batch over both replicas, each consuming its own step partitions, before the stop', () => {
    const o = get();
    for (const r of REPLICAS) expect(o.handledBefore.get(r)?.size ?? 0).toBeGreaterThan(0);
    const a = [...(o.partitionsBefore.get(REPLICAS[0]) ?? [])];
    const b = new Set(o.partitionsBefore.get(REPLICAS[1]) ?? []);
    expect(a.length).toBeGreaterThan(0);
    expect(b.size).toBeGreaterThan(0);
    // One owner per partition: a consumer group split, not two consumers reading everything.
    expect(a.filter((p) => b.has(p))).toEqual([]);
    // The stop came mid-run: part of the batch was still to do.
    expect(o.pendingAtStop).toBeGreaterThan(0);
  });

  it('completes every task of the batch: none lost, stuck, failed or escalated', () => {
    const o = get();
    expect(o.final.map((t) => ({ id: t.taskId, status: t.status, error: t.error }))).toEqual(o.batch.map((id) => ({ id, status: 'completed', error: undefined })));
    for (const t of o.final) expect(typeof t.result).toBe('string');
    expect(o.otherEnds).toEqual([]);
  });

  it('publishes each task’s completion exactly once', () => {
    const o = get();
    expect([...o.completions].filter(([, n]) => n !== 1)).toEqual([]);
  });

  it('hands every partition to the surviving replica, which runs new tasks on all of them', () => {
    const o = get();
    expect(o.sentinels.map((t) => t.status)).toEqual(o.sentinels.map(() => 'completed'));
    expect([...o.survivorPartitionsAfter].sort((x, y) => x - y)).toEqual(Array.from({ length: STEP_PARTITIONS }, (_, p) => p));
    // Among them the partitions the stopped replica owned.
    for (const p of o.partitionsBefore.get(o.victim) ?? []) expect(o.survivorPartitionsAfter).toContain(p);
  });
}

describe('two agent replicas, one stopped gracefully (SIGTERM) mid-run', () => {
  const { outcome } = scenario('SIGTERM');
  sharedExpectations(outcome);

  it('lets the stopping replica finish the steps it had in flight, within the shutdown budget', () => {
    const o = outcome();
    // Not the 15 s SIGKILL fallback: the replica shut down by itself.
    expect(o.exit.signal).not.toBe('SIGKILL');
    // A model call that arrived less than its latency before the stop was in flight then.
    const inFlight = o.calls.filter((c) => c.arrivedAt < o.stopAt && c.arrivedAt > o.stopAt - MODEL_LATENCY_MS);
    const victimInFlight = inFlight.filter((c) => o.handlers.get(c.task)?.has(o.victim));
    expect(victimInFlight.length).toBeGreaterThan(0);
    expect(o.calls.filter((c) => !c.answered)).toEqual([]);
  });

  it('redoes no work: each task of the batch made exactly one model call and was handled by one replica', () => {
    const o = outcome();
    const perTask = group(o.calls.map((c): [string, ModelCall] => [c.task, c]));
    expect(o.batch.filter((id) => perTask.get(id)?.size !== 1)).toEqual([]);
    expect(o.batch.filter((id) => o.handlers.get(id)?.size !== 1)).toEqual([]);
  });
});

describe('two agent replicas, one killed (SIGKILL) mid-run', () => {
  const { outcome } = scenario('SIGKILL');
  sharedExpectations(outcome);

  it('cut off model calls in flight, and the survivor redid those steps to completion', () => {
    const o = outcome();
    expect(o.exit.signal).toBe('SIGKILL');
    const cut = o.calls.filter((c) => !c.answered);
    expect(cut.length).toBeGreaterThan(0);
    for (const c of cut) {
      // The redelivered step made a new call that was answered, and its task completed once.
      expect(o.calls.some((x) => x.task === c.task && x.answered && x.arrivedAt > c.arrivedAt)).toBe(true);
      expect(o.completions.get(c.task)).toBe(1);
      expect(o.handlers.get(c.task)).toContain(o.survivor);
    }
  });
});
