import type { Plan, TaskRouted } from '@baton/contracts';
import { onApproved, onDeadline, onSetback, startRun, type Action, type RunState } from './run-state';

const defaults = { maxSteps: 20, maxAttemptsPerStep: 3, deadlineSeconds: 60 };
const T0 = 1_000_000;

function routed(over: Partial<TaskRouted['data']> = {}): TaskRouted['data'] {
  return {
    taskType: 'lead.qualify',
    instruction: 'Qualify the lead.',
    input: { text: 'notes' },
    pattern: 'single',
    role: 'sales',
    model: 'sim-mini',
    decision: { policy: 'cheapest', candidates: [], reason: 'r' },
    ...over,
  };
}

const step = (id: string, dependsOn: string[] = [], extra: Partial<Plan['steps'][number]> = {}) => ({
  id,
  role: 'general' as const,
  instruction: `do ${id}`,
  dependsOn,
  model: 'sim-mini',
  ...extra,
});
const diamond: Plan = { steps: [step('a'), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])], resultStep: 'd' };

const dispatched = (actions: Action[]) => actions.flatMap((a) => (a.type === 'dispatch' ? [a.step] : []));
const only = <T extends Action['type']>(actions: Action[], type: T): Extract<Action, { type: T }> => {
  expect(actions.map((a) => a.type)).toEqual([type]);
  return actions[0] as Extract<Action, { type: T }>;
};

describe('run state: single step', () => {
  it('dispatches the one step with its model and fallbacks, then completes with its output', () => {
    const { run, actions } = startRun(routed({ fallbackModels: ['sim-standard'] }), defaults, T0);
    const [s] = dispatched(actions);
    expect(s).toMatchObject({ stepId: 'main', attempt: 1, role: 'sales', model: 'sim-mini', fallbackModels: ['sim-standard'], feedback: [] });
    const done = only(onApproved(run, 'main', 1, { ok: true }, T0 + 10), 'complete');
    expect(done).toEqual({ type: 'complete', result: { ok: true }, stepOutputs: { main: { ok: true } }, attempts: 1 });
  });

  it('retries a blocked attempt with feedback, then escalates when attempts run out', () => {
    const { run } = startRun(routed(), defaults, T0);
    const retry = only(onSetback(run, 'main', 1, 'blocked', 'output_not_json: nope', T0), 'dispatch');
    expect(retry.step).toMatchObject({ attempt: 2, feedback: ['Attempt 1 was blocked: output_not_json: nope'] });
    only(onSetback(run, 'main', 2, 'failed', 'llm_timeout: slow', T0), 'dispatch');
    const esc = only(onSetback(run, 'main', 3, 'blocked', 'output_not_json: again', T0), 'escalate');
    expect(esc).toMatchObject({ escalation: { stopReason: 'attempts_exhausted', stepId: 'main' }, reason: { code: 'attempts_exhausted' } });
    expect(esc.history.map((h) => h.attempt)).toEqual([1, 2, 3]);
    expect(run.escalation?.allowed).toEqual(['approve', 'answer', 'edit', 'reject']);
  });

  it('moves up the cascade when the output check rejects an answer, but not when the call failed', () => {
    const { run } = startRun(routed({ cascadeModels: ['sim-standard', 'sim-large'] }), defaults, T0);
    expect(only(onSetback(run, 'main', 1, 'blocked', 'bad', T0), 'dispatch').step.model).toBe('sim-standard');
    expect(only(onSetback(run, 'main', 2, 'blocked', 'bad', T0), 'dispatch').step.model).toBe('sim-large');
    const { run: other } = startRun(routed({ cascadeModels: ['sim-standard'] }), defaults, T0);
    expect(only(onSetback(other, 'main', 1, 'failed', 'timeout', T0), 'dispatch').step.model).toBe('sim-mini');
  });

  it('ignores stale or repeated outcomes', () => {
    const { run } = startRun(routed(), defaults, T0);
    only(onSetback(run, 'main', 1, 'blocked', 'bad', T0), 'dispatch');
    expect(only(onApproved(run, 'main', 1, 'late answer', T0), 'ignore').why).toMatch(/attempt 1/);
    expect(only(onSetback(run, 'main', 1, 'blocked', 'bad', T0), 'ignore').why).toMatch(/attempt 1/);
    expect(only(onApproved(run, 'ghost', 1, 'x', T0), 'ignore').why).toMatch(/unknown step/);
  });
});

describe('run state: untrusted input', () => {
  // A step that depends on another, a hand-off and a debate rebuilt the input as { text, data }
  // and dropped the mark, so later steps' tool calls were no longer checked for untrusted flows.
  it('keeps an input marked untrusted marked in the request of every later step', () => {
    const { run, actions } = startRun(routed({ pattern: 'workflow', plan: diamond, input: { text: 'an inbound e-mail', untrusted: true } }), defaults, T0);
    expect(dispatched(actions)[0].input.untrusted).toBe(true);
    const next = dispatched(onApproved(run, 'a', 1, 'A', T0));
    expect(next.map((s) => [s.stepId, s.input.untrusted])).toEqual([
      ['b', true],
      ['c', true],
    ]);
  });
});

