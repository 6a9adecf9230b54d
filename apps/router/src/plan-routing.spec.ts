import { Plan, PlanRouted, RoutingDecision, RoutingPolicy, TaskRouted } from '@baton/contracts';
import { ModelCatalog, estimateTokens, type ModelSpec } from '@baton/llm';
import { WorkflowRegistry } from '@baton/workflows';
import { estimatePromptTokens } from './call-profile';
import { planRoutedData, routePlan, type PlanCallContext } from './plan-routing';

function model(id: string, over: Partial<ModelSpec>): ModelSpec {
  return { id, provider: 'simulator', providerModel: id, inputPricePerMTokens: 1, outputPricePerMTokens: 2, contextWindow: 32_000, maxOutputTokens: 4_000, capabilities: ['chat'], ...over };
}

const chatOnly = model('chat-only', { inputPricePerMTokens: 0.01, outputPricePerMTokens: 0.01, quality: { chat: 0.5 } });
const mini = model('mini', { inputPricePerMTokens: 0.15, outputPricePerMTokens: 0.6, capabilities: ['chat', 'json'], quality: { chat: 0.6, json: 0.55 } });
const large = model('large', { inputPricePerMTokens: 2.5, outputPricePerMTokens: 10, capabilities: ['chat', 'json', 'tools'], quality: { chat: 0.86, json: 0.84, tools: 0.83 } });
const models = [chatOnly, mini, large];

const SCHEMA = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
const plan: Plan = {
  resultStep: 'decide',
  steps: [
    { id: 'notes', role: 'research', instruction: 'Take notes.' },
    { id: 'decide', role: 'judge', instruction: 'Decide.', dependsOn: ['notes'], outputSchema: SCHEMA },
  ],
};
const ctx: PlanCallContext = { input: { text: 'A short input.' }, expectedOutputTokens: 400 };

