import { type TaskDecision, decisionOrigin, deriveEventId, parseEvent } from '@baton/contracts';
import type { PiiVault } from '@baton/guard';
import type { DecisionInput, EscalationChange, EscalationRecord } from '@baton/state';
import { EscalationDecisions, decisionEvent, sameDecision, type EscalationPorts } from './escalations.service';

const TASK = '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b';
const ESC = '9b2f7c1e-5a4d-5e3f-8a1b-2c3d4e5f6a7b';

const open = (extra: Partial<EscalationRecord> = {}): EscalationRecord => ({
  escalationId: ESC,
  taskId: TASK,
  tenantId: 'acme',
  taskType: 'lead.qualify',
  stopReason: 'attempts_exhausted',
  reason: { kind: 'model', code: 'attempts_exhausted', message: 'output failed the schema 3 times' },
  allowed: ['approve', 'reject', 'edit', 'answer'],
  bundle: { question: 'Approve, edit or reject?', history: [], stepOutputs: {}, pendingOutput: { score: 1 }, spentMicros: 5, stepsRun: 1 },
  createdAt: '2025-03-01T12:00:00.000Z',
  expiresAt: '2025-03-02T12:00:00.000Z',
  onTimeout: 'fail',
  status: 'open',
  ...extra,
});

type Store = EscalationPorts['escalations'];

/** An in-memory store with the real one's first-decision-wins rule; `beforeDecide` lets a test race it. */
class FakeEscalations implements Store {
  decides = 0;
  /** The decision outbox: escalations decided and not yet marked published. */
  unpublished = new Set<string>();
  beforeDecide: (() => void) | undefined;
  constructor(public record: EscalationRecord | null) {}

  async markPublished(_taskId: string, escalationId: string): Promise<void> {
    this.unpublished.delete(escalationId);
  }

  async unpublishedDecisions(): Promise<Array<{ taskId: string; escalationId: string }>> {
    return [...this.unpublished].map((escalationId) => ({ taskId: TASK, escalationId }));
  }

  async get(taskId: string): Promise<EscalationRecord | null> {
    return this.record && this.record.taskId === taskId ? structuredClone(this.record) : null;
  }

  async decide(_taskId: string, escalationId: string, d: DecisionInput): Promise<EscalationChange> {
    this.decides++;
    this.beforeDecide?.();
    const r = this.record;
    if (!r || r.escalationId !== escalationId) return { applied: false, record: null };
    if (r.status !== 'open') return { applied: false, record: structuredClone(r) };
    this.record = { ...r, status: 'decided', decision: { ...d, decidedAt: '2025-03-01T13:00:00.000Z' } };
    this.unpublished.add(escalationId);
    return { applied: true, record: structuredClone(this.record) };
  }
}

/** A provider-shaped key, joined at run time so the source holds nothing that looks like a real secret. */
const PROVIDER_KEY = ['sk', 'proj', 'Q8Z3xW7vT2nR5mK9pL4jH6gF1dS0aB7c'].join('-');

function harness(record: EscalationRecord | null = open(), vault: PiiVault = {}) {
  const store = new FakeEscalations(record);
  const published: TaskDecision[] = [];
  let failPublish = false;
  const decisions = new EscalationDecisions({
    escalations: store,
    publish: async (event) => {
      if (failPublish) throw new Error('broker down');
      published.push(event);
    },
    warn: () => undefined,
    vault: async () => vault,
  });
  return {
    store,
    published,
    failNextPublishes: (on: boolean) => (failPublish = on),
    decide: (body: unknown, tenantId = 'acme', decidedBy = 'key:acme-ops') => decisions.decide({ tenantId, decidedBy }, TASK, body),
    sweep: () => decisions.republishDue(Date.now(), 100),
  };
}

