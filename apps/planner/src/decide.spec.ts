import type { TaskRouted } from '@baton/contracts';
import { APPLIED_KEPT, asRunRecord, decide, escalationIdOf, type PlannerInput, type RunRecord } from './decide';
import type { LimitDefaults } from './run-state';

const T0 = 1_000_000;
const defaults: LimitDefaults = { maxSteps: 20, maxAttemptsPerStep: 2, deadlineSeconds: 60 };

function routed(): TaskRouted['data'] {
  return {
    taskType: 'lead.qualify',
    instruction: 'Qualify the lead.',
    input: { text: 'A lead' },
    pattern: 'single',
    role: 'sales',
    model: 'sim-mini',
    decision: { policy: 'cheapest', candidates: [], reason: 'r' },
  };
}

const start = (): RunRecord => {
  const { record } = decide(null, { causeId: 'routed-1', input: { kind: 'routed', routed: routed(), defaults, taskStatus: 'routed' } }, T0);
  if (!record) throw new Error('no record');
  return record;
};
const on = (record: RunRecord | null, causeId: string, input: PlannerInput, now = T0) => decide(record, { causeId, input }, now);

describe('decide', () => {
  it('starts a routed task: the task moves to running with its deadline, then the first step is dispatched', () => {
    const record = start();
    expect(record.phase).toBe('running');
    const { actions } = decide(null, { causeId: 'routed-1', input: { kind: 'routed', routed: routed(), defaults, taskStatus: 'routed' } }, T0);
    expect(actions.map((a) => a.type)).toEqual(['started', 'dispatch']);
    expect(actions[0]).toEqual({ type: 'started', deadlineAt: T0 + 60_000 });
    expect(record.applied).toEqual(['routed-1']);
  });

  it('never changes the record it is given', () => {
    const record = start();
    const before = JSON.stringify(record);
    on(record, 'ok-1', { kind: 'approved', stepId: 'main', attempt: 1, output: { ok: true }, report: {} });
    expect(JSON.stringify(record)).toBe(before);
  });

  it('ignores task.routed for a task that already has a run (a redelivery must not restart it)', () => {
    const record = start();
    const again = on(record, 'routed-2', { kind: 'routed', routed: routed(), defaults, taskStatus: 'running' });
    expect(again.record).toBeNull();
    expect(again.actions.map((a) => a.type)).toEqual(['ignore']);
  });

  it('does not start a task that is no longer routed (stopped before it started)', () => {
    const res = on(null, 'routed-1', { kind: 'routed', routed: routed(), defaults, taskStatus: 'failed' });
    expect(res.record).toBeNull();
  });

  it('answers an event it already applied with no new record, so the service replays the stored outbox instead of deciding twice', () => {
    const record = start();
    const done = on(record, 'ok-1', { kind: 'approved', stepId: 'main', attempt: 1, output: { ok: true }, report: {} });
    expect(done.record?.phase).toBe('ended');
    expect(done.actions.map((a) => a.type)).toEqual(['complete']);
    const replay = on(done.record, 'ok-1', { kind: 'approved', stepId: 'main', attempt: 1, output: { ok: true }, report: {} });
    expect(replay).toEqual({ record: null, actions: [] });
  });

  it('remembers a bounded number of applied events, dropping the oldest', () => {
    const record = { ...start(), applied: Array.from({ length: APPLIED_KEPT }, (_, i) => `old-${i}`) };
    const next = on(record, 'ok-1', { kind: 'approved', stepId: 'main', attempt: 1, output: { ok: true }, report: {} }).record;
    expect(next?.applied).toHaveLength(APPLIED_KEPT);
    expect(next?.applied.at(-1)).toBe('ok-1');
    expect(next?.applied).not.toContain('old-0');
  });

  it('names an escalation after its cause and waits in phase escalated; only its decision resumes the run', () => {
    let record = start();
    for (const [i, attempt] of [1, 2].entries()) {
      record = on(record, `fail-${i}`, { kind: 'setback', stepId: 'main', attempt, outcome: 'failed', reason: 'model_error', report: {} }).record ?? record;
    }
    expect(record.phase).toBe('escalated');
    const escalationId = escalationIdOf('fail-1');
    expect(record.run?.escalation?.id).toBe(escalationId);
    expect(on(record, 'late', { kind: 'approved', stepId: 'main', attempt: 2, output: {}, report: {} }).record).toBeNull();
    const other = on(record, 'd-0', { kind: 'decision', decision: { escalationId: 'someone-else', action: 'approve', decidedBy: 'ana' } });
    expect(other.record).toBeNull();
    const resumed = on(record, 'd-1', { kind: 'decision', decision: { escalationId, action: 'answer', answer: 'try the CRM', decidedBy: 'ana' } });
    expect(resumed.record?.phase).toBe('running');
    expect(resumed.actions.map((a) => a.type)).toEqual(['resumed', 'dispatch', 'decided']);
  });

  it('stops a task stuck before it started once its deadline passed, and a later task.routed does not start it', () => {
    const stuck = on(null, 'deadline-1', { kind: 'start-deadline', taskStatus: 'admitted' });
    expect(stuck.record?.phase).toBe('ended');
    expect(stuck.actions).toEqual([expect.objectContaining({ type: 'stop', stopReason: 'not_started' })]);
    expect(on(stuck.record, 'routed-1', { kind: 'routed', routed: routed(), defaults, taskStatus: 'routed' }).record).toBeNull();
  });

  it('reads a bare run stored before records existed', () => {
    const { run } = start();
    expect(asRunRecord(run)).toEqual({ v: 2, phase: 'running', run, applied: [] });
    expect(asRunRecord(null)).toBeNull();
  });
});
