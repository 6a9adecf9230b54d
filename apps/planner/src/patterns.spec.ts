import type { Plan, TaskDecision, TaskRouted } from '@baton/contracts';
import { onDecision } from './decision';
import { onApproved, onHandoff, onPlanRouted, onSetback, startRun, type Action, type RunState } from './run-state';

const defaults = { maxSteps: 20, maxAttemptsPerStep: 2, deadlineSeconds: 60 };
const T0 = 1_000_000;

function routed(over: Partial<TaskRouted['data']> = {}): TaskRouted['data'] {
  return {
    taskType: 'fraud.review',
    instruction: 'Should we hold the transaction?',
    input: { text: 'signal' },
    pattern: 'single',
    role: 'risk',
    model: 'sim-mini',
    decision: { policy: 'cheapest', candidates: [], reason: 'r' },
    ...over,
  };
}

const dispatched = (actions: Action[]) => actions.flatMap((a) => (a.type === 'dispatch' ? [a.step] : []));
const only = <T extends Action['type']>(actions: Action[], type: T): Extract<Action, { type: T }> => {
  expect(actions.map((a) => a.type)).toEqual([type]);
  return actions[0] as Extract<Action, { type: T }>;
};
/** The human decision on the run's pending escalation (the service fills the id in). */
function decide(run: RunState, data: Omit<TaskDecision['data'], 'escalationId' | 'decidedBy'> & { decidedBy?: string }, now = T0): Action[] {
  if (run.escalation) run.escalation.id ??= 'esc-1';
  return onDecision(run, { escalationId: run.escalation?.id ?? 'none', decidedBy: 'ana', ...data }, now);
}

const debatePlan = (over: Partial<NonNullable<Plan['steps'][number]['debate']>> = {}): Plan => ({
  steps: [
    {
      id: 'debate',
      role: 'judge',
      instruction: 'Hold the transaction?',
      model: 'sim-large',
      debate: {
        participants: [
          { role: 'risk', model: 'sim-mini' },
          { role: 'compliance', model: 'sim-standard' },
          { role: 'general', model: 'sim-large' },
        ],
        choices: ['hold', 'release'],
        rule: 'majority',
        onTie: 'judge',
        ...over,
      },
    },
  ],
});

