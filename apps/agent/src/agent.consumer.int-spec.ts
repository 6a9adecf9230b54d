import { randomUUID } from 'node:crypto';
import { parseBudgetPolicy } from '@baton/budget';
import { createEvent, type BatonEvent, type LlmUsage, type StepRequested } from '@baton/contracts';
import { loadPermissionPolicy } from '@baton/guard';
import { ModelCatalog, priceMicros, type ChatRequest, type ChatResult, type LlmClient, type ModelSpec } from '@baton/llm';
import type { HandlerContext, MessageBus } from '@baton/messaging';
import { budgetScopeIds, type LeaseState, type StateStore } from '@baton/state';
import { useStateTestEnv } from '@baton/state/testing';
import { defaultRegistry } from '@baton/agent-tools';
import { AgentConsumer, agentInstanceId } from './agent.consumer';
import { AgentConfig } from './config';
import { SpendGate } from './spend-gate';
import { StepRunner } from './step-runner.service';
import { VerdictInbox } from './verdict-inbox';

/*
 * A model call cut off by a crash of its agent, against a real Redis: the provider served (and
 * bills) it, but the dead agent never published its usage. The step's rerun must charge it
 * at its worst case, and its own call once. The agents are driven
 * through their handler; what they publish is kept in memory and charged by the test as the
 * cost accountant would (apps/cost-accountant/src/cost.consumer.int-spec.ts covers that side).
 */

const TENANT = 'acme';
const MODEL = 'sim-mini';

const spec: ModelSpec = {
  id: MODEL,
  provider: 'simulator',
  providerModel: MODEL,
  inputPricePerMTokens: 0.15,
  outputPricePerMTokens: 0.6,
  contextWindow: 32_000,
  maxOutputTokens: 4_000,
  capabilities: ['chat', 'json'],
};
const catalog = ModelCatalog.fromSpecs([spec]);
const budgets = parseBudgetPolicy({ version: 1, task: { maxUsd: 1 }, tenants: { default: {} } });
const tools = defaultRegistry();
const permissions = loadPermissionPolicy(undefined, { tools });

/** Keeps what a service publishes. */
class Published {
  readonly events: BatonEvent[] = [];
  readonly bus = {
    publish: async (e: BatonEvent) => void this.events.push(e),
    publishAll: async (es: readonly BatonEvent[]) => void this.events.push(...es),
  } as unknown as MessageBus;
  usages(): LlmUsage[] {
    return this.events.filter((e): e is LlmUsage => e.type === 'llm.usage');
  }
}

/** A model whose every answer waits for `gate` (the call in flight when its agent dies), or answers at once. */
function model(gate?: Promise<void>): LlmClient & { calls: number } {
  const client = {
    calls: 0,
    supports: () => true,
    chat: async (req: ChatRequest): Promise<ChatResult> => {
      client.calls += 1;
      if (gate) await gate;
      return { content: 'Done.', toolCalls: [], finishReason: 'stop', usage: { promptTokens: 100, completionTokens: 20 }, latencyMs: 5, model: req.model, provider: 'simulator', responseModel: req.model };
    },
  };
  return client as unknown as LlmClient & { calls: number };
}

const ctx: HandlerContext = { topic: 'baton.step.requested.general', partition: 0, offset: '0', attempt: 1, heartbeat: async () => undefined };

/** An agent instance of its own (its own lease owner), as a process of the agent service wires it. */
function agent(bus: MessageBus, llm: LlmClient, state: StateStore): AgentConsumer {
  const inbox = new VerdictInbox(agentInstanceId());
  const spend = new SpendGate(bus, state, budgets, catalog);
  const runner = new StepRunner(bus, llm, catalog, AgentConfig.parse({ AGENT_ROLES: 'general' }), state, permissions, tools, inbox, spend);
  return new AgentConsumer(runner, inbox, state);
}

