import { parseBudgetPolicy } from '@baton/budget';
import { randomUUID } from 'node:crypto';
import { Logger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BUDGET_POLICY } from '@baton/budget';
import { Topics, createEvent, type PlanProposed, type TaskAdmitted } from '@baton/contracts';
import { ModelCatalog, type ChatRequest, type ChatResult, type ModelSpec } from '@baton/llm';
import { BatonTransport } from '@baton/messaging';
import { InMemoryBus, startWithTransport } from '@baton/messaging/testing';
import { BUS, STATE_STORE } from '@baton/service-kit';
import type { ReservationState, StateStore } from '@baton/state';
import { WorkflowRegistry } from '@baton/workflows';
import { MODEL_CATALOG, PATTERN_CLASSIFIER, ROUTER_CONFIG, ROUTING_POLICIES, RouterConfig, WORKFLOWS } from './config';
import { PatternClassifier, type ChatPort } from './pattern-classifier';
import { RouterConsumer } from './router.consumer';
import { RoutingPolicies } from './routing-config';

function model(id: string, over: Partial<ModelSpec>): ModelSpec {
  return { id, provider: 'simulator', providerModel: id, inputPricePerMTokens: 1, outputPricePerMTokens: 2, contextWindow: 32_000, maxOutputTokens: 4_000, capabilities: ['chat', 'json'], ...over };
}
const catalog = ModelCatalog.fromSpecs([
  model('mini', { inputPricePerMTokens: 0.15, outputPricePerMTokens: 0.6, quality: { chat: 0.6, json: 0.55 } }),
  model('standard', { inputPricePerMTokens: 0.4, outputPricePerMTokens: 1.6, capabilities: ['chat', 'json', 'tools'], quality: { chat: 0.74, json: 0.72, tools: 0.7 } }),
]);

const routing = RoutingPolicies.parse(
  {
    patterns: { byTaskType: { 'fraud.review': 'debate', 'research.*': 'plan' }, classifier: { enabled: true } },
    handoffs: { byTaskType: { 'support.*': ['sales'] } },
  },
  'test',
);

/** Answers every classifier call with `answer`, counting the calls. */
class FixedChat implements ChatPort {
  calls = 0;
  constructor(private readonly answer: string) {}
  chat(request: ChatRequest): Promise<ChatResult> {
    this.calls++;
    return Promise.resolve({ content: this.answer, toolCalls: [], finishReason: 'stop', usage: { promptTokens: 90, completionTokens: 12 }, latencyMs: 5, model: request.model, provider: 'simulator', responseModel: request.model });
  }
}

const budgets = parseBudgetPolicy({ version: 1, task: { maxUsd: 1 }, tenants: { default: { dailyUsd: 10 } } });