describe('debate + consensus', () => {
  it('asks every participant in parallel with the ballot schema, and a majority decides with dissent recorded', () => {
    const { run, actions } = startRun(routed({ pattern: 'debate', plan: debatePlan() }), defaults, T0);
    const asked = dispatched(actions);
    expect(asked.map((s) => [s.stepId, s.role, s.model])).toEqual([
      ['debate.p1', 'risk', 'sim-mini'],
      ['debate.p2', 'compliance', 'sim-standard'],
      ['debate.p3', 'general', 'sim-large'],
    ]);
    expect(asked[0].outputSchema).toMatchObject({ properties: { vote: { enum: ['hold', 'release'] } } });
    expect(onApproved(run, 'debate.p1', 1, { vote: 'hold', rationale: 'velocity' }, T0)).toEqual([]);
    expect(onApproved(run, 'debate.p2', 1, { vote: 'release', rationale: 'known merchant' }, T0)).toEqual([]);
    const done = only(onApproved(run, 'debate.p3', 1, { vote: 'hold', rationale: 'new device' }, T0), 'complete');
    expect(done.result).toMatchObject({ decision: 'hold', decidedBy: 'vote', counts: { hold: 2, release: 1 } });
    expect((done.result as { dissent: unknown[] }).dissent).toEqual([{ participant: 'debate.p2', role: 'compliance', vote: 'release', rationale: 'known merchant' }]);
  });

  it('sends a tie to the judge with every vote, and the judge decides', () => {
    const plan = debatePlan({ participants: [{ role: 'risk', model: 'sim-mini' }, { role: 'compliance', model: 'sim-standard' }] });
    const { run } = startRun(routed({ pattern: 'debate', plan }), defaults, T0);
    onApproved(run, 'debate.p1', 1, { vote: 'hold', rationale: 'a' }, T0);
    const [judge] = dispatched(onApproved(run, 'debate.p2', 1, { vote: 'release', rationale: 'b' }, T0));
    expect(judge).toMatchObject({ stepId: 'debate.judge', role: 'judge', model: 'sim-large' });
    expect((judge.input.data as { votes: unknown[] }).votes).toHaveLength(2);
    const done = only(onApproved(run, 'debate.judge', 1, { choice: 'release', reason: 'documented merchant' }, T0), 'complete');
    expect(done.result).toMatchObject({ decision: 'release', decidedBy: 'judge', tieBreak: 'documented merchant' });
  });

  it('sends a tie to a human when the debate says so; the human picks among the choices', () => {
    const plan = debatePlan({ participants: [{ role: 'risk', model: 'a' }, { role: 'compliance', model: 'b' }], onTie: 'human' });
    const { run } = startRun(routed({ pattern: 'debate', plan }), defaults, T0);
    onApproved(run, 'debate.p1', 1, { vote: 'hold', rationale: 'a' }, T0);
    const esc = only(onApproved(run, 'debate.p2', 1, { vote: 'release', rationale: 'b' }, T0), 'escalate');
    expect(esc.escalation).toMatchObject({ stopReason: 'debate_tie', stepId: 'debate', choices: ['hold', 'release'], allowed: ['answer', 'edit', 'reject'] });
    expect(only(decide(run, { action: 'answer', answer: 'maybe' }), 'ignore').why).toMatch(/not one of the choices/);
    const done = only(decide(run, { action: 'answer', answer: 'hold' }), 'complete');
    expect(done.result).toMatchObject({ decision: 'hold', decidedBy: 'human' });
  });

  it('counts a participant that never gives a valid vote as an abstention', () => {
    const { run } = startRun(routed({ pattern: 'debate', plan: debatePlan() }), defaults, T0);
    onApproved(run, 'debate.p1', 1, { vote: 'hold', rationale: 'a' }, T0);
    onApproved(run, 'debate.p2', 1, { vote: 'hold', rationale: 'b' }, T0);
    only(onSetback(run, 'debate.p3', 1, 'failed', 'llm_timeout', T0), 'dispatch');
    const done = only(onSetback(run, 'debate.p3', 2, 'failed', 'llm_timeout', T0), 'complete');
    expect(done.result).toMatchObject({ decision: 'hold', counts: { hold: 2, release: 0 } });
  });
});

describe('approval by a human', () => {
  const plan: Plan = {
    steps: [
      { id: 'assess', role: 'risk', instruction: 'assess', model: 'm' },
      { id: 'hold', role: 'risk', instruction: 'place the hold', dependsOn: ['assess'], model: 'm', approval: true },
    ],
  };

  it('holds an approved output for a human, then goes on with it once approved', () => {
    const { run } = startRun(routed({ pattern: 'workflow', plan }), defaults, T0);
    onApproved(run, 'assess', 1, { risk: 90 }, T0);
    const esc = only(onApproved(run, 'hold', 1, { hold: true }, T0), 'escalate');
    expect(esc.escalation).toMatchObject({ stopReason: 'approval_required', stepId: 'hold', pendingOutput: { hold: true }, allowed: ['approve', 'reject', 'edit'] });
    expect(only(decide(run, { action: 'approve' }), 'complete').result).toEqual({ hold: true });
  });

  it('uses the edited output instead, or fails the task on reject', () => {
    const a = startRun(routed({ pattern: 'workflow', plan }), defaults, T0).run;
    onApproved(a, 'assess', 1, 'x', T0);
    onApproved(a, 'hold', 1, { hold: true }, T0);
    expect(only(decide(a, { action: 'edit', output: { hold: false } }), 'complete').result).toEqual({ hold: false });

    const b = startRun(routed({ pattern: 'workflow', plan }), defaults, T0).run;
    onApproved(b, 'assess', 1, 'x', T0);
    onApproved(b, 'hold', 1, { hold: true }, T0);
    expect(only(decide(b, { action: 'reject', comment: 'customer called' }), 'stop')).toMatchObject({ stopReason: 'rejected_by_human', reason: { message: expect.stringContaining('customer called') } });
  });

  it('refuses a decision the escalation does not allow, and a decision on another escalation', () => {
    const { run } = startRun(routed({ pattern: 'workflow', plan }), defaults, T0);
    onApproved(run, 'assess', 1, 'x', T0);
    onApproved(run, 'hold', 1, { hold: true }, T0);
    expect(only(decide(run, { action: 'answer', answer: 'yes' }), 'ignore').why).toMatch(/not allowed/);
    expect(only(onDecision(run, { escalationId: 'other', action: 'approve', decidedBy: 'ana' }, T0), 'ignore').why).toMatch(/waits on esc-1/);
  });
});