describe('EscalationDecisions', () => {
  // A human's edit and answer reached later model calls as typed, personal data included.
  it("redacts personal data and secrets in an edited output and an answer, with the task's own placeholders", async () => {
    const vault: PiiVault = { '[EMAIL_1]': { kind: 'email', value: 'ana@shop.example' } };
    const h = harness(open(), vault);
    await h.decide({ action: 'answer', answer: 'Call her on +1 415 555 0134 or mail ana@shop.example' });
    expect(h.published[0].data.answer).toBe('Call her on [PHONE_1] or mail [EMAIL_1]');
    const e = harness(open(), vault);
    await e.decide({ action: 'edit', output: { summary: `Refund to ana@shop.example, key ${PROVIDER_KEY}` } });
    expect(JSON.stringify(e.published[0].data.output)).toBe('{"summary":"Refund to [EMAIL_1], key [SECRET_1]"}');
    // A repeat of the same request is the same decision, not a conflict.
    expect((await e.decide({ action: 'edit', output: { summary: `Refund to ana@shop.example, key ${PROVIDER_KEY}` } })).kind).toBe('accepted');
  });

  it('records an allowed decision, publishes task.decision with a deterministic id, and reports it accepted', async () => {
    const h = harness();
    const outcome = await h.decide({ action: 'edit', output: { score: 2 }, comment: 'fixed the score' });
    expect(outcome).toMatchObject({
      kind: 'accepted',
      duplicate: false,
      decision: { action: 'edit', output: { score: 2 }, decidedBy: 'key:acme-ops', comment: 'fixed the score' },
    });
    expect(h.published).toHaveLength(1);
    const event = h.published[0]!;
    expect(parseEvent(event)).toEqual(event);
    expect(event).toMatchObject({
      type: 'task.decision',
      tenantId: 'acme',
      taskId: TASK,
      causationId: ESC,
      eventId: deriveEventId(ESC, 'decision'),
      data: { escalationId: ESC, action: 'edit', output: { score: 2 }, decidedBy: 'key:acme-ops', comment: 'fixed the score' },
    });
    expect(outcome.kind === 'accepted' && outcome.eventId).toBe(event.eventId);
  });

  it('records the decider it is given (the key of the caller), never a name from the body', async () => {
    const h = harness();
    expect(await h.decide({ action: 'approve', decidedBy: 'cfo' }, 'acme', 'key:acme-intern')).toMatchObject({ kind: 'invalid', problem: { issues: [{ path: 'decidedBy' }] } });
    expect(h.store.decides).toBe(0);
    await h.decide({ action: 'approve' }, 'acme', 'key:acme-dana');
    expect(h.published[0]!.data.decidedBy).toBe('key:acme-dana');
    expect(h.store.record?.decision?.decidedBy).toBe('key:acme-dana');
  });

  it('answers a repeat of the recorded decision as a duplicate and publishes the very same event again', async () => {
    const h = harness();
    await h.decide({ action: 'answer', answer: 'Use the EU price list' }, 'acme', 'key:acme-dana');
    // A different reviewer or comment does not make it a different decision.
    const again = await h.decide({ escalationId: ESC, action: 'answer', answer: 'Use the EU price list', comment: 'retry' }, 'acme', 'key:acme-sam');
    expect(again).toMatchObject({ kind: 'accepted', duplicate: true, decision: { decidedBy: 'key:acme-dana' } });
    expect(h.published).toHaveLength(2);
    expect(h.published[1]!.eventId).toBe(h.published[0]!.eventId);
    expect(h.published[1]!.data).toEqual(h.published[0]!.data);
    expect(h.store.decides).toBe(1);
  });

  it('compares edited outputs by value, whatever the key order', async () => {
    const h = harness();
    await h.decide({ action: 'edit', output: { a: 1, b: { c: [1, 2], d: null } } });
    expect(await h.decide({ action: 'edit', output: { b: { d: null, c: [1, 2] }, a: 1 } })).toMatchObject({ kind: 'accepted', duplicate: true });
    expect(await h.decide({ action: 'edit', output: { a: 1, b: { c: [2, 1], d: null } } })).toMatchObject({ kind: 'conflict' });
  });

  it('refuses a different decision once one is recorded, with the stored decision', async () => {
    const h = harness();
    await h.decide({ action: 'approve' }, 'acme', 'key:acme-dana');
    const outcome = await h.decide({ action: 'reject' });
    expect(outcome).toMatchObject({ kind: 'conflict', record: { status: 'decided', decision: { action: 'approve', decidedBy: 'key:acme-dana' } } });
    expect(outcome.kind === 'conflict' && outcome.message).toMatch(/already decided differently \(approve by key:acme-dana at /);
    expect(h.published).toHaveLength(1);
  });

  it('refuses any decision once the planner acted on one, even the same', async () => {
    const decision = { action: 'approve' as const, decidedBy: 'timeout', decidedAt: '2025-03-02T12:00:01.000Z' };
    const h = harness(open({ status: 'resumed', decision, resumedAt: '2025-03-02T12:00:02.000Z' }));
    const outcome = await h.decide({ action: 'approve' });
    expect(outcome).toMatchObject({ kind: 'conflict', record: { decision } });
    expect(outcome.kind === 'conflict' && outcome.message).toMatch(/already decided and acted on/);
    expect(h.published).toEqual([]);
  });

  it('tells a lost race apart: the winner decided the same (duplicate) or differently (conflict)', async () => {
    const same = harness();
    same.store.beforeDecide = () => {
      same.store.record = { ...same.store.record!, status: 'decided', decision: { action: 'reject', decidedBy: 'timeout', decidedAt: 'x' } };
    };
    expect(await same.decide({ action: 'reject' })).toMatchObject({ kind: 'accepted', duplicate: true, decision: { decidedBy: 'timeout' } });
    const other = harness();
    other.store.beforeDecide = () => {
      other.store.record = { ...other.store.record!, status: 'decided', decision: { action: 'approve', decidedBy: 'sam', decidedAt: 'x' } };
    };
    expect(await other.decide({ action: 'reject' })).toMatchObject({ kind: 'conflict' });
  });

  it('answers not found for a task without escalation and for another tenant, deciding nothing', async () => {
    expect(await harness(null).decide({ action: 'approve' })).toEqual({ kind: 'not_found', message: `no escalation for task ${TASK}` });
    const h = harness();
    expect((await h.decide({ action: 'approve' }, 'globex')).kind).toBe('not_found');
    expect(h.store.decides).toBe(0);
  });

  it.each([
    ['a bad body', open(), { action: 'edit' }, 'output'],
    ['an action the escalation does not allow', open({ allowed: ['approve', 'reject'] }), { action: 'edit', output: 1 }, 'action'],
    ['a stale escalation id', open(), { escalationId: 'older', action: 'approve' }, 'escalationId'],
    ['an answer outside the choices', open({ bundle: { ...open().bundle, choices: ['a', 'b'] } }), { action: 'answer', answer: 'c' }, 'answer'],
  ])('refuses %s, naming the field, without deciding', async (_name, record, body, field) => {
    const h = harness(record);
    const outcome = await h.decide(body);
    expect(outcome.kind).toBe('invalid');
    if (outcome.kind === 'invalid') expect(outcome.problem.issues.map((i) => i.path)).toEqual([field]);
    expect(h.store.decides).toBe(0);
  });

  it('accepts an answer among the choices', async () => {
    const h = harness(open({ bundle: { ...open().bundle, choices: ['a', 'b'] } }));
    expect(await h.decide({ action: 'answer', answer: 'b' })).toMatchObject({ kind: 'accepted', duplicate: false });
  });

  it('reports a recorded but unpublished decision, which the same request then publishes', async () => {
    const h = harness();
    h.failNextPublishes(true);
    const first = await h.decide({ action: 'approve' });
    expect(first).toMatchObject({ kind: 'unpublished', record: { status: 'decided' } });
    expect(first.kind === 'unpublished' && first.message).toMatch(/recorded but not queued \(broker down\); send the same request again/);
    h.failNextPublishes(false);
    expect(await h.decide({ action: 'approve' })).toMatchObject({ kind: 'accepted', duplicate: true });
    expect(h.published.map((e) => e.eventId)).toEqual([deriveEventId(ESC, 'decision')]);
  });

  it('a decision recorded but not published stays in the outbox until the sweep publishes it with the same event id', async () => {
    const h = harness();
    h.failNextPublishes(true);
    expect(await h.decide({ action: 'approve' })).toMatchObject({ kind: 'unpublished' });
    h.failNextPublishes(false);
    expect(h.store.unpublished.has(ESC)).toBe(true);
    expect(await h.sweep()).toBe(1);
    expect(h.published.map((e) => e.eventId)).toEqual([decisionOrigin({ tenantId: 'acme', taskId: TASK, escalationId: ESC }).eventId]);
    expect(await h.sweep()).toBe(0);
  });

  it('a published decision leaves the outbox at once', async () => {
    const h = harness();
    expect(await h.decide({ action: 'approve' })).toMatchObject({ kind: 'accepted' });
    expect(h.store.unpublished.size).toBe(0);
  });
});

describe('decisionEvent', () => {
  const decision = { action: 'approve' as const, decidedBy: 'dana', decidedAt: '2025-03-01T13:00:00.000Z' };

  it('derives a UUID cause from task and escalation when the escalation id is not a UUID', () => {
    const event = decisionEvent(open({ escalationId: 'qualify-3' }), decision);
    const cause = deriveEventId(TASK, 'qualify-3');
    expect(event.causationId).toBe(cause);
    expect(event.eventId).toBe(deriveEventId(cause, 'decision'));
    // Two tasks with the same escalation label still get distinct event ids.
    const other = decisionEvent(open({ escalationId: 'qualify-3', taskId: '1c7b5f1f-4d2e-4f7a-8b3c-6e8d9fa0b1c2' }), decision);
    expect(other.eventId).not.toBe(event.eventId);
  });

  it('leaves out absent optional fields', () => {
    expect(Object.keys(decisionEvent(open(), decision).data).sort()).toEqual(['action', 'decidedBy', 'escalationId']);
  });
});

describe('sameDecision', () => {
  const stored = { action: 'answer' as const, answer: 'yes', decidedBy: 'a', decidedAt: 'x' };
  it('compares action, answer and output only', () => {
    expect(sameDecision(stored, { action: 'answer', answer: 'yes' })).toBe(true);
    expect(sameDecision(stored, { action: 'answer', answer: 'no' })).toBe(false);
    expect(sameDecision(stored, { action: 'approve' })).toBe(false);
    expect(sameDecision({ ...stored, action: 'edit', answer: undefined, output: null }, { action: 'edit', output: null })).toBe(true);
    expect(sameDecision({ ...stored, action: 'edit', answer: undefined, output: 0 }, { action: 'edit', output: null })).toBe(false);
  });
});