describe('routePlan', () => {
  it('routes every step, keeping its role, making json a need where a schema is declared', () => {
    const routed = routePlan(plan, models, ctx, 'cheapest');
    if (!routed.ok) throw new Error(routed.decision.reason);
    expect(routed.plan.resultStep).toBe('decide');
    expect(routed.plan.steps).toEqual([
      { id: 'notes', role: 'research', instruction: 'Take notes.', model: 'chat-only', fallbackModels: ['mini', 'large'] },
      // Fed by `notes`: the outputs of the steps it depends on are in its prompt, so they need no tools.
      { id: 'decide', role: 'judge', instruction: 'Decide.', dependsOn: ['notes'], outputSchema: SCHEMA, model: 'mini', fallbackModels: ['large'] },
    ]);
    expect(Plan.safeParse(routed.plan).success).toBe(true);
  });

  it('applies the policy to every step, with cascade models where the policy has them', () => {
    const routed = routePlan(plan, models, ctx, 'cascade');
    if (!routed.ok) throw new Error(routed.decision.reason);
    expect(routed.plan.steps.map((s) => [s.id, s.model, s.cascadeModels])).toEqual([
      ['notes', 'chat-only', ['mini', 'large']],
      ['decide', 'mini', ['large']],
    ]);
    const best = routePlan(plan, models, ctx, 'best-quality');
    expect(best.ok && best.plan.steps.map((s) => s.model)).toEqual(['large', 'large']);
  });

  it("applies the task's needs to every step", () => {
    const routed = routePlan(plan, models, { ...ctx, needs: { capabilities: ['tools'] } }, 'cheapest');
    expect(routed.ok && routed.plan.steps.map((s) => s.model)).toEqual(['large', 'large']);
  });

  it('records one decision: the first step\'s candidates and every step\'s reason', () => {
    const routed = routePlan(plan, models, ctx, 'cheapest');
    expect(routed.decision.policy).toBe('cheapest');
    expect(routed.decision.candidates.map((c) => c.model)).toEqual(['chat-only', 'mini', 'large']);
    expect(routed.decision.reason).toMatch(/^notes: chat-only is the cheapest eligible model .*; decide: mini is the cheapest eligible model \(~\d+ µ\$ vs large ~\d+ µ\$\)$/);
    expect(RoutingDecision.safeParse(routed.decision).success).toBe(true);
  });

  it('replaces models a definition names: choosing models is the router\'s job', () => {
    const pinned: Plan = { steps: [{ id: 'only', role: 'general', instruction: 'Go.', model: 'large', fallbackModels: ['x'], cascadeModels: ['y'] }] };
    const routed = routePlan(pinned, models, ctx, 'cheapest');
    expect(routed.ok && routed.plan.steps[0]).toEqual({ id: 'only', role: 'general', instruction: 'Go.', model: 'chat-only', fallbackModels: ['mini', 'large'] });
  });

  it('counts the outputs a step depends on in its prompt, so a long chain can outgrow a small window', () => {
    const small = model('small', { contextWindow: 1_000 });
    const roomy = model('roomy', { contextWindow: 100_000, inputPricePerMTokens: 5 });
    const chain: Plan = {
      steps: [
        { id: 'a', role: 'general', instruction: 'A.' },
        { id: 'b', role: 'general', instruction: 'B.', dependsOn: ['a'] },
      ],
    };
    const routed = routePlan(chain, [small, roomy], ctx, 'cheapest');
    // b: ~6 prompt tokens + 400 from step a + 400 out fits 1000 tokens; c below, fed by two steps, does not.
    expect(routed.ok && routed.plan.steps.map((s) => s.model)).toEqual(['small', 'small']);
    const wide: Plan = {
      steps: [
        { id: 'a', role: 'general', instruction: 'A.' },
        { id: 'b', role: 'general', instruction: 'B.' },
        { id: 'c', role: 'general', instruction: 'C.', dependsOn: ['a', 'b'] },
      ],
    };
    const routedWide = routePlan(wide, [small, roomy], ctx, 'cheapest');
    expect(routedWide.ok && routedWide.plan.steps.map((s) => s.model)).toEqual(['small', 'small', 'roomy']);
  });

  it('fails on the first step no model can serve, saying which and why', () => {
    const routed = routePlan(plan, [chatOnly], ctx, 'cheapest');
    expect(routed.ok).toBe(false);
    if (routed.ok) return;
    expect(routed.stepId).toBe('decide');
    expect(routed.decision.reason).toBe('step decide: no model in the catalog meets the task needs');
    expect(routed.decision.candidates).toEqual([{ model: 'chat-only', eligible: false, excludedBecause: 'lacks json' }]);
  });

  it('leaves out models whose breaker is open', () => {
    const routed = routePlan(plan, models, { ...ctx, openBreakers: new Set(['mini']) }, 'cheapest');
    expect(routed.ok && routed.plan.steps.map((s) => [s.model, s.fallbackModels])).toEqual([
      ['chat-only', ['large']],
      ['large', undefined],
    ]);
  });

  describe('the repository workflows on the repository catalog', () => {
    const registry = WorkflowRegistry.fromDir();
    const catalog = ModelCatalog.fromFile().list();

    it.each(registry.list().flatMap((w) => RoutingPolicy.options.map((p) => [w.name, p] as const)))('%s routes under %s into a valid task.routed plan', (name, policy) => {
      const workflow = registry.get(name);
      const routed = routePlan(workflow.plan, catalog, { input: { text: 'Notes from the call.' }, expectedOutputTokens: 400 }, policy);
      if (!routed.ok) throw new Error(routed.decision.reason);
      expect(routed.plan.steps).toHaveLength(workflow.plan.steps.length);
      for (const step of routed.plan.steps) expect(catalog.map((m) => m.id)).toContain(step.model);
      const [first] = routed.plan.steps;
      const data = { taskType: 'x.y', input: { text: 'Notes.' }, pattern: 'workflow', role: first!.role, model: first!.model, instruction: workflow.description, plan: routed.plan, decision: routed.decision };
      expect(TaskRouted.data.safeParse(data).success).toBe(true);
    });
  });
});

