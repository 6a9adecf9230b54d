import fc from 'fast-check';
import { budgetScopeIds, checkScopes, lowThreshold, parseReserveOutcome, reservationIdent } from './budget-ledger';
import { KeySpace } from '../keys';

describe('budgetScopeIds', () => {
  it('names the usual scopes', () => {
    expect(budgetScopeIds.task('t-1')).toBe('task:t-1');
    expect(budgetScopeIds.tenant('acme')).toBe('tenant:acme');
    expect(budgetScopeIds.tenantDay('acme', '2026-11-24')).toBe('tenant:acme:day:2026-11-24');
    expect(budgetScopeIds.tenantDay('acme', new Date('2026-11-24T23:59:59Z'))).toBe('tenant:acme:day:2026-11-24');
    expect(budgetScopeIds.globalDay(new Date('2026-11-25T00:00:00Z'))).toBe('global:day:2026-11-25');
  });

  it('rejects days that are not UTC dates', () => {
    expect(() => budgetScopeIds.globalDay('2026-02-30')).toThrow(RangeError);
    expect(() => budgetScopeIds.tenantDay('acme', '24.11.2026')).toThrow(RangeError);
  });
});

describe('budget keys', () => {
  const keys = new KeySpace('p:');

  it('tags every key of a scope with the scope id, and a reservation with its id', () => {
    const id = budgetScopeIds.tenantDay('acme', '2026-11-24');
    expect(keys.budgetScope(id)).toBe('p:budget:{tenant:acme:day:2026-11-24}');
    expect(keys.budgetScopeHolds(id)).toBe('p:budget:{tenant:acme:day:2026-11-24}:holds');
    expect(keys.budgetScopeExpiries(id)).toBe('p:budget:{tenant:acme:day:2026-11-24}:expiries');
    expect(keys.budgetReservation('r-1')).toBe('p:budget:res:{r-1}');
  });

  it('rejects ids that would break a hash tag', () => {
    expect(() => keys.budgetScope('a{b')).toThrow(RangeError);
    expect(() => keys.budgetReservation('a b')).toThrow(RangeError);
    expect(() => keys.budgetScope('')).toThrow(RangeError);
  });
});

describe('checkScopes', () => {
  it('accepts distinct scopes with integer limits', () => {
    const scopes = [
      { id: 'task:t', limitMicros: 0 },
      { id: 'tenant:a', limitMicros: 5, ttlSeconds: 60 },
    ];
    expect(checkScopes(scopes)).toBe(scopes);
    expect(checkScopes([])).toEqual([]);
  });

  it('rejects duplicates, bad limits and TTLs, and too many scopes', () => {
    expect(() => checkScopes([{ id: 'a', limitMicros: 1 }, { id: 'a', limitMicros: 2 }])).toThrow(/twice/);
    expect(() => checkScopes([{ id: 'a', limitMicros: -1 }])).toThrow(RangeError);
    expect(() => checkScopes([{ id: 'a', limitMicros: 0.5 }])).toThrow(RangeError);
    expect(() => checkScopes([{ id: 'a', limitMicros: 1, ttlSeconds: 0 }])).toThrow(RangeError);
    expect(() => checkScopes([{ id: 'a b', limitMicros: 1 }])).toThrow(RangeError);
    expect(() => checkScopes(Array.from({ length: 17 }, (_, i) => ({ id: `s${i}`, limitMicros: 1 })))).toThrow(/at most 16/);
  });
});

describe('lowThreshold', () => {
  it('is the smallest remaining amount that is not low', () => {
    expect(lowThreshold(1_000, 0.2)).toBe(200);
    expect(lowThreshold(1_001, 0.2)).toBe(201);
    expect(lowThreshold(1_000, 0)).toBe(0);
    expect(lowThreshold(1_000, 1)).toBe(1_000);
  });

  it('matches remaining < limit × fraction for every integer remaining', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(), (limit, fraction, r) => {
        const remaining = r % (limit + 1);
        expect(remaining < lowThreshold(limit, fraction)).toBe(remaining < limit * fraction);
      }),
    );
  });

  it('rejects fractions outside [0, 1]', () => {
    expect(() => lowThreshold(10, -0.1)).toThrow(RangeError);
    expect(() => lowThreshold(10, 1.5)).toThrow(RangeError);
    expect(() => lowThreshold(10, Number.NaN)).toThrow(RangeError);
  });
});

describe('parseReserveOutcome', () => {
  const ids = ['task:t', 'tenant:a'];

  it('reads a granted outcome', () => {
    expect(parseReserveOutcome('ok 700 0 150 1', ids)).toEqual({ ok: true, remainingMicros: { 'task:t': 700, 'tenant:a': 150 }, crossedLow: ['tenant:a'] });
    expect(parseReserveOutcome('ok', [])).toEqual({ ok: true, remainingMicros: {}, crossedLow: [] });
  });

  it('reads refusals', () => {
    expect(parseReserveOutcome('refused 1 500 100 350', ids)).toEqual({
      ok: false,
      reason: 'budget',
      scope: 'tenant:a',
      limitMicros: 500,
      spentMicros: 100,
      reservedMicros: 350,
    });
    expect(parseReserveOutcome('closed', ids)).toEqual({ ok: false, reason: 'closed' });
  });

  it('keeps large amounts exact', () => {
    expect(parseReserveOutcome(`ok ${2 ** 52 + 1} 0`, ['s'])).toMatchObject({ remainingMicros: { s: 2 ** 52 + 1 } });
  });

  it('throws on an outcome that does not fit the scopes', () => {
    expect(() => parseReserveOutcome('ok 1 0', ids)).toThrow(/unexpected/);
    expect(() => parseReserveOutcome('what', ids)).toThrow(/unexpected/);
  });
});

describe('reservationIdent', () => {
  it('joins task, tenant and sorted scope ids, which hold no whitespace', () => {
    expect(reservationIdent('t', 'a', ['s2', 's1'])).toBe('t a s1 s2');
    expect(reservationIdent('t', 'a', ['s1', 's2'])).toBe(reservationIdent('t', 'a', ['s2', 's1']));
    expect(reservationIdent('t', 'a', []).split(' ').slice(2)).toEqual([]);
  });
});
