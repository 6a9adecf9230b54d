import fc from 'fast-check';
import { KeySpace } from '../keys';
import { checkRateScopes, gcraRoom, rateScopeIds, type RateScope } from './rate-limiter';

describe('rateScopeIds and keys', () => {
  it('names the usual scopes', () => {
    expect(rateScopeIds.tenantRpm('acme')).toBe('tenant:acme:rpm');
    expect(rateScopeIds.tenantTpm('acme')).toBe('tenant:acme:tpm');
    expect(rateScopeIds.modelRpm('sim-mini')).toBe('model:sim-mini:rpm');
    expect(rateScopeIds.modelTpm('sim-mini')).toBe('model:sim-mini:tpm');
  });

  it('tags a scope key with the scope id and an op marker with the op id', () => {
    const keys = new KeySpace('p:');
    expect(keys.rateScope('tenant:acme:rpm')).toBe('p:rate:{tenant:acme:rpm}');
    expect(keys.rateOp('op-1')).toBe('p:rate:op:{op-1}');
    expect(() => keys.rateOp('a}b')).toThrow(RangeError);
  });
});

describe('checkRateScopes', () => {
  const rpm: RateScope = { id: 'tenant:a:rpm', limit: 60, windowMs: 60_000 };

  it('accepts costs up to the limit, one per scope', () => {
    expect(() => checkRateScopes([rpm], [60], 'cost')).not.toThrow();
    expect(() => checkRateScopes([], [], 'cost')).not.toThrow();
    // A refund may ask for more than the limit: it is capped at the take's cost.
    expect(() => checkRateScopes([rpm], [1_000], 'amount')).not.toThrow();
  });

  it('rejects costs above the limit, mismatched lengths, duplicates and bad limits', () => {
    expect(() => checkRateScopes([rpm], [61], 'cost')).toThrow(/exceeds/);
    expect(() => checkRateScopes([rpm], [1, 1], 'cost')).toThrow(/one entry per scope/);
    expect(() => checkRateScopes([rpm, rpm], [1, 1], 'cost')).toThrow(/twice/);
    expect(() => checkRateScopes([{ ...rpm, windowMs: 0 }], [1], 'cost')).toThrow(RangeError);
    expect(() => checkRateScopes([{ ...rpm, limit: 1.5 }], [1], 'cost')).toThrow(RangeError);
    expect(() => checkRateScopes([rpm], [-1], 'cost')).toThrow(RangeError);
    expect(() => checkRateScopes([{ ...rpm, id: 'a b' }], [1], 'cost')).toThrow(RangeError);
  });
});

describe('gcraRoom', () => {
  const scope: RateScope = { id: 's', limit: 60, windowMs: 60_000 };
  const now = 1_000_000;

  it('has the whole limit when idle, and none a window ahead', () => {
    expect(gcraRoom(scope, 0, now)).toEqual({ available: 60, retryAfterMs: 0 });
    expect(gcraRoom(scope, now - 5, now)).toEqual({ available: 60, retryAfterMs: 0 });
    expect(gcraRoom(scope, now + 60_000, now)).toEqual({ available: 0, retryAfterMs: 1_000 });
    expect(gcraRoom(scope, now + 59_000, now)).toEqual({ available: 1, retryAfterMs: 0 });
    expect(gcraRoom(scope, now + 59_500, now)).toEqual({ available: 0, retryAfterMs: 500 });
  });

  it('stays within [0, limit] and waits only when nothing is available', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        (limit, windowMs, ahead) => {
          const room = gcraRoom({ id: 's', limit, windowMs }, now + ahead * windowMs, now);
          expect(room.available).toBeGreaterThanOrEqual(0);
          expect(room.available).toBeLessThanOrEqual(limit);
          expect(room.retryAfterMs > 0).toBe(room.available === 0);
        },
      ),
    );
  });
});
