import {
  type NewEscalation,
  decodeEscalation,
  encodeDecision,
  encodeNewEscalation,
  indexMember,
  pairsToHash,
  parseIndexMember,
} from './escalation-record';
import { KeySpace } from '../keys';
import { CorruptRecordError } from '../records/state-record';

const e: NewEscalation = {
  escalationId: '9b2f7c1e-5a4d-5e3f-8a1b-2c3d4e5f6a7b',
  taskId: '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b',
  tenantId: 'acme',
  taskType: 'lead.qualify',
  reason: { kind: 'policy', code: 'approval_required', message: 'the step needs approval' },
  allowed: ['approve', 'reject'],
  bundle: { question: 'Send this offer?', history: [], stepOutputs: {}, pendingOutput: 'Dear Dana, ...', spentMicros: 0, stepsRun: 1 },
  createdAt: '2025-03-01T12:00:00.000Z',
  expiresAt: '2025-03-02T12:00:00.000Z',
  onTimeout: 'approve',
};

/** The hash Redis would hold after the open script ran. */
function stored(pairs: string[], extra: Record<string, string> = {}): Record<string, string> {
  return { ...pairsToHash(pairs), status: 'open', ...extra };
}

describe('escalation records', () => {
  it('round-trips a new escalation through the hash, without a stop reason field when there is none', () => {
    const pairs = encodeNewEscalation(e);
    expect(pairs).not.toContain('stopReason');
    expect(decodeEscalation('k', stored(pairs))).toEqual({ ...e, status: 'open' });
    const withReason = encodeNewEscalation({ ...e, stopReason: 'approval_required' });
    expect(decodeEscalation('k', stored(withReason))!.stopReason).toBe('approval_required');
  });

  it('round-trips a decision, keeping falsy outputs', () => {
    for (const output of [null, 0, false, '', { a: [1] }]) {
      const decision = { action: 'edit' as const, output, decidedBy: 'dana', decidedAt: '2025-03-01T13:00:00.000Z' };
      const record = decodeEscalation('k', stored(encodeNewEscalation(e), { status: 'decided', decision: encodeDecision(decision) }));
      expect(record!.decision).toEqual(decision);
    }
  });

  it('answers null for an empty hash and ignores fields it does not know', () => {
    expect(decodeEscalation('k', {})).toBeNull();
    expect(decodeEscalation('k', stored(encodeNewEscalation(e), { addedLater: 'x' }))).toEqual({ ...e, status: 'open' });
  });

  it('reports a corrupt hash naming the key and the field', () => {
    expect(() => decodeEscalation('esc-key', stored(encodeNewEscalation(e), { bundle: '{' }))).toThrow(CorruptRecordError);
    expect(() => decodeEscalation('esc-key', stored(encodeNewEscalation(e), { bundle: '{' }))).toThrow(/esc-key.*bundle is not JSON/);
    expect(() => decodeEscalation('esc-key', stored(encodeNewEscalation(e), { status: 'pending' }))).toThrow(/status/);
  });

  it('refuses a decision that is not JSON-serializable or not a decision', () => {
    const at = '2025-03-01T13:00:00.000Z';
    expect(() => encodeDecision({ action: 'edit', output: () => 1, decidedBy: 'x', decidedAt: at })).toThrow();
    expect(() => encodeDecision({ action: 'approve', decidedBy: '', decidedAt: at })).toThrow();
  });

  it('names an escalation in the indexes as "<taskId> <escalationId>" and reads it back', () => {
    const member = indexMember(e.taskId, e.escalationId);
    expect(member).toBe(`${e.taskId} ${e.escalationId}`);
    expect(parseIndexMember(member)).toEqual({ taskId: e.taskId, escalationId: e.escalationId });
    expect(() => parseIndexMember('no-space')).toThrow(CorruptRecordError);
  });

  it('keeps the record and current pointer in the task hash slot, apart from every other key of the task', () => {
    const keys = new KeySpace();
    const record = keys.escalation(e.taskId, e.escalationId);
    const current = keys.currentEscalation(e.taskId);
    expect(record).toBe(`baton:{${e.taskId}}:escalation:${e.escalationId}`);
    expect(current).toBe(`baton:{${e.taskId}}:escalation`);
    expect(new Set([record, current, keys.task(e.taskId), keys.taskContext(e.taskId)]).size).toBe(4);
    expect(keys.tenantOpenEscalations('acme')).toBe('baton:tenant:{acme}:escalations:open');
    expect(() => keys.escalation(e.taskId, 'a b')).toThrow(RangeError);
  });
});