/** Apps started by a test, closed after it. */
const apps: INestApplication[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/**
 * The consumer as the router runs it (its @EventPattern handlers on the Baton transport), on an
 * in-memory bus and a fake of the state store; events are handed to it through the bus.
 */
async function start(chat: ChatPort, openBreakers: string[] = [], ledger: Map<string, ReservationState> = new Map()) {
  const bus = new InMemoryBus();
  const transitions: Array<{ taskId: string; to: string }> = [];
  const reservations: Array<{ reservationId: string; amountMicros: number }> = [];
  const state = {
    tasks: {
      transition: (taskId: string, to: string) => {
        transitions.push({ taskId, to });
        return Promise.resolve({ applied: true, status: to });
      },
    },
    breakers: { states: (ids: string[]) => Promise.resolve(Object.fromEntries(ids.map((id) => [id, openBreakers.includes(id) ? 'open' : 'closed']))) },
    budgets: {
      scope: () => Promise.resolve({ spentMicros: 0, reservedMicros: 0 }),
      reserve: (input: { reservationId: string; amountMicros: number; model: string; scopes: Array<{ id: string }> }) => {
        reservations.push(input);
        ledger.set(input.reservationId, { status: 'reserved', amountMicros: input.amountMicros, model: input.model, scopeIds: input.scopes.map((x) => x.id).sort() });
        return Promise.resolve({ ok: true, crossedLow: [], remainingMicros: {} });
      },
      reservation: (id: string) => Promise.resolve(ledger.get(id)),
      release: () => Promise.resolve(1),
    },
  } as unknown as StateStore;
  const classifier = new PatternClassifier(chat, catalog.list(), { fallback: 'single' });
  const moduleRef = await Test.createTestingModule({
    controllers: [RouterConsumer],
    providers: [
      { provide: BUS, useValue: bus },
      { provide: STATE_STORE, useValue: state },
      { provide: MODEL_CATALOG, useValue: catalog },
      { provide: ROUTER_CONFIG, useValue: RouterConfig.parse({}) },
      { provide: ROUTING_POLICIES, useValue: routing },
      { provide: WORKFLOWS, useValue: WorkflowRegistry.of([]) },
      { provide: PATTERN_CLASSIFIER, useValue: classifier },
      { provide: BUDGET_POLICY, useValue: budgets },
    ],
  }).compile();
  const app = await startWithTransport(moduleRef, new BatonTransport(bus, { groupId: 'router' }));
  apps.push(app);
  const consumer = app.get(RouterConsumer);
  return {
    bus,
    ledger,
    reservations,
    /** What a router killed mid-call leaves: the classifier's reservation, and no call answered. */
    reserveOnly: async (event: TaskAdmitted) => {
      const gate = (consumer as unknown as { spendGate(e: TaskAdmitted): { reserve(req: unknown, m: unknown): Promise<unknown> } }).spendGate(event);
      await gate.reserve({ model: 'mini', messages: [{ role: 'user', content: 'x' }], maxTokens: 10 }, catalog.get('mini'));
    },
    published: bus.published,
    transitions,
    admit: (e: TaskAdmitted) => bus.deliver(e),
    propose: (e: PlanProposed) => bus.deliver(e),
  };
}

const origin = () => ({ tenantId: 'acme', taskId: randomUUID(), causationId: randomUUID() });
const admitted = (data: Partial<TaskAdmitted['data']>): TaskAdmitted =>
  createEvent('task.admitted', origin(), { taskType: 'ticket.summarize', input: { text: 'The printer jams on duplex.' }, redactions: [], ...data });

describe('RouterConsumer', () => {
  // The classifier's failures are logged; the assertions here say what matters.
  beforeAll(() => Logger.overrideLogger(false));

  it('reads task.admitted and plan.proposed in the router group', async () => {
    const r = await start(new FixedChat('unused'));
    expect(r.bus.subscriptions()).toEqual([{ groupId: 'router', topics: [Topics.taskAdmitted, Topics.planProposed] }]);
  });

  it('routes a debate-pattern task to a judge with a one-step debate plan, saying why', async () => {
    const r = await start(new FixedChat('unused'));
    await r.admit(admitted({ taskType: 'fraud.review' }));
    const [routed] = r.published;
    expect(routed?.type).toBe('task.routed');
    if (routed?.type !== 'task.routed') return;
    // The judge answers with a choice (JSON): the cheapest json model, no tools needed.
    expect(routed.data).toMatchObject({ pattern: 'debate', patternReason: 'task type fraud.review is configured for debate', role: 'judge', model: 'mini' });
    expect(routed.data.plan?.steps[0]?.debate?.participants.map((p) => p.model)).toEqual(['mini', 'standard', 'mini']);
    expect(r.transitions).toEqual([{ taskId: routed.taskId, to: 'routed' }]);
  });

  it('routes a plan-pattern task to the planner, with no plan', async () => {
    const r = await start(new FixedChat('unused'));
    await r.admit(admitted({ taskType: 'research.market' }));
    expect(r.published[0]?.data).toMatchObject({ pattern: 'plan', role: 'planner', model: 'mini' });
    expect(r.published[0]?.type === 'task.routed' && r.published[0].data.plan).toBeUndefined();
  });

  it('gives a single task its hand-off targets', async () => {
    const r = await start(new FixedChat('unused'));
    await r.admit(admitted({ taskType: 'support.triage', pattern: 'single' }));
    const routed = r.published[0];
    expect(routed?.type === 'task.routed' && [routed.data.pattern, routed.data.patternReason, routed.data.plan?.steps[0]?.handoffs]).toEqual([
      'single',
      'the submitter asked for single',
      [{ role: 'sales', model: 'standard' }],
    ]);
  });

  it("asks the classifier when no rule applies, and charges its call to the task's usage", async () => {
    const chat = new FixedChat(JSON.stringify({ pattern: 'plan', reason: 'Several steps are needed.' }));
    const r = await start(chat);
    const event = admitted({});
    await r.admit(event);
    expect(r.published.map((e) => e.type)).toEqual(['llm.usage', 'task.routed']);
    const [usage, routed] = r.published;
    // The call's worst case was reserved first; the usage carries the reservation to settle.
    expect(r.reservations).toHaveLength(1);
    const reservation = r.reservations[0]!;
    expect(reservation.amountMicros).toBeGreaterThan(0);
    expect(usage?.data).toEqual({
      stepId: 'route-classify',
      attempt: 1,
      model: 'mini',
      provider: 'simulator',
      promptTokens: 90,
      completionTokens: 12,
      latencyMs: 5,
      reservation: { id: reservation.reservationId, scopes: [`task:${event.taskId}`, expect.stringMatching(/^tenant:acme:day:/)] },
    });
    expect(usage?.causationId).toBe(event.eventId);
    expect(routed?.data).toMatchObject({ pattern: 'plan', patternReason: 'classifier: Several steps are needed.' });
    // A redelivery (the first usage was charged: its reservation settled) asks the model again:
    // a second real call, charged on its own reservation (a usage id derived from the
    // task.admitted alone would have left it uncharged).
    r.ledger.set(reservation.reservationId, { ...r.ledger.get(reservation.reservationId)!, status: 'settled' });
    const again = await start(new FixedChat(JSON.stringify({ pattern: 'plan', reason: 'Same.' })), [], r.ledger);
    await again.admit(event);
    expect(again.published.map((e) => e.type)).toEqual(['llm.usage', 'task.routed']);
    expect(again.published[0]?.eventId).not.toBe(usage?.eventId);
    expect(again.reservations[0]!.reservationId).not.toBe(reservation.reservationId);
    expect(again.published[0]?.data).toMatchObject({ reservation: { id: again.reservations[0]!.reservationId } });
  });

  it('charges a classifier call a killed router was in at its worst case when the task.admitted comes again', async () => {
    const first = await start(new FixedChat(JSON.stringify({ pattern: 'plan', reason: 'Several steps.' })));
    const event = admitted({});
    // The router dies in the call: its reservation stays held, nothing was published.
    const cut = first.reservations.length;
    await first.reserveOnly(event);
    expect(first.reservations.length).toBe(cut + 1);
    const held = first.reservations[cut]!;
    const again = await start(new FixedChat(JSON.stringify({ pattern: 'plan', reason: 'Several steps.' })), [], first.ledger);
    await again.admit(event);
    expect(again.published.map((e) => e.type)).toEqual(['llm.usage', 'llm.usage', 'task.routed']);
    expect(again.published[0]?.data).toMatchObject({ estimated: true, reservation: { id: held.reservationId, amountMicros: held.amountMicros } });
    expect(again.published[1]?.data).toMatchObject({ reservation: { id: again.reservations[0]!.reservationId } });
    expect(again.reservations[0]!.reservationId).not.toBe(held.reservationId);
  });

  it('takes the default pattern when the classifier answers badly', async () => {
    const r = await start(new FixedChat('not json'));
    await r.admit(admitted({}));
    expect(r.published.map((e) => e.type)).toEqual(['llm.usage', 'task.routed']);
    expect(r.published[1]?.data).toMatchObject({ pattern: 'single', patternReason: 'classifier failed: invalid_answer' });
  });

  it('answers a proposed plan with plan.routed, leaving the task status alone', async () => {
    const chat = new FixedChat('unused');
    const r = await start(chat);
    const proposed = createEvent('plan.proposed', origin(), {
      revision: 2,
      plan: { steps: [{ id: 'gather', role: 'research', instruction: 'Gather facts.' }, { id: 'write', role: 'writer', instruction: 'Write it up.', dependsOn: ['gather'] }] },
      taskType: 'research.market',
      input: { text: 'Bikes in Porto.' },
      routingPolicy: 'best-quality',
    });
    await r.propose(proposed);
    expect(r.transitions).toEqual([]);
    expect(chat.calls).toBe(0);
    const [answer] = r.published;
    expect(answer?.type).toBe('plan.routed');
    if (answer?.type !== 'plan.routed') return;
    expect(answer.causationId).toBe(proposed.eventId);
    expect(answer.data.revision).toBe(2);
    expect(answer.data.decision.policy).toBe('best-quality');
    expect(answer.data.plan?.steps.map((s) => s.model)).toEqual(['standard', 'standard']);
    expect(answer.data.error).toBeUndefined();
  });

  it('answers a plan no model can serve with the error, blaming the breakers when they are the cause', async () => {
    const r = await start(new FixedChat('unused'), ['mini', 'standard']);
    const proposed = createEvent('plan.proposed', origin(), { revision: 1, plan: { steps: [{ id: 'a', role: 'general', instruction: 'Go.' }] }, taskType: 'x.y', input: { text: 'x' } });
    await r.propose(proposed);
    const [answer] = r.published;
    expect(answer?.type === 'plan.routed' && [answer.data.plan, answer.data.error?.kind, answer.data.error?.code]).toEqual([undefined, 'system', 'no_eligible_model']);
  });
});
