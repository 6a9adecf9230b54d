import { TaskRouted, type Pattern } from '@baton/contracts';
import { ModelCatalog, type ModelSpec } from '@baton/llm';
import { WorkflowRegistry } from '@baton/workflows';
import { estimatePromptTokens } from './call-profile';
import { chooseModel } from './model-choice';
import { DEFAULT_INSTRUCTIONS } from './role-rules';
import { RoutingPolicies } from './routing-config';
import { DEBATE_STEP_ID, MAIN_STEP_ID, routeDebate, routeForPlanner, routeSingle, routeWorkflow, type RoutableTask, type TaskRouting, type TaskRoutingContext } from './task-routing';

function model(id: string, over: Partial<ModelSpec>): ModelSpec {
  return { id, provider: 'simulator', providerModel: id, inputPricePerMTokens: 1, outputPricePerMTokens: 2, contextWindow: 32_000, maxOutputTokens: 4_000, capabilities: ['chat'], ...over };
}
const chatOnly = model('chat-only', { inputPricePerMTokens: 0.01, outputPricePerMTokens: 0.01 });
const mini = model('mini', { inputPricePerMTokens: 0.15, outputPricePerMTokens: 0.6, capabilities: ['chat', 'json'], quality: { chat: 0.6, json: 0.55 } });
const standard = model('standard', { inputPricePerMTokens: 0.4, outputPricePerMTokens: 1.6, capabilities: ['chat', 'json', 'tools'], quality: { chat: 0.74, json: 0.72, tools: 0.7 } });
const large = model('large', { inputPricePerMTokens: 2.5, outputPricePerMTokens: 10, capabilities: ['chat', 'json', 'tools'], quality: { chat: 0.86, json: 0.84, tools: 0.83 } });

const ctx: TaskRoutingContext = { models: [chatOnly, mini, standard, large], policy: 'cheapest', openBreakers: new Set(), expectedOutputTokens: 400 };
const SCHEMA = { type: 'object', properties: { category: { type: 'string' } }, required: ['category'], additionalProperties: false };
const task = (over: Partial<RoutableTask> = {}): RoutableTask => ({ taskType: 'support.triage', input: { text: 'My invoice is wrong.' }, ...over });

/** The routing must make a task.routed the contract accepts. */
function expectPublishable(t: RoutableTask, pattern: Pattern, routed: TaskRouting): void {
  if (!routed.ok) throw new Error(routed.message);
  const data = { ...t, ...routed.routing, pattern, patternReason: 'test' };
  const r = TaskRouted.data.safeParse(data);
  if (!r.success) throw new Error(JSON.stringify(r.error.issues));
}

describe('routeSingle', () => {
  it("routes one call of the task type's specialist when there are no hand-offs", () => {
    const t = task({ taskType: 'lead.qualify' });
    const routed = routeSingle(t, ctx, []);
    const promptTokens = estimatePromptTokens(DEFAULT_INSTRUCTIONS['lead.qualify'] ?? '', t.input);
    const expected = chooseModel(ctx.models, { structuredOutput: false, promptTokens, expectedOutputTokens: 400 }, 'cheapest');
    expect(routed).toEqual({
      ok: true,
      routing: { role: 'sales', model: 'chat-only', instruction: DEFAULT_INSTRUCTIONS['lead.qualify'], fallbackModels: ['mini', 'standard', 'large'], decision: expected.decision },
    });
    expectPublishable(t, 'single', routed);
  });

  it('builds a one-step plan listing the hand-off targets, each with its model, on models with tools', () => {
    const t = task({ outputSchema: SCHEMA });
    const routed = routeSingle(t, ctx, ['sales', 'compliance']);
    if (!routed.ok) throw new Error(routed.message);
    expect(routed.routing).toMatchObject({ role: 'general', model: 'standard', fallbackModels: ['large'], instruction: DEFAULT_INSTRUCTIONS['support.triage'] });
    expect(routed.routing.plan).toEqual({
      steps: [
        {
          id: MAIN_STEP_ID,
          role: 'general',
          instruction: DEFAULT_INSTRUCTIONS['support.triage'],
          outputSchema: SCHEMA,
          model: 'standard',
          fallbackModels: ['large'],
          handoffs: [
            { role: 'sales', model: 'standard', fallbackModels: ['large'] },
            { role: 'compliance', model: 'standard', fallbackModels: ['large'] },
          ],
        },
      ],
    });
    expect(routed.routing.decision.reason).toMatch(/^main: .*; main hand-offs to sales, compliance: /);
    expectPublishable(t, 'single', routed);
  });

  it('leaves out a hand-off to the specialist itself', () => {
    const routed = routeSingle(task({ taskType: 'lead.qualify' }), ctx, ['sales', 'compliance']);
    expect(routed.ok && routed.routing.plan?.steps[0]?.handoffs?.map((h) => h.role)).toEqual(['compliance']);
    const alone = routeSingle(task({ taskType: 'lead.qualify' }), ctx, ['sales']);
    expect(alone.ok && alone.routing.plan).toBeUndefined();
  });

  it('needs no tools for structured input, which is in the prompt; hand-offs still do', () => {
    const t = task({ input: { text: 'Ticket 7.', data: { account: 7 } } });
    const routed = routeSingle(t, ctx, []);
    expect(routed.ok && routed.routing.model).toBe('chat-only');
    const handing = routeSingle(t, ctx, ['sales']);
    expect(handing.ok && [handing.routing.model, handing.routing.plan?.steps[0]?.handoffs?.map((h) => h.model)]).toEqual(['standard', ['standard']]);
  });

  it('answers the decision when no model can serve the call', () => {
    const routed = routeSingle(task({ needs: { capabilities: ['vision'] } }), ctx, []);
    expect(routed.ok).toBe(false);
    if (routed.ok) return;
    expect(routed.message).toBe('no model in the catalog meets the task needs');
    expect(routed.decision.candidates).toHaveLength(4);
  });
});

