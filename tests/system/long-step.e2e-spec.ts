import { randomUUID } from 'node:crypto';
import { Topics } from '@baton/contracts';
import { KafkaTestClient, type TopicCollector } from '@baton/messaging/testing';
import { GatewayClient, Stack, type TaskView } from '@baton/stack';
import { resetModelBreakers } from '../support/breakers';
import { simulatorApi } from '../support/simulator';
import { waitFor } from '../support/wait-for';

// Steps that run 90 s (longer than kafkajs' default 60 s rebalance window) while a second
// agent replica starts. The joining replica triggers a rebalance the busy replica cannot
// answer until its steps end. With the default window the group dropped the busy replica and
// gave its uncommitted step messages to the newcomer, which ran every one of them again (two
// model calls per task). Now the group waits for the busy member (rebalanceTimeout), and a
// step lease in Redis makes any replica handed a step another one runs wait and skip it.

jest.setTimeout(360000);

const BASE_PORT = 27080;
const KEY = 'dev-key-acme';
const ROLE = 'general';
const REPLICAS = ['agent-general', 'agent-general-2'] as const;
/** Longer than kafkajs' 60 s rebalance timeout, as the issue asks. */
const STEP_MS = 90_000;
/** One is enough: the busy replica dropped by the group hands every partition to the newcomer. */
const TASKS = 1;

interface SimLogEntry {
  at: string;
  status?: number;
  body: unknown;
}

describe('a 90 s step while a second agent replica joins', () => {
  let stack: Stack | undefined;
  let kafka: KafkaTestClient | undefined;
  let ends: TopicCollector;
  let final: TaskView[] = [];
  let callsPerTask = new Map<string, number>();
  let tasks: string[] = [];
  let members: string[] = [];

  beforeAll(async () => {
    await resetModelBreakers();
    stack = await Stack.start({
      basePort: BASE_PORT,
      roles: [ROLE],
      agentReplicas: 2,
      modelsOnSimulator: true,
      // The newcomer is ready once it joined its group, which waits for the busy replica's steps.
      readyTimeoutMs: STEP_MS * 2,
      env: { LLM_TIMEOUT_MS: String(STEP_MS + 60_000), BATON_TRACE_VIEWER: 'none', OTEL_TRACES_EXPORTER: 'none' },
    });
    // One replica alone first; the second joins while the long steps run.
    await stack.stopService(REPLICAS[1]);
    kafka = new KafkaTestClient();
    ends = await kafka.collect([Topics.taskCompleted, Topics.taskFailed, Topics.taskEscalated]);
    const sim = simulatorApi(() => stack!.simulatorUrl!.replace(/\/v1$/, ''));
    const run = randomUUID().slice(0, 8);
    const marker = `[long-${run}:`;
    await sim('POST', '/_sim/rules', {
      id: `long-step-${run}`,
      match: { contains: marker },
      replies: [{ content: 'Category: billing. Priority: normal. Summary: a long look at the invoice.', latencyMs: STEP_MS }],
      repeat: true,
    });
    const gw = new GatewayClient(stack.gatewayUrl, KEY);
    const tickets = Array.from({ length: TASKS }, (_, i) => `${marker}${i}]`);
    tasks = (await Promise.all(tickets.map((t) => gw.submit({ taskType: 'support.triage', input: { text: `Ticket ${t}: please check my invoice.` } })))).map((s) => s.taskId);

    const requests = async () => ((await sim('GET', '/_sim/requests')) as { requests: SimLogEntry[] }).requests;
    // The first replica's long calls are under way...
    await waitFor('a long model call in flight', async () => ((await requests()).some((r) => JSON.stringify(r.body).includes(marker)) ? true : undefined), 60_000, 200);
    // ...when the second replica joins the group.
    await stack.restartService(REPLICAS[1]);

    final = await Promise.all(tasks.map((id) => gw.untilTerminal(id, STEP_MS * 3)));
    // Late duplicates would come from the newcomer running a step again: give it time to show.
    await new Promise((r) => setTimeout(r, 5_000));
    callsPerTask = new Map(tasks.map((id) => [id, 0]));
    for (const r of await requests()) {
      const body = JSON.stringify(r.body);
      const i = tickets.findIndex((t) => body.includes(t));
      if (i >= 0) callsPerTask.set(tasks[i]!, (callsPerTask.get(tasks[i]!) ?? 0) + 1);
    }
    members = await kafka.groupMembers(`agent-${ROLE}`);
  }, 340000);

  afterAll(async () => {
    await kafka?.close();
    await stack?.stop();
  }, 60000);

  it('completes every task', () => {
    expect(final.map((t) => [t.taskId, t.status])).toEqual(tasks.map((id) => [id, 'completed']));
  });

  it('calls the model once per task: no step ran a second time on the replica that joined', () => {
    expect([...callsPerTask].filter(([, n]) => n !== 1)).toEqual([]);
  });

  it('publishes each completion once', () => {
    const completions = ends.records.filter((r) => r.topic === Topics.taskCompleted && r.key !== null && tasks.includes(r.key));
    expect(completions.map((r) => r.key).sort()).toEqual([...tasks].sort());
  });

  it('let the newcomer join the group while the steps ran: both replicas are members', () => {
    // Without this the test would prove nothing: the join, and its rebalance, must have happened.
    expect(members).toEqual([`agent-${ROLE}`, `agent-${ROLE}`]);
  });
});
