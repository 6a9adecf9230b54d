import { checkInvariants, invariantCounts, type ChaosObservations } from './invariants';
import { Prng, parseArgs, parseMix } from './options';
import { planFaults } from './faults';

const base = (): ChaosObservations => ({
  tasks: [
    { taskId: 't1', kind: 'single', status: 'completed', decided: false },
    { taskId: 't2', kind: 'escalate', status: 'completed', decided: true },
  ],
  terminalEvents: [
    { type: 'task.completed', eventId: 'e1', taskId: 't1' },
    { type: 'task.escalated', eventId: 'e2', taskId: 't2', escalationId: 'x1' },
    { type: 'task.completed', eventId: 'e3', taskId: 't2' },
  ],
  stepFailed: new Set(),
  toolExecutions: [{ taskId: 't2', tool: 'issue_refund', key: 'issue_refund:t2:pay', outcome: 'ok' }],
  served: [{ taskId: 't1', promptTokens: 10, completionTokens: 5 }],
  charged: [{ taskId: 't1', promptTokens: 10, completionTokens: 5 }],
  reservedMicros: new Map([['t1', 0]]),
  deadLetters: [],
});

describe('checkInvariants', () => {
  it('finds nothing wrong in a clean run (an escalation resumed to completion is one task end)', () => {
    const v = checkInvariants(base());
    expect(invariantCounts(v)).toEqual({ lost: 0, hung: 0, duplicateTerminal: 0, duplicateEffects: 0, uncharged: 0, doubleCharged: 0, reservationsHeld: 0, healthyDeadLetters: 0 });
    expect(v.outcomes).toMatchObject({ completed: 2 });
  });

  it('counts a decided escalation still escalated, a running task and a 404 as lost; an undecided escalation as an outcome', () => {
    const o = base();
    o.tasks = [
      { taskId: 'a', kind: 'escalate', status: 'escalated', decided: true },
      { taskId: 'b', kind: 'workflow', status: 'running', decided: false },
      { taskId: 'c', kind: 'single', status: 'missing', decided: false },
      { taskId: 'd', kind: 'debate', status: 'escalated', decided: false },
    ];
    const v = checkInvariants(o);
    expect(v.invariants.lost.map((x) => x.taskId)).toEqual(['a', 'b', 'c']);
    expect(v.outcomes.escalatedUndecided).toBe(1);
  });

  it('reports the escalation a stranded task waits on, so a second escalation is told from a lost decision', () => {
    const o = base();
    o.tasks = [
      { taskId: 'a', kind: 'escalate', status: 'escalated', decided: true, pendingEscalation: { id: 'e2', status: 'decided' } },
      { taskId: 'b', kind: 'escalate', status: 'escalated', decided: false, pendingEscalation: { id: 'e3', status: 'open' } },
    ];
    const v = checkInvariants(o);
    expect(v.invariants.lost).toEqual([{ taskId: 'a', kind: 'escalate', status: 'escalated', escalation: { id: 'e2', status: 'decided' } }]);
    expect(v.outcomes.escalatedUndecided).toBe(1);
  });

  it('flags conflicting ends, a repeated end under a new event id, a deadline stop with no failed step', () => {
    const o = base();
    o.terminalEvents.push({ type: 'task.failed', eventId: 'e4', taskId: 't1', stopReason: 'deadline_exceeded' }, { type: 'task.completed', eventId: 'e5', taskId: 't2' });
    const v = checkInvariants(o);
    expect(v.invariants.duplicateTerminal.map((d) => d.taskId).sort()).toEqual(['t1', 't2']);
    expect(v.invariants.hung.map((h) => h.taskId)).toEqual(['t1']);
    // The same event id twice is a redelivery, not a duplicate.
    const same = base();
    same.terminalEvents.push({ type: 'task.completed', eventId: 'e1', taskId: 't1' });
    expect(checkInvariants(same).invariants.duplicateTerminal).toEqual([]);
  });

  it('flags a key executed twice, uncharged and double-charged calls, held reservations and healthy dead letters', () => {
    const o = base();
    o.toolExecutions.push({ taskId: 't2', tool: 'issue_refund', key: 'issue_refund:t2:pay', outcome: 'ok' }, { taskId: 't2', tool: 'send_email', key: 'k2', outcome: 'error' });
    o.served.push({ taskId: 't1', promptTokens: 20, completionTokens: 5 });
    o.charged.push({ taskId: 't2', promptTokens: 1, completionTokens: 1 });
    o.reservedMicros = new Map([['t1', 1200]]);
    o.deadLetters = [
      { topic: 'baton.task.routed.dlt', originalTopic: 'baton.task.routed', consumerGroup: 'planner', reason: 'handler_failed', error: 'LOADING', taskId: 't1', eventId: 'e', validEvent: true },
      { topic: 'baton.task.routed.dlt', originalTopic: 'baton.task.routed', consumerGroup: 'planner', reason: 'invalid_json', error: 'bad', taskId: null, eventId: null, validEvent: false },
    ];
    const c = invariantCounts(checkInvariants(o));
    expect(c).toEqual({ lost: 0, hung: 0, duplicateTerminal: 0, duplicateEffects: 1, uncharged: 1, doubleCharged: 1, reservationsHeld: 1, healthyDeadLetters: 1 });
  });

  it('counts a served call charged by an estimate (cut off by a crash) as charged at the worst case, not uncharged', () => {
    const o = base();
    o.served.push({ taskId: 't1', promptTokens: 20, completionTokens: 5 });
    o.charged.push({ taskId: 't1', promptTokens: 0, completionTokens: 0, estimated: true });
    const v = checkInvariants(o);
    expect(invariantCounts(v)).toMatchObject({ uncharged: 0, doubleCharged: 0 });
    expect(v.modelCalls.chargedAtWorstCase).toEqual({ calls: 1, served: 1, tasks: ['t1'] });
  });

  it('counts an estimate whose call the simulator never finished answering as charged at the worst case, not double-charged', () => {
    const o = base();
    o.charged.push({ taskId: 't1', promptTokens: 0, completionTokens: 0, estimated: true });
    const v = checkInvariants(o);
    expect(invariantCounts(v)).toMatchObject({ uncharged: 0, doubleCharged: 0 });
    expect(v.modelCalls.chargedAtWorstCase).toEqual({ calls: 1, served: 0, tasks: ['t1'] });
  });

  it('still counts served calls an estimate cannot cover as uncharged: one estimate stands for one call', () => {
    const o = base();
    o.served.push({ taskId: 't1', promptTokens: 20, completionTokens: 5 }, { taskId: 't1', promptTokens: 30, completionTokens: 5 });
    o.charged.push({ taskId: 't1', promptTokens: 0, completionTokens: 0, estimated: true });
    o.served.push({ taskId: 't2', promptTokens: 7, completionTokens: 7 });
    const v = checkInvariants(o);
    expect(v.invariants.uncharged).toEqual([
      { taskId: 't1', calls: 1 },
      { taskId: 't2', calls: 1 },
    ]);
    expect(v.modelCalls.chargedAtWorstCase).toEqual({ calls: 1, served: 1, tasks: ['t1'] });
  });
});

