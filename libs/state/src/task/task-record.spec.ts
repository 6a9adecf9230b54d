import { CorruptRecordError } from '../records/state-record';
import { decodeTaskRecord, encodeHistoryEntry, encodeTransitionFields } from './task-record';

const base = {
  taskId: 't1',
  tenantId: 'acme',
  taskType: 'lead.qualify',
  status: 'running',
  attempts: '2',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:05.000Z',
  history: `[${encodeHistoryEntry('submitted', '2025-01-01T00:00:00.000Z')},${encodeHistoryEntry('running', '2025-01-01T00:00:05.000Z')}]`,
};

describe('decodeTaskRecord', () => {
  it('returns null for an empty hash (missing key)', () => {
    expect(decodeTaskRecord('k', {})).toBeNull();
  });

  it('decodes a full record', () => {
    const rec = decodeTaskRecord('k', {
      ...base,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      result: JSON.stringify({ score: 0.8, tags: ['a'] }),
      error: JSON.stringify({ kind: 'model', code: 'bad_output', message: 'no JSON' }),
      role: 'sales',
      model: 'sim-small',
    });
    expect(rec).toEqual({
      taskId: 't1',
      tenantId: 'acme',
      taskType: 'lead.qualify',
      status: 'running',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      result: { score: 0.8, tags: ['a'] },
      error: { kind: 'model', code: 'bad_output', message: 'no JSON' },
      attempts: 2,
      role: 'sales',
      model: 'sim-small',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:05.000Z',
      history: [
        { status: 'submitted', at: '2025-01-01T00:00:00.000Z' },
        { status: 'running', at: '2025-01-01T00:00:05.000Z' },
      ],
    });
  });

  it('leaves optional fields out and maps a missing trace id to null', () => {
    const rec = decodeTaskRecord('k', base)!;
    expect(rec.traceId).toBeNull();
    expect('result' in rec || 'error' in rec || 'role' in rec || 'model' in rec).toBe(false);
  });

  it('decodes the submitting event id and the outbox flag; a record without them (older writers) has neither', () => {
    expect(decodeTaskRecord('k', { ...base, submittedEventId: 'e1', published: '0' })).toMatchObject({ submittedEventId: 'e1', published: false });
    expect(decodeTaskRecord('k', { ...base, published: '1' })).toMatchObject({ published: true });
    const old = decodeTaskRecord('k', base)!;
    expect('submittedEventId' in old || 'published' in old).toBe(false);
  });

  it('keeps falsy results such as null, 0 and empty string', () => {
    expect(decodeTaskRecord('k', { ...base, result: 'null' })!.result).toBeNull();
    expect(decodeTaskRecord('k', { ...base, result: '0' })!.result).toBe(0);
    expect(decodeTaskRecord('k', { ...base, result: '""' })!.result).toBe('');
  });

  it('ignores fields it does not know', () => {
    expect(decodeTaskRecord('k', { ...base, addedLater: 'x' })).not.toHaveProperty('addedLater');
  });

  it.each([
    ['unknown status', { status: 'paused' }],
    ['bad attempts', { attempts: '-1' }],
    ['history not JSON', { history: '[{' }],
    ['history not an array', { history: '{}' }],
    ['bad history entry', { history: '[{"status":"nope","at":"x"}]' }],
    ['error not ErrorInfo', { error: '{"code":"X"}' }],
  ])('throws CorruptRecordError on %s', (_name, patch) => {
    expect(() => decodeTaskRecord('baton:{t1}:task', { ...base, ...patch })).toThrow(CorruptRecordError);
  });

  it('names the missing field', () => {
    const { tenantId: _tenantId, ...noTenant } = base;
    expect(() => decodeTaskRecord('k', noTenant)).toThrow(/tenantId is missing/);
  });
});

describe('encodeTransitionFields', () => {
  it('encodes only the given fields, result and error as JSON', () => {
    expect(encodeTransitionFields(undefined)).toEqual([]);
    expect(
      encodeTransitionFields({
        result: { a: 1 },
        error: { kind: 'user', code: 'too_big', message: 'm' },
        attempts: 3,
        role: 'general',
        model: 'm1',
      }),
    ).toEqual(['result', '{"a":1}', 'error', '{"kind":"user","code":"too_big","message":"m"}', 'attempts', '3', 'role', 'general', 'model', 'm1']);
    expect(encodeTransitionFields({ result: null })).toEqual(['result', 'null']);
  });

  it('rejects values that would corrupt the record', () => {
    expect(() => encodeTransitionFields({ attempts: 1.5 })).toThrow(RangeError);
    expect(() => encodeTransitionFields({ attempts: -1 })).toThrow(RangeError);
    expect(() => encodeTransitionFields({ result: () => 1 })).toThrow(TypeError);
    expect(() => encodeTransitionFields({ error: { kind: 'user', code: 'Bad Code', message: 'm' } })).toThrow();
  });
});
