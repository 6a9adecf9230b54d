import { randomUUID } from 'node:crypto';
import { DEFAULT_BREAKER_POLICY, resolveBreakerPolicy } from './model-breakers';
import { StateStore } from '../state-store';
import { TEST_REDIS_URL, useStateTestEnv } from '../testing/redis-test-env';

const T0 = new Date('2025-06-01T12:00:00Z');
const after = (ms: number): Date => new Date(T0.getTime() + ms);
const model = (): string => `model-${randomUUID().slice(0, 8)}`;

describe('ModelBreakers (real Redis)', () => {
  const env = useStateTestEnv('breakers-int');
  // Explicit policy: the tests below count on these numbers, not on the defaults.
  const breakers = () => env.store.breakers.withPolicy({ failureThreshold: 3, openMs: 10_000 });

  it('starts closed and lets callers through', async () => {
    const m = model();
    expect(await breakers().state(m, T0)).toBe('closed');
    expect(await breakers().tryProbe(m, T0)).toBe(true);
    expect(await breakers().tryProbe(m, T0)).toBe(true);
  });

  it('opens on the third consecutive failure, and only then', async () => {
    const m = model();
    expect(await breakers().recordFailure(m, T0)).toEqual({ state: 'closed', changed: false });
    expect(await breakers().recordFailure(m, T0)).toEqual({ state: 'closed', changed: false });
    expect(await breakers().state(m, T0)).toBe('closed');
    expect(await breakers().recordFailure(m, T0)).toEqual({ state: 'open', changed: true });
    expect(await breakers().state(m, T0)).toBe('open');
    expect(await breakers().tryProbe(m, after(9_999))).toBe(false);
  });

  it('counts consecutive failures only: a success in between starts the count again', async () => {
    const m = model();
    await breakers().recordFailure(m, T0);
    await breakers().recordFailure(m, T0);
    expect(await breakers().recordSuccess(m, T0)).toEqual({ state: 'closed', changed: false });
    await breakers().recordFailure(m, T0);
    await breakers().recordFailure(m, T0);
    expect(await breakers().state(m, T0)).toBe('closed');
    await breakers().recordFailure(m, T0);
    expect(await breakers().state(m, T0)).toBe('open');
  });

  it('is half-open after the cool-down and grants the probe to one caller at a time', async () => {
    const m = model();
    for (let i = 0; i < 3; i++) await breakers().recordFailure(m, T0);
    expect(await breakers().state(m, after(9_999))).toBe('open');
    expect(await breakers().state(m, after(10_000))).toBe('half_open');
    const grants = await Promise.all(Array.from({ length: 10 }, () => breakers().tryProbe(m, after(10_000))));
    expect(grants.filter(Boolean)).toHaveLength(1);
    // Still half-open while the probe runs: callers are refused, the state says so.
    expect(await breakers().state(m, after(10_500))).toBe('half_open');
    expect(await breakers().tryProbe(m, after(10_500))).toBe(false);
  });

  it('closes when the probe succeeds', async () => {
    const m = model();
    for (let i = 0; i < 3; i++) await breakers().recordFailure(m, T0);
    expect(await breakers().tryProbe(m, after(10_000))).toBe(true);
    expect(await breakers().recordSuccess(m, after(10_200))).toEqual({ state: 'closed', changed: true });
    expect(await breakers().state(m, after(10_200))).toBe('closed');
    expect(await breakers().tryProbe(m, after(10_200))).toBe(true);
    // Closed with a fresh count: it takes the full threshold to open it again.
    await breakers().recordFailure(m, after(11_000));
    await breakers().recordFailure(m, after(11_000));
    expect(await breakers().state(m, after(11_000))).toBe('closed');
  });

  it('opens again for a full cool-down when the probe fails', async () => {
    const m = model();
    for (let i = 0; i < 3; i++) await breakers().recordFailure(m, T0);
    expect(await breakers().tryProbe(m, after(10_000))).toBe(true);
    expect(await breakers().recordFailure(m, after(10_500))).toEqual({ state: 'open', changed: true });
    expect(await breakers().state(m, after(20_499))).toBe('open');
    expect(await breakers().state(m, after(20_500))).toBe('half_open');
    // The new half-open period has a new probe; the failed one's lease is gone.
    expect(await breakers().tryProbe(m, after(20_500))).toBe(true);
  });

  it('ignores outcomes reported while open, so late answers neither extend nor end the cool-down', async () => {
    const m = model();
    for (let i = 0; i < 3; i++) await breakers().recordFailure(m, T0);
    expect(await breakers().recordFailure(m, after(5_000))).toEqual({ state: 'open', changed: false });
    expect(await breakers().recordSuccess(m, after(6_000))).toEqual({ state: 'open', changed: false });
    expect(await breakers().state(m, after(10_000))).toBe('half_open');
  });

  it('hands the probe to another caller when the holder never reports back', async () => {
    const m = model();
    const leased = env.store.breakers.withPolicy({ failureThreshold: 1, openMs: 10_000, probeLeaseMs: 2_000 });
    await leased.recordFailure(m, T0);
    expect(await leased.tryProbe(m, after(10_000))).toBe(true);
    expect(await leased.tryProbe(m, after(11_999))).toBe(false);
    expect(await leased.tryProbe(m, after(12_000))).toBe(true);
  });

  it('keeps breakers of different models apart', async () => {
    const [a, b] = [model(), model()];
    for (let i = 0; i < 3; i++) await breakers().recordFailure(a, T0);
    expect(await breakers().states([a, b], T0)).toEqual({ [a]: 'open', [b]: 'closed' });
    expect(await breakers().states([], T0)).toEqual({});
  });

  it('expires an idle breaker so its failures are forgotten', async () => {
    const m = model();
    const idle = env.store.breakers.withPolicy({ failureThreshold: 3, openMs: 10_000, idleResetMs: 60_000 });
    await idle.recordFailure(m);
    const key = `${env.prefix}breaker:{${m}}`;
    const ttl = await env.raw.pttl(key);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await idle.recordFailure(m);
    await idle.recordFailure(m);
    // Open: the key outlives the cool-down by the idle period, so the half-open state is seen.
    expect(await env.raw.pttl(key)).toBeGreaterThan(65_000);
  });

  it('forgets a breaker on reset', async () => {
    const m = model();
    for (let i = 0; i < 3; i++) await breakers().recordFailure(m, T0);
    await breakers().reset(m);
    expect(await breakers().state(m, T0)).toBe('closed');
  });

  it('refuses model ids that would break the hash tag', async () => {
    await expect(breakers().state('bad model')).rejects.toThrow(/model must be 1 to 256 characters/);
    await expect(breakers().recordFailure('{x}')).rejects.toThrow(RangeError);
  });

  describe('two replicas', () => {
    let other: StateStore;
    beforeAll(async () => {
      other = await StateStore.connect(TEST_REDIS_URL, { name: 'breakers-int-2', keyPrefix: env.prefix, breaker: { failureThreshold: 3, openMs: 10_000 } });
    });
    afterAll(() => other.close());

    it('each apply the policy they were given', () => {
      expect(env.store.breakers.policy).toEqual(DEFAULT_BREAKER_POLICY);
      expect(other.breakers.policy).toEqual({ failureThreshold: 3, openMs: 10_000, probeLeaseMs: 10_000, idleResetMs: 3_600_000 });
    });

    it('see the same breaker: failures add up across replicas and both see it open', async () => {
      const m = model();
      await breakers().recordFailure(m, T0);
      await other.breakers.recordFailure(m, T0);
      expect(await other.breakers.state(m, T0)).toBe('closed');
      expect(await breakers().recordFailure(m, T0)).toEqual({ state: 'open', changed: true });
      expect(await other.breakers.state(m, after(1_000))).toBe('open');
      expect(await other.breakers.tryProbe(m, after(1_000))).toBe(false);
    });

    it('grant the half-open probe to one of them only, and both see it close', async () => {
      const m = model();
      for (let i = 0; i < 3; i++) await other.breakers.recordFailure(m, T0);
      const grants = await Promise.all([
        breakers().tryProbe(m, after(10_000)),
        other.breakers.tryProbe(m, after(10_000)),
        breakers().tryProbe(m, after(10_000)),
        other.breakers.tryProbe(m, after(10_000)),
      ]);
      expect(grants.filter(Boolean)).toHaveLength(1);
      const prober = grants.findIndex(Boolean) % 2 === 0 ? breakers() : other.breakers;
      await prober.recordSuccess(m, after(10_100));
      expect(await breakers().state(m, after(10_100))).toBe('closed');
      expect(await other.breakers.state(m, after(10_100))).toBe('closed');
    });
  });
});

describe('breaker policy', () => {
  it('defaults to 3 failures and 30 s, the probe lease following the cool-down', () => {
    expect(resolveBreakerPolicy()).toEqual(DEFAULT_BREAKER_POLICY);
    expect(resolveBreakerPolicy({ openMs: 5_000 })).toMatchObject({ openMs: 5_000, probeLeaseMs: 5_000 });
  });

  it.each([
    [{ failureThreshold: 0 }, /failureThreshold must be a positive integer, got 0/],
    [{ openMs: -1 }, /openMs/],
    [{ openMs: 1.5 }, /openMs/],
    [{ probeLeaseMs: 0 }, /probeLeaseMs/],
  ])('rejects %j', (policy, message) => {
    expect(() => resolveBreakerPolicy(policy)).toThrow(message);
  });

  it('is checked before StateStore.connect opens a connection', async () => {
    await expect(StateStore.connect(TEST_REDIS_URL, { breaker: { failureThreshold: -3 } })).rejects.toThrow(/failureThreshold/);
  });
});