describe('run state: plans', () => {
  it('runs independent steps in parallel and hands each step the outputs it depends on', () => {
    const { run, actions } = startRun(routed({ pattern: 'workflow', plan: diamond }), defaults, T0);
    expect(dispatched(actions).map((s) => s.stepId)).toEqual(['a']);
    expect(dispatched(onApproved(run, 'a', 1, 'A', T0)).map((s) => s.stepId)).toEqual(['b', 'c']);
    expect(onApproved(run, 'b', 1, 'B', T0)).toEqual([]);
    const [d] = dispatched(onApproved(run, 'c', 1, { c: 1 }, T0));
    expect(d.stepId).toBe('d');
    expect(d.input).toEqual({ text: 'notes', data: { steps: { b: 'B', c: { c: 1 } } } });
    const done = only(onApproved(run, 'd', 1, 'D', T0), 'complete');
    expect(done.result).toBe('D');
    expect(done.stepOutputs).toEqual({ a: 'A', b: 'B', c: { c: 1 }, d: 'D' });
  });

  it('completes only when every step is done, even after the result step', () => {
    const plan: Plan = { steps: [step('a'), step('side', [], { instruction: 'other' })], resultStep: 'a' };
    const { run } = startRun(routed({ pattern: 'workflow', plan }), defaults, T0);
    expect(onApproved(run, 'a', 1, 'A', T0)).toEqual([]);
    expect(only(onApproved(run, 'side', 1, 'S', T0), 'complete').result).toBe('A');
  });

  it('refuses a plan longer than the step limit', () => {
    const { actions } = startRun(routed({ pattern: 'workflow', plan: diamond, limits: { maxSteps: 3 } }), defaults, T0);
    expect(only(actions, 'stop')).toMatchObject({ stopReason: 'max_steps' });
  });

  it('stops a loop: the same role with the same instruction and input again', () => {
    const plan: Plan = { steps: [step('a'), step('a-again', [], { instruction: 'do a' })] };
    const { actions } = startRun(routed({ pattern: 'workflow', plan }), defaults, T0);
    // Nothing is dispatched for a task that is being stopped.
    expect(only(actions, 'stop')).toMatchObject({ stopReason: 'loop_detected' });
  });

  it('stops a step that has no model', () => {
    const plan: Plan = { steps: [{ id: 'a', role: 'general', instruction: 'x' }] };
    expect(only(startRun(routed({ pattern: 'workflow', plan }), defaults, T0).actions, 'stop').stopReason).toBe('no_eligible_model');
  });
});

describe('run state: deadline', () => {
  it('stops the task once the deadline has passed, on any event or on the sweep', () => {
    const { run } = startRun(routed({ limits: { deadlineSeconds: 5 } }), defaults, T0);
    expect(run.limits.deadlineAt).toBe(T0 + 5000);
    expect(only(onDeadline(run, T0 + 4000), 'ignore').why).toBe('not overdue');
    expect(only(onDeadline(run, T0 + 6000), 'stop')).toMatchObject({ stopReason: 'deadline_exceeded' });
    expect(only(onApproved(run, 'main', 1, 'late', T0 + 6000), 'stop').stopReason).toBe('deadline_exceeded');
  });

  it('uses the planner default when the task sets none', () => {
    const { run } = startRun(routed(), defaults, T0);
    expect((run as RunState).limits).toEqual({
      maxSteps: 20,
      maxAttemptsPerStep: 3,
      maxReplans: 2,
      maxToolCalls: 20,
      maxHandoffs: 3,
      deadlineAt: T0 + 60_000,
      escalationTimeoutSeconds: 86_400,
      onEscalationTimeout: 'fail',
    });
  });
});

describe('run state: operator limits are ceilings', () => {
  const operator = { maxSteps: 20, maxAttemptsPerStep: 3, deadlineSeconds: 900, maxReplans: 2, maxToolCalls: 20, maxHandoffs: 3, escalationTimeoutSeconds: 86_400, onEscalationTimeout: 'fail' as const };

  it('a submitter cannot raise attempts, steps, replans, tool calls, hand-offs or the deadline above the operator limits', () => {
    const { run } = startRun(
      routed({ limits: { maxAttemptsPerStep: 10, maxSteps: 100, maxReplans: 10, maxToolCalls: 200, maxHandoffs: 20, deadlineSeconds: 7 * 24 * 3600 } }),
      operator,
      T0,
    );
    expect(run.limits).toMatchObject({ maxAttemptsPerStep: 3, maxSteps: 20, maxReplans: 2, maxToolCalls: 20, maxHandoffs: 3, deadlineAt: T0 + 900_000 });
  });

  it('a submitter may lower every limit', () => {
    const { run } = startRun(routed({ limits: { maxAttemptsPerStep: 1, maxSteps: 2, maxReplans: 0, maxToolCalls: 1, maxHandoffs: 0, deadlineSeconds: 30 } }), operator, T0);
    expect(run.limits).toMatchObject({ maxAttemptsPerStep: 1, maxSteps: 2, maxReplans: 0, maxToolCalls: 1, maxHandoffs: 0, deadlineAt: T0 + 30_000 });
  });

  it("a submitter's onTimeout approve (auto-approving a held output after 1 s) is refused unless the operator allows it", () => {
    const asked = routed({ escalation: { timeoutSeconds: 1, onTimeout: 'approve' } });
    expect(startRun(asked, operator, T0).run.limits.onEscalationTimeout).toBe('fail');
    expect(startRun(asked, { ...operator, allowSubmitterApproveOnTimeout: true }, T0).run.limits.onEscalationTimeout).toBe('approve');
    // The timeout itself may be shortened, never lengthened.
    expect(startRun(asked, operator, T0).run.limits.escalationTimeoutSeconds).toBe(1);
    expect(startRun(routed({ escalation: { timeoutSeconds: 30 * 24 * 3600 } }), operator, T0).run.limits.escalationTimeoutSeconds).toBe(86_400);
  });
});