/** Runs one step.requested through an agent's handler, as its consumer does. */
const onStep = (a: AgentConsumer, e: StepRequested): Promise<void> => a.onStep(e, ctx);

/** Settles a usage as the cost accountant does (its own spec covers it): an estimated one at its reserved worst case. */
async function charge(state: StateStore, u: LlmUsage): Promise<void> {
  const r = u.data.reservation;
  if (!r) throw new Error('an agent usage always carries its reservation');
  const actualMicros = u.data.estimated ? (r.amountMicros ?? NaN) : priceMicros(spec, u.data.promptTokens, u.data.completionTokens);
  await state.budgets.settle({
    reservationId: r.id,
    actualMicros,
    usageEventId: u.eventId,
    model: u.data.model,
    taskId: u.taskId,
    tenantId: u.tenantId,
    scopes: r.scopes.map((id) => ({ id, limitMicros: 0 })),
  });
}

describe('agent: a model call cut off by a crash (real Redis)', () => {
  const env = useStateTestEnv('agent-int');
  /** Ends what the dead runs still wait for, so no test leaves a handler behind. */
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  function stepEvent(taskId: string): StepRequested {
    return createEvent('step.requested', { tenantId: TENANT, taskId, causationId: null }, {
      stepId: 'main',
      attempt: 1,
      role: 'general',
      model: MODEL,
      instruction: 'Say done.',
      input: { text: 'Nothing to see.' },
    });
  }

  /** The store of a run that holds the step's lease already expired: as if its holder had died. */
  function deadRunsStore(): StateStore {
    const leases = {
      acquire: async (): Promise<LeaseState> => 'acquired',
      renew: async () => true,
      finish: async () => undefined,
    };
    return Object.assign(Object.create(env.store) as StateStore, { leases });
  }

  it('charges the call a dead run of the step was in at its worst case when the step reruns, and the rerun\'s own call once', async () => {
    const taskId = randomUUID();
    const step = stepEvent(taskId);
    const taskScope = budgetScopeIds.task(taskId);

    // The first run reserves and calls the model, and dies before the answer comes.
    let answer!: () => void;
    const deadModel = model(new Promise<void>((r) => (answer = r)));
    const dead = new Published();
    const deadRun = onStep(agent(dead.bus, deadModel, deadRunsStore()), step).catch(() => undefined);
    cleanups.push(async () => {
      answer();
      await deadRun;
    });
    for (let i = 0; i < 200 && deadModel.calls === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(deadModel.calls).toBe(1);
    const held = (await env.store.budgets.scope(taskScope)).reservedMicros;
    expect(held).toBeGreaterThan(0);

    // The step's message is redelivered to another replica, which runs it again.
    const rerun = new Published();
    await onStep(agent(rerun.bus, model(), env.store), step);
    const usages = rerun.usages();
    // Each usage twice: a redelivered usage is charged once.
    for (const u of [...usages, ...usages]) await charge(env.store, u);

    const own = usages.filter((u) => !u.data.estimated);
    const estimated = usages.filter((u) => u.data.estimated);
    expect(own).toHaveLength(1);
    expect(estimated).toHaveLength(1);
    expect(estimated[0].data.reservation?.amountMicros).toBe(held);
    const ownCost = 100 * 0.15 + 20 * 0.6;
    const scope = await env.store.budgets.scope(taskScope);
    expect(scope).toMatchObject({ spentMicros: held + ownCost, reservedMicros: 0 });
    await expect(env.store.spend.chargedUsageEvents(taskId)).resolves.toHaveLength(2);

    // The dead run's answer never arrives in real life; here its late end must change nothing.
    await cleanups.splice(0)[0]?.();
    for (const u of dead.usages()) await charge(env.store, u);
    expect(dead.usages()).toHaveLength(1);
    await expect(env.store.budgets.scope(taskScope)).resolves.toMatchObject({ spentMicros: held + ownCost, reservedMicros: 0 });
  });

  it('a rerun of a step whose earlier run finished its calls charges nothing extra', async () => {
    const taskId = randomUUID();
    const step = stepEvent(taskId);
    const first = new Published();
    // The first run's call returned and was charged; the run died before finishing the step.
    await onStep(agent(first.bus, model(), deadRunsStore()), step);
    for (const u of first.usages()) await charge(env.store, u);

    const rerun = new Published();
    await onStep(agent(rerun.bus, model(), env.store), step);
    for (const u of rerun.usages()) await charge(env.store, u);
    expect(rerun.usages().map((u) => u.data.estimated ?? false)).toEqual([false]);
    expect(first.usages()[0].data.reservation?.id).not.toBe(rerun.usages()[0].data.reservation?.id);
    await expect(env.store.budgets.scope(budgetScopeIds.task(taskId))).resolves.toMatchObject({ spentMicros: 2 * (100 * 0.15 + 20 * 0.6), reservedMicros: 0 });
  });
});

describe('agent: budget events of an attempt (real Redis)', () => {
  const env = useStateTestEnv('agent-int-budget');

  function stepEvent(maxCostMicros?: number): StepRequested {
    return createEvent('step.requested', { tenantId: TENANT, taskId: randomUUID(), causationId: null }, {
      stepId: 'main',
      attempt: 1,
      role: 'general',
      model: MODEL,
      instruction: 'Say done.',
      input: { text: 'Nothing to see.' },
      ...(maxCostMicros !== undefined ? { maxCostMicros } : {}),
    });
  }

  /** Runs the step through an agent on the real store; what it published. */
  async function run(step: StepRequested): Promise<BatonEvent[]> {
    const out = new Published();
    await onStep(agent(out.bus, model(), env.store), step);
    return out.events;
  }

  it('reports the task budget a call takes under its low-water mark once, with its audit entry, before the output', async () => {
    // A call's worst case is the same for every task of this shape: learn it from a task without a tight budget.
    const probe = (await run(stepEvent())).find((e): e is LlmUsage => e.type === 'llm.usage');
    const worstCase = probe?.data.reservation?.amountMicros ?? NaN;
    expect(worstCase).toBeGreaterThan(0);

    // The call leaves under a tenth of the task's budget: below the low-water mark (a fifth).
    const step = stepEvent(Math.ceil(worstCase * 1.1));
    const events = await run(step);
    const scope = budgetScopeIds.task(step.taskId);
    expect(events.map((e) => e.type)).toEqual(['llm.usage', 'budget.low', 'audit.recorded', 'output.proposed']);
    expect(events[1]?.data).toEqual({ scope, level: 'task', limitMicros: Math.ceil(worstCase * 1.1), remainingMicros: Math.ceil(worstCase * 1.1) - worstCase });
    expect(events[2]?.data).toMatchObject({ category: 'budget', actor: 'agent:general', decision: 'low', subject: scope });
  });

  it('fails a step whose task budget cannot cover its model, with budget.exhausted and the refusal in the audit trail', async () => {
    const step = stepEvent(10);
    const events = await run(step);
    const scope = budgetScopeIds.task(step.taskId);
    expect(events.map((e) => e.type)).toEqual(['budget.exhausted', 'audit.recorded', 'step.failed']);
    expect(events[0]?.data).toMatchObject({ stepId: 'main', attempt: 1, scope, level: 'task', limitMicros: 10, spentMicros: 0, reservedMicros: 0, model: MODEL });
    expect(events[1]?.data).toMatchObject({ category: 'budget', actor: 'agent:general', decision: 'reserve_refused', subject: scope, details: { model: MODEL } });
    expect(events[2]?.data).toMatchObject({ stepId: 'main', attempt: 1, error: { kind: 'policy', code: 'budget_exhausted', details: { scope, level: 'task', limitMicros: 10 } }, toolCalls: 0 });
    await expect(env.store.budgets.scope(scope)).resolves.toMatchObject({ reservedMicros: 0 });
  });
});
