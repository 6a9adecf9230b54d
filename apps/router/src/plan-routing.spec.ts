import { Plan, RoutingDecision, RoutingPolicy, TaskRouted } from '@baton/contracts';
import { ModelCatalog, estimateTokens, type ModelSpec } from '@baton/llm';
import { WorkflowRegistry } from '@baton/workflows';
import { estimatePromptTokens } from './call-profile';
import { routePlan, type PlanCallContext } from './plan-routing';

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
  it('routes every step, keeping its role and making json a need where a schema is declared', () => {
    const routed = routePlan(plan, models, ctx, 'cheapest');
    if (!routed.ok) throw new Error(routed.decision.reason);
    expect(routed.plan.resultStep).toBe('decide');
    expect(routed.plan.steps).toEqual([
      { id: 'notes', role: 'research', instruction: 'Take notes.', model: 'chat-only', fallbackModels: ['mini', 'large'] },
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
    expect(routed.decision.reason).toMatch(/^notes: chat-only is the cheapest eligible model .*; decide: mini is the cheapest eligible model/);
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

describe('estimatePromptTokens', () => {
  it('adds instruction, input text, structured data and the upstream outputs', () => {
    const input = { text: 'x'.repeat(40), data: { a: 1 } };
    expect(estimatePromptTokens('y'.repeat(8), input)).toBe(2 + 10 + estimateTokens('{"a":1}'));
    expect(estimatePromptTokens('y'.repeat(8), input, 2, 400)).toBe(2 + 10 + estimateTokens('{"a":1}') + 800);
    expect(estimatePromptTokens('', { text: 'abcd' })).toBe(1 + estimateTokens('{}'));
  });
});