describe('routePlan, hand-offs', () => {
  const standard = model('standard', { inputPricePerMTokens: 0.4, outputPricePerMTokens: 1.6, capabilities: ['chat', 'json', 'tools'], quality: { chat: 0.74, json: 0.72, tools: 0.7 } });
  const withTools = [chatOnly, mini, standard, large];
  const handing: Plan = {
    steps: [{ id: 'main', role: 'general', instruction: 'Answer the customer.', handoffs: [{ role: 'sales' }, { role: 'compliance', model: 'pinned', fallbackModels: ['x'] }] }],
  };

  it('gives every target a model and fallbacks, and needs tools for the step and its targets (the hand-off tool)', () => {
    const routed = routePlan(handing, withTools, ctx, 'cheapest');
    if (!routed.ok) throw new Error(routed.decision.reason);
    const [main] = routed.plan.steps;
    expect(main?.model).toBe('standard');
    expect(main?.handoffs).toEqual([
      { role: 'sales', model: 'standard', fallbackModels: ['large'] },
      { role: 'compliance', model: 'standard', fallbackModels: ['large'] },
    ]);
    expect(Plan.safeParse(routed.plan).success).toBe(true);
  });

  it('records why the targets got their model', () => {
    const routed = routePlan(handing, withTools, ctx, 'cheapest');
    expect(routed.decision.reason).toMatch(/^main: standard is the cheapest eligible model .*; main hand-offs to sales, compliance: standard is the cheapest eligible model/);
  });

  it('fails the step when no model can take the hand-off tool', () => {
    const routed = routePlan(handing, [chatOnly, mini], ctx, 'cheapest');
    expect(routed.ok).toBe(false);
    if (routed.ok) return;
    expect(routed.stepId).toBe('main');
    expect(routed.decision.reason).toBe('step main: no model in the catalog meets the task needs');
  });

  it('counts the hand-off note in the targets\' prompt', () => {
    const tight = model('tight', { capabilities: ['chat', 'tools'], contextWindow: 1_000, inputPricePerMTokens: 0.01 });
    const roomy = model('roomy', { capabilities: ['chat', 'tools'], contextWindow: 100_000, inputPricePerMTokens: 5 });
    const routed = routePlan({ steps: [{ id: 'main', role: 'general', instruction: 'Go.', handoffs: [{ role: 'sales' }] }] }, [tight, roomy], { ...ctx, expectedOutputTokens: 600 }, 'cheapest');
    // The step: ~6 prompt + 600 out fits 1000 tokens; a target also reads a ~600-token note, which does not.
    expect(routed.ok && [routed.plan.steps[0]?.model, routed.plan.steps[0]?.handoffs?.[0]?.model]).toEqual(['tight', 'roomy']);
  });
});

describe('routePlan, structured input', () => {
  const standard = model('standard', { inputPricePerMTokens: 0.4, outputPricePerMTokens: 1.6, capabilities: ['chat', 'json', 'tools'], quality: { chat: 0.74, json: 0.72, tools: 0.7 } });
  const withTools = [chatOnly, mini, standard, large];
  const data: PlanCallContext = { ...ctx, input: { text: 'Ticket 7.', data: { account: 7, plan: 'pro' } } };

  it('needs no tools for structured input (task data, outputs depended on): the data is in the prompt', () => {
    const routed = routePlan(plan, withTools, data, 'cheapest');
    // `notes` reads the task's data, `decide` also the output of `notes`: neither needs a model with tools.
    expect(routed.ok && routed.plan.steps.map((s) => [s.id, s.model])).toEqual([
      ['notes', 'chat-only'],
      ['decide', 'mini'],
    ]);
  });

  it('still needs tools for a hand-off step and its targets, and only for them', () => {
    const mixed: Plan = {
      steps: [
        { id: 'notes', role: 'research', instruction: 'Take notes.' },
        { id: 'answer', role: 'general', instruction: 'Answer the customer.', dependsOn: ['notes'], handoffs: [{ role: 'sales' }] },
      ],
    };
    const routed = routePlan(mixed, withTools, data, 'cheapest');
    if (!routed.ok) throw new Error(routed.decision.reason);
    expect(routed.plan.steps.map((s) => [s.id, s.model, s.handoffs?.map((h) => h.model)])).toEqual([
      ['notes', 'chat-only', undefined],
      ['answer', 'standard', ['standard']],
    ]);
    // Without a model that has tools, the hand-off step cannot be served, structured input or not.
    const without = routePlan(mixed, [chatOnly, mini], data, 'cheapest');
    expect(!without.ok && [without.stepId, without.decision.candidates.map((c) => c.excludedBecause)]).toEqual(['answer', ['lacks tools', 'lacks tools']]);
  });
});