describe('escalation after attempts run out', () => {
  function exhausted(): RunState {
    const { run } = startRun(routed(), defaults, T0);
    onSetback(run, 'main', 1, 'blocked', 'bad', T0);
    only(onSetback(run, 'main', 2, 'blocked', 'bad again', T0), 'escalate');
    return run;
  }

  it('approve gives the step a fresh set of attempts', () => {
    const run = exhausted();
    const [retry] = dispatched(decide(run, { action: 'approve' }));
    expect(retry).toMatchObject({ stepId: 'main', attempt: 3 });
    only(onSetback(run, 'main', 3, 'blocked', 'still bad', T0), 'dispatch');
    only(onSetback(run, 'main', 4, 'blocked', 'still bad', T0), 'escalate');
  });

  it("answer retries with the human's guidance in the feedback", () => {
    const run = exhausted();
    const [retry] = dispatched(decide(run, { action: 'answer', answer: 'The budget is 50k.' }));
    expect(retry.feedback).toContain('A human reviewer said: The budget is 50k.');
  });

  it('a decision is applied once: the second copy finds nothing pending', () => {
    const run = exhausted();
    only(decide(run, { action: 'edit', output: 'done by hand' }), 'complete');
    expect(only(onDecision(run, { escalationId: 'esc-1', action: 'edit', output: 'again', decidedBy: 'ana' }, T0), 'ignore').why).toMatch(/waits on none/);
  });

  it('a timeout applies the declared outcome: fail, or approve only what is pending', () => {
    const run = exhausted();
    expect(only(decide(run, { action: 'reject', decidedBy: 'timeout' }), 'stop').stopReason).toBe('escalation_timeout');
    const other = exhausted();
    expect(only(decide(other, { action: 'approve', decidedBy: 'timeout' }), 'stop').stopReason).toBe('escalation_timeout');
  });

  it('does not count the time spent waiting for a human against the deadline', () => {
    const run = exhausted();
    const before = run.limits.deadlineAt;
    decide(run, { action: 'approve' }, T0 + 3_600_000);
    expect(run.limits.deadlineAt).toBe(before + 3_600_000);
  });
});

describe('router + specialist hand-offs', () => {
  const plan: Plan = {
    steps: [
      {
        id: 'main',
        role: 'general',
        instruction: 'Answer the ticket.',
        model: 'sim-mini',
        handoffs: [
          { role: 'sales', model: 'sim-standard' },
          { role: 'compliance', model: 'sim-large', fallbackModels: ['sim-standard'] },
        ],
      },
    ],
  };

  it('offers the declared targets, and hands the step over with the note and the input, nothing more', () => {
    const { run, actions } = startRun(routed({ plan, input: { text: 'ticket', data: { account: 7 } } }), defaults, T0);
    expect(dispatched(actions)[0].handoffRoles).toEqual(['sales', 'compliance']);
    onSetback(run, 'main', 1, 'blocked', 'bad', T0);
    const [next] = dispatched(onHandoff(run, 'main', 2, 'sales', { reason: 'pricing question', note: 'Customer asks for volume pricing.' }, T0, { toolCalls: 1 }));
    expect(next).toMatchObject({ stepId: 'main', attempt: 3, role: 'sales', model: 'sim-standard', feedback: [], handoffRoles: ['general', 'compliance'] });
    expect(next.input).toEqual({ text: 'ticket', data: { account: 7, handoff: { from: 'general', reason: 'pricing question', note: 'Customer asks for volume pricing.' } } });
    expect(run.counters).toMatchObject({ handoffs: 1, toolCalls: 1 });
    // The new holder has its own attempts.
    only(onSetback(run, 'main', 3, 'blocked', 'bad', T0), 'dispatch');
  });

  it('stops work handed back and forth as no progress', () => {
    const { run } = startRun(routed({ plan }), defaults, T0);
    onHandoff(run, 'main', 1, 'sales', { reason: 'r', note: 'n' }, T0);
    onHandoff(run, 'main', 2, 'compliance', { reason: 'r', note: 'n2' }, T0);
    const halt = only(onHandoff(run, 'main', 3, 'general', { reason: 'r', note: 'n3' }, T0), 'stop');
    expect(halt).toMatchObject({ stopReason: 'no_progress', reason: { message: expect.stringContaining('general → sales → compliance → general') } });
  });

  it('stops at the hand-off limit, and treats a hand-off to an undeclared role as a refused attempt', () => {
    const limited = startRun(routed({ plan, limits: { maxHandoffs: 1 } }), defaults, T0).run;
    onHandoff(limited, 'main', 1, 'sales', { reason: 'r', note: 'n' }, T0);
    expect(only(onHandoff(limited, 'main', 2, 'compliance', { reason: 'r', note: 'n' }, T0), 'stop').stopReason).toBe('no_progress');

    const { run } = startRun(routed({ plan }), defaults, T0);
    const retry = only(onHandoff(run, 'main', 1, 'writer', { reason: 'r', note: 'n' }, T0), 'dispatch');
    expect(retry.step.feedback[0]).toMatch(/handoff_not_allowed/);
  });
});