describe('options', () => {
  it('parses the flags, the mix and the fault kinds', () => {
    const o = parseArgs(['--tasks', '100', '--rate', '4', '--mix', 'single=3,tools=1', '--faults', 'kill,redis-fault', '--kill-every', '5', '--seed', '9']);
    expect(o).toMatchObject({ tasks: 100, rate: 4, seed: 9, faults: ['kill', 'redis-fault'], kills: 5 });
    expect(o.mix).toEqual({ single: 3, workflow: 0, debate: 0, tools: 1, escalate: 0 });
    expect(() => parseMix('nope=1')).toThrow(/unknown kind/);
    expect(() => parseArgs(['--bogus', '1'])).toThrow(/unknown flag/);
    expect(parseArgs([]).simLatencyMs).toEqual({ min: 100, max: 600 });
    expect(parseArgs(['--sim-latency', '50-250']).simLatencyMs).toEqual({ min: 50, max: 250 });
    expect(parseArgs(['--sim-latency', '0']).simLatencyMs).toEqual({ min: 0, max: 0 });
    expect(() => parseArgs(['--sim-latency', '300-100'])).toThrow(/MIN must not exceed MAX/);
  });

  it('draws the same tasks and faults for the same seed', () => {
    const draw = (seed: number) => {
      const r = new Prng(seed);
      return Array.from({ length: 20 }, () => r.weighted({ a: 1, b: 2, c: 0 }));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toContain('c');
    const plan = (seed: number) => planFaults({ windowMs: 60000, seed, kinds: ['kill', 'broker', 'redis', 'redis-fault'], kills: 4, brokerRestarts: 1, redisRestarts: 1, redisFaults: 2, services: ['gateway', 'router', 'planner'] });
    expect(plan(5)).toEqual(plan(5));
    expect(plan(5)).toHaveLength(8);
    // Every service is killed before any is killed twice.
    expect(new Set(plan(5).filter((f) => f.kind === 'kill').map((f) => f.target)).size).toBe(3);
    for (const f of plan(5)) expect(f.atMs).toBeGreaterThanOrEqual(6000);
  });
});