describe('routeForPlanner', () => {
  it("routes the planner agent's call, which answers a structured plan (json), with no plan yet", () => {
    const t = task({ taskType: 'research.market', instruction: 'Size the bike market in Porto.' });
    const routed = routeForPlanner(t, ctx);
    expect(routed).toEqual({
      ok: true,
      routing: { role: 'planner', model: 'mini', fallbackModels: ['standard', 'large'], instruction: 'Size the bike market in Porto.', decision: expect.anything() },
    });
    expectPublishable(t, 'plan', routed);
  });

  it("applies the task's needs and policy to that call", () => {
    const routed = routeForPlanner(task({ needs: { capabilities: ['tools'] } }), { ...ctx, policy: 'cascade' });
    expect(routed.ok && [routed.routing.model, routed.routing.cascadeModels]).toEqual(['standard', ['large']]);
  });
});

describe('routeDebate', () => {
  const config = RoutingPolicies.parse(
    { debates: { byTaskType: { 'fraud.review': { participants: [{ role: 'risk' }, { role: 'compliance' }, { role: 'general' }], choices: ['hold', 'release'] } } } },
    'test',
  );

  it('routes a judge step whose configured participants each get a model', () => {
    const t = task({ taskType: 'fraud.review', instruction: 'Hold or release payment 4411?' });
    const routed = routeDebate(t, ctx, config.debateFor('fraud.review', 'general'));
    if (!routed.ok) throw new Error(routed.message);
    // The judge answers with a choice (JSON) from the votes in its prompt: it needs json, not tools.
    expect(routed.routing).toMatchObject({ role: 'judge', model: 'mini', fallbackModels: ['standard', 'large'], instruction: 'Hold or release payment 4411?' });
    expect(routed.routing.plan).toEqual({
      steps: [
        {
          id: DEBATE_STEP_ID,
          role: 'judge',
          instruction: 'Hold or release payment 4411?',
          model: 'mini',
          fallbackModels: ['standard', 'large'],
          debate: {
            participants: [
              { role: 'risk', model: 'mini', fallbackModels: ['standard', 'large'] },
              { role: 'compliance', model: 'standard', fallbackModels: ['mini', 'large'] },
              { role: 'general', model: 'large', fallbackModels: ['mini', 'standard'] },
            ],
            choices: ['hold', 'release'],
            rule: 'majority',
            onTie: 'judge',
          },
        },
      ],
    });
    expectPublishable(t, 'debate', routed);
  });

  it("debates a type without an entry among three voters of the task's role, on the three best eligible models", () => {
    const t = task({ taskType: 'lead.qualify' });
    const routed = routeDebate(t, { ...ctx, policy: 'best-quality' }, config.debateFor('lead.qualify', 'sales'));
    if (!routed.ok) throw new Error(routed.message);
    const debate = routed.routing.plan?.steps[0]?.debate;
    expect(debate?.participants.map((p) => [p.role, p.model])).toEqual([
      ['sales', 'large'],
      ['sales', 'standard'],
      ['sales', 'mini'],
    ]);
    expect([debate?.choices, debate?.rule, debate?.onTie]).toEqual([['yes', 'no'], 'majority', 'judge']);
    expectPublishable(t, 'debate', routed);
  });
});

describe('routeWorkflow', () => {
  const workflow = WorkflowRegistry.fromDir().get('fraud-hold');

  it("routes every step, the first step's role and model up front", () => {
    const t = task({ taskType: 'fraud.signal' });
    const routed = routeWorkflow(t, ctx, workflow);
    if (!routed.ok) throw new Error(routed.message);
    expect(routed.routing).toMatchObject({ role: 'risk', model: 'mini', instruction: workflow.description });
    expect(routed.routing.plan?.steps.map((s) => s.id)).toEqual(['assess', 'decide']);
    expectPublishable(t, 'workflow', routed);
  });

  it('names the workflow when a step has no model', () => {
    const routed = routeWorkflow(task(), { ...ctx, models: [chatOnly] }, workflow);
    expect(!routed.ok && routed.message).toBe('workflow fraud-hold, step assess: no model in the catalog meets the task needs');
  });
});

describe('the repository configuration on the repository catalog', () => {
  const config = RoutingPolicies.fromFile(undefined, {});
  const repo: TaskRoutingContext = { ...ctx, models: ModelCatalog.fromFile().list() };

  it.each(['cheapest', 'fastest', 'best-quality', 'cascade'] as const)('routes every pattern into a valid task.routed under %s', (policy) => {
    const c = { ...repo, policy };
    expectPublishable(task(), 'single', routeSingle(task(), c, config.handoffsFor('support.triage')));
    expectPublishable(task({ taskType: 'research.market' }), 'plan', routeForPlanner(task({ taskType: 'research.market' }), c));
    expectPublishable(task({ taskType: 'fraud.review' }), 'debate', routeDebate(task({ taskType: 'fraud.review' }), c, config.debateFor('fraud.review', 'general')));
  });
});