describe('tool-call budget', () => {
  it('gives each attempt what is left of the task budget and stops when the agent runs out', () => {
    const { run, actions } = startRun(routed({ limits: { maxToolCalls: 5 } }), defaults, T0);
    expect(dispatched(actions)[0].maxToolCalls).toBe(5);
    const retry = only(onSetback(run, 'main', 1, 'blocked', 'bad', T0, { toolCalls: 3 }), 'dispatch');
    expect(retry.step.maxToolCalls).toBe(2);
    expect(only(onSetback(run, 'main', 2, 'failed', 'max_tool_calls: used up', T0, { code: 'max_tool_calls', toolCalls: 2 }), 'stop').stopReason).toBe('max_tool_calls');
  });
});

describe('budget', () => {
  it('keeps the task cap on the run and stops on an exhausted budget without retrying', () => {
    const { run } = startRun(routed({ limits: { maxCostUsd: 0.25 } }), defaults, T0);
    expect(run.limits.maxCostMicros).toBe(250_000);
    const stopped = only(onSetback(run, 'main', 1, 'failed', 'budget_exhausted: tenant day', T0, { code: 'budget_exhausted' }), 'stop');
    expect(stopped.stopReason).toBe('budget_exhausted');
    expect(stopped.reason).toMatchObject({ kind: 'policy', code: 'budget_exhausted' });
  });

  it('escalates an exhausted budget when the policy says so, offering answer or reject', () => {
    const { run } = startRun(routed(), { ...defaults, onBudgetExhausted: 'escalate' }, T0);
    const esc = only(onSetback(run, 'main', 1, 'failed', 'budget_exhausted: tenant day', T0, { code: 'budget_exhausted' }), 'escalate');
    expect(esc.escalation).toMatchObject({ stopReason: 'budget_exhausted', allowed: ['answer', 'reject'], stepId: 'main' });
  });
});

