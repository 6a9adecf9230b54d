import { KeySpace, checkDay, utcDay } from './keys';

/** The hash tag Redis Cluster uses to pick a key's slot: first `{...}` with content. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('KeySpace', () => {
  const keys = new KeySpace();
  const taskId = '6f1c2b9e-1d1f-4c43-9d7e-2a4f0f6b8c11';

  it('puts every key of a task in the same hash slot, tagged by the task id', () => {
    const taskKeys = [keys.task(taskId), keys.taskOp(taskId, 'op-1'), keys.taskSpend(taskId), keys.taskUsageEvents(taskId)];
    expect(new Set(taskKeys.map(hashTag))).toEqual(new Set([taskId]));
    expect(new Set(taskKeys).size).toBe(taskKeys.length);
  });

  it('prefixes every key with baton: by default', () => {
    for (const key of [
      keys.task(taskId),
      keys.tenantSpend('acme'),
      keys.tenantSpendByModel('acme'),
      keys.tenantSpendByDay('acme'),
      keys.idempotency('acme', 'k'),
      keys.dedupe('planner', 'e1'),
    ]) {
      expect(key.startsWith('baton:')).toBe(true);
    }
    expect(keys.task(taskId)).toBe(`baton:{${taskId}}:task`);
  });

  it('gives tenant keys the tenant hash tag, distinct from any task tag', () => {
    expect(hashTag(keys.tenantSpend('acme'))).toBe('acme');
    expect(keys.tenantSpend('acme')).not.toBe(keys.taskSpend('acme'));
  });

  it('uses a custom prefix', () => {
    expect(new KeySpace('t:1:').task('x')).toBe('t:1:{x}:task');
  });

  it('rejects ids that would break the hash tag', () => {
    expect(() => keys.task('')).toThrow(RangeError);
    expect(() => keys.task('a}b')).toThrow(/braces/);
    expect(() => keys.task('a{b')).toThrow(/braces/);
    expect(() => keys.tenantSpend('a b')).toThrow(RangeError);
    expect(() => new KeySpace('x{y}:')).toThrow(/prefix/);
  });

  it('encodes free-text idempotency keys so braces cannot form a tag', () => {
    const key = keys.idempotency('acme', 'order {42}/retry');
    expect(hashTag(key)).toBe('acme');
    expect(key).toContain(encodeURIComponent('order {42}/retry'));
    expect(keys.idempotency('acme', 'a')).not.toBe(keys.idempotency('globex', 'a'));
    expect(() => keys.idempotency('acme', '')).toThrow(RangeError);
  });
});

describe('utcDay / checkDay', () => {
  it('buckets by the UTC calendar day', () => {
    expect(utcDay(new Date('2025-03-01T23:59:59.999Z'))).toBe('2025-03-01');
    expect(utcDay(new Date('2025-03-01T23:30:00-05:00'))).toBe('2025-03-02');
  });

  it('rejects invalid dates and day strings', () => {
    expect(() => utcDay(new Date('nope'))).toThrow(RangeError);
    expect(checkDay('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '20250101', '']) {
      expect(() => checkDay(bad)).toThrow(RangeError);
    }
  });
});