describe('routePlan, debates', () => {
  const standard = model('standard', { inputPricePerMTokens: 0.4, outputPricePerMTokens: 1.6, capabilities: ['chat', 'json'], quality: { chat: 0.74, json: 0.72 } });
  const voters = [chatOnly, mini, standard, large];
  const debatePlan = (participants: Array<{ role: 'risk' | 'compliance' | 'general'; weight?: number; model?: string }>): Plan => ({
    steps: [{ id: 'debate', role: 'judge', instruction: 'Hold or release the payment?', debate: { participants, choices: ['hold', 'release'], rule: 'majority', onTie: 'judge' } }],
  });

  it('gives each participant a different eligible model in policy order, the others as its fallbacks', () => {
    const routed = routePlan(debatePlan([{ role: 'risk', weight: 2 }, { role: 'compliance' }, { role: 'general', model: 'pinned' }]), voters, ctx, 'cheapest');
    if (!routed.ok) throw new Error(routed.decision.reason);
    const [step] = routed.plan.steps;
    // A vote is JSON: the chat-only model cannot vote. The judge answers with a choice (JSON) from the votes in its prompt: no tools.
    expect(step?.model).toBe('mini');
    expect(step?.fallbackModels).toEqual(['standard', 'large']);
    expect(step?.debate?.participants).toEqual([
      { role: 'risk', weight: 2, model: 'mini', fallbackModels: ['standard', 'large'] },
      { role: 'compliance', model: 'standard', fallbackModels: ['mini', 'large'] },
      { role: 'general', model: 'large', fallbackModels: ['mini', 'standard'] },
    ]);
    expect(step?.debate?.choices).toEqual(['hold', 'release']);
    expect(Plan.safeParse(routed.plan).success).toBe(true);
    expect(routed.decision.reason).toMatch(/; debate voters: risk on mini, compliance on standard, general on large \(the eligible models in cheapest order, one each\)$/);
  });

  it('follows the policy: best-quality puts the best model first', () => {
    const routed = routePlan(debatePlan([{ role: 'risk' }, { role: 'compliance' }]), voters, ctx, 'best-quality');
    expect(routed.ok && routed.plan.steps[0]?.debate?.participants.map((p) => p.model)).toEqual(['large', 'standard']);
  });

  it('repeats models when fewer are eligible than there are participants', () => {
    const routed = routePlan(debatePlan([{ role: 'general' }, { role: 'general' }, { role: 'general' }]), [chatOnly, mini, large], ctx, 'cheapest');
    expect(routed.ok && routed.plan.steps[0]?.debate?.participants).toEqual([
      { role: 'general', model: 'mini', fallbackModels: ['large'] },
      { role: 'general', model: 'large', fallbackModels: ['mini'] },
      { role: 'general', model: 'mini', fallbackModels: ['large'] },
    ]);
    const alone = routePlan(debatePlan([{ role: 'general' }, { role: 'general' }]), [chatOnly, large], ctx, 'cheapest');
    expect(alone.ok && alone.plan.steps[0]?.debate?.participants).toEqual([
      { role: 'general', model: 'large' },
      { role: 'general', model: 'large' },
    ]);
  });

  it('fails the step when no model can vote', () => {
    const routed = routePlan(debatePlan([{ role: 'risk' }, { role: 'compliance' }]), [chatOnly], ctx, 'cheapest');
    expect(routed.ok).toBe(false);
    if (routed.ok) return;
    expect(routed.stepId).toBe('debate');
  });
});

describe('planRoutedData', () => {
  it('answers a routable plan with the routed plan and the decision', () => {
    const routed = routePlan(plan, models, ctx, 'cheapest');
    const data = planRoutedData(2, routed);
    expect(data).toEqual({ revision: 2, plan: routed.ok && routed.plan, decision: routed.decision });
    expect(PlanRouted.data.safeParse(data).success).toBe(true);
  });

  it('answers an unroutable plan with no plan and a user error when the needs rule out every model', () => {
    const data = planRoutedData(1, routePlan(plan, [chatOnly], ctx, 'cheapest'));
    expect(data.plan).toBeUndefined();
    expect(data.error).toEqual({ kind: 'user', code: 'no_eligible_model', message: 'step decide: no model in the catalog meets the task needs' });
    expect(PlanRouted.data.safeParse(data).success).toBe(true);
  });

  it('calls it a system error when only open breakers stand in the way', () => {
    const data = planRoutedData(1, routePlan(plan, [chatOnly, large], { ...ctx, openBreakers: new Set(['large']) }, 'cheapest'));
    expect(data.error?.kind).toBe('system');
  });
});

describe('estimatePromptTokens', () => {
  it('adds instruction, input text, structured data and the upstream outputs', () => {
    const input = { text: 'x'.repeat(40), data: { a: 1 } };
    expect(estimatePromptTokens('y'.repeat(8), input)).toBe(2 + 10 + estimateTokens('{"a":1}'));
    expect(estimatePromptTokens('y'.repeat(8), input, 2, 400)).toBe(2 + 10 + estimateTokens('{"a":1}') + 800);
    expect(estimatePromptTokens('', { text: 'abcd' })).toBe(1 + estimateTokens('{}'));
  });
});