describe('planner + executor with a plan from the planner agent', () => {
  const proposed: Plan = {
    steps: [
      { id: 'research', role: 'research', instruction: 'Find the facts.' },
      { id: 'draft', role: 'writer', instruction: 'Write it up.', dependsOn: ['research'] },
    ],
    resultStep: 'draft',
  };
  const routedPlan = (p: Plan, model = 'sim-mini'): Plan => ({ ...p, steps: p.steps.map((s) => ({ ...s, model })) });

  function planned(over: Partial<TaskRouted['data']> = {}) {
    const { run, actions } = startRun(routed({ pattern: 'plan', role: 'planner', model: 'sim-large', ...over }), defaults, T0);
    return { run, first: dispatched(actions)[0] };
  }

  it('asks the planner agent for a plan, proposes it to the router, then runs the routed plan', () => {
    const { run, first } = planned();
    expect(first).toMatchObject({ stepId: 'planning.1', role: 'planner', model: 'sim-large', maxToolCalls: 0 });
    expect(first.outputSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['steps']) });
    const prop = only(onApproved(run, 'planning.1', 1, proposed, T0), 'propose');
    expect(prop).toMatchObject({ revision: 1, plan: proposed });
    expect(only(onPlanRouted(run, 2, routedPlan(proposed), undefined, T0), 'ignore').why).toMatch(/revision 2/);
    expect(dispatched(onPlanRouted(run, 1, routedPlan(proposed), undefined, T0)).map((s) => s.stepId)).toEqual(['research']);
    dispatched(onApproved(run, 'research', 1, 'facts', T0));
    expect(only(onApproved(run, 'draft', 1, 'report', T0), 'complete').result).toBe('report');
  });

  it('sends an unusable plan back to the planner agent with the problems as feedback', () => {
    const { run } = planned();
    const cyclic = { steps: [{ id: 'a', role: 'research', instruction: 'x', dependsOn: ['b'] }, { id: 'b', role: 'writer', instruction: 'y', dependsOn: ['a'] }] };
    const retry = only(onApproved(run, 'planning.1', 1, cyclic, T0), 'dispatch');
    expect(retry.step).toMatchObject({ stepId: 'planning.1', attempt: 2 });
    expect(retry.step.feedback[0]).toMatch(/invalid_plan: .*cycle/);
    expect(only(onApproved(run, 'planning.1', 2, { steps: [] }, T0), 'escalate').escalation).toMatchObject({ stopReason: 'invalid_plan', stepId: 'planning.1' });
  });

  it('replans when a step fails for good, passing what was done; new step ids never collide with old ones', () => {
    const { run } = planned();
    onApproved(run, 'planning.1', 1, proposed, T0);
    onPlanRouted(run, 1, routedPlan(proposed), undefined, T0);
    onApproved(run, 'research', 1, 'facts', T0);
    onSetback(run, 'draft', 1, 'failed', 'llm_timeout', T0);
    const [again] = dispatched(onSetback(run, 'draft', 2, 'failed', 'llm_timeout', T0));
    expect(again).toMatchObject({ stepId: 'planning.2', role: 'planner' });
    expect(again.feedback[0]).toMatch(/Step draft \(writer\) failed after 2 attempts/);
    expect(again.input.data).toEqual({ previous: { research: 'facts' } });
    const second: Plan = { steps: [{ id: 'draft', role: 'general', instruction: 'Write it up plainly.' }] };
    only(onApproved(run, 'planning.2', 1, second, T0), 'propose');
    const [d] = dispatched(onPlanRouted(run, 2, routedPlan(second), undefined, T0));
    expect(d).toMatchObject({ stepId: 'draft-r2', role: 'general', input: { data: { previous: { research: 'facts' } } } });
    // A late event of the old plan's step is ignored.
    expect(only(onApproved(run, 'draft', 2, 'late', T0), 'ignore').type).toBe('ignore');
  });

  it('stops a planner that proposes the same plan again, and escalates once replans run out', () => {
    const { run } = planned({ limits: { maxReplans: 1 } });
    onApproved(run, 'planning.1', 1, proposed, T0);
    onPlanRouted(run, 1, routedPlan(proposed), undefined, T0);
    onSetback(run, 'research', 1, 'failed', 'x', T0);
    onSetback(run, 'research', 2, 'failed', 'x', T0);
    expect(only(onApproved(run, 'planning.2', 1, proposed, T0), 'stop').stopReason).toBe('loop_detected');

    const other = planned({ limits: { maxReplans: 0 } }).run;
    onApproved(other, 'planning.1', 1, proposed, T0);
    onPlanRouted(other, 1, routedPlan(proposed), undefined, T0);
    onSetback(other, 'research', 1, 'failed', 'x', T0);
    expect(only(onSetback(other, 'research', 2, 'failed', 'x', T0), 'escalate').escalation.stopReason).toBe('max_replans');
  });

  it('fails the task when the router finds no model for the plan', () => {
    const { run } = planned();
    onApproved(run, 'planning.1', 1, proposed, T0);
    const halt = only(onPlanRouted(run, 1, undefined, { kind: 'user', code: 'no_eligible_model', message: 'step draft: no model' }, T0), 'stop');
    expect(halt).toMatchObject({ stopReason: 'no_eligible_model', reason: { kind: 'user' } });
  });
});
