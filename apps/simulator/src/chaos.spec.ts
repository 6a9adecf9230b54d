import { Chaos, ChaosError, parseChaos } from './chaos';

const draws = (chaos: Chaos, n: number) => Array.from({ length: n }, () => chaos.drawUnmatched());

describe('parseChaos', () => {
  it('fills in the defaults', () => {
    expect(parseChaos({})).toEqual({ faultRate: 0, faults: [429, 500, 'timeout', 'malformed'] });
  });

  it.each([
    [{ faultRate: 1.5 }, 'faultRate'],
    [{ faultRate: 'often' }, 'faultRate'],
    [{ faultRate: 0.1, faults: [] }, 'faults'],
    [{ faultRate: 0.1, faults: [418] }, 'faults.0'],
    [{ latencyMs: { min: 300, max: 20 } }, 'latencyMs.max'],
    [{ latencyMs: { min: -1, max: 20 } }, 'latencyMs.min'],
    [{ seed: { x: 1 } }, 'seed'],
    [{ faultRate: 0.1, surprise: true }, null],
  ])('refuses %j naming the field', (body, param) => {
    let caught: unknown;
    try {
      parseChaos(body);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ChaosError);
    expect((caught as ChaosError).param).toBe(param);
    if (param) expect((caught as ChaosError).message).toMatch(new RegExp(`^${param.replace('.', '\\.')}: `));
  });
});

describe('Chaos', () => {
  it('is off unless set: no faults, the simulator-wide latency', () => {
    const chaos = new Chaos(25, '');
    expect(draws(chaos, 50).every((d) => d.fault === undefined && d.latencyMs === 25)).toBe(true);
    expect(chaos.view()).toEqual({ chaos: null, baseLatencyMs: { min: 25, max: 25 }, stats: { requests: 0, injected: {} } });
  });

  it('injects roughly the asked share of faults, only of the asked kinds, and counts them', () => {
    const chaos = new Chaos(0, '');
    chaos.set({ faultRate: 0.3, faults: [429, 'malformed'], seed: 1 });
    const faults = draws(chaos, 2000).filter((d) => d.fault !== undefined);
    expect(faults.length).toBeGreaterThan(500);
    expect(faults.length).toBeLessThan(700);
    expect(new Set(faults.map((d) => d.fault))).toEqual(new Set([429, 'malformed']));
    const { stats } = chaos.view();
    expect(stats.requests).toBe(2000);
    expect(stats.injected['429'] + stats.injected['malformed']).toBe(faults.length);
  });

  it('draws latency from the range, both ends included', () => {
    const chaos = new Chaos(0, '');
    chaos.set({ latencyMs: { min: 20, max: 23 }, seed: 'x' });
    const seen = new Set(draws(chaos, 400).map((d) => d.latencyMs));
    expect(seen).toEqual(new Set([20, 21, 22, 23]));
  });

  it('gives the same sequence for the same seed and a different one for another', () => {
    const run = (seed: number | string) => {
      const chaos = new Chaos({ min: 0, max: 100 }, '');
      chaos.set({ faultRate: 0.5, seed });
      return draws(chaos, 30);
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).toEqual(run('42'));
    expect(run(42)).not.toEqual(run(43));
  });

  it('restarts its sequence when set again, and seeds from the simulator seed by default', () => {
    const chaos = new Chaos(0, 'sim-seed');
    chaos.set({ faultRate: 0.5 });
    expect(chaos.view().chaos?.seed).toBe('sim-seed');
    const first = draws(chaos, 20);
    chaos.set({ faultRate: 0.5 });
    expect(draws(chaos, 20)).toEqual(first);
  });

  it('keeps the chaos in force when a body is refused', () => {
    const chaos = new Chaos(0, '');
    chaos.set({ faultRate: 1, faults: [500] });
    expect(() => chaos.set({ faultRate: 2 })).toThrow(ChaosError);
    expect(chaos.drawUnmatched().fault).toBe(500);
  });

  it('goes back to the startup chaos on reset and off on clear', () => {
    const chaos = new Chaos(0, '', { faultRate: 1, faults: ['timeout'] });
    expect(chaos.drawUnmatched().fault).toBe('timeout');
    chaos.set({ faultRate: 0 });
    chaos.reset();
    expect(chaos.view().chaos).toMatchObject({ faultRate: 1, faults: ['timeout'] });
    expect(chaos.view().stats.requests).toBe(0);
    chaos.clear();
    expect(chaos.view().chaos).toBeNull();
    expect(chaos.drawUnmatched().fault).toBeUndefined();
  });

  it('gives scripted replies the simulator-wide latency, drawn when it is a range', () => {
    expect(new Chaos(30, '').baseDelay()).toBe(30);
    const ranged = new Chaos({ min: 5, max: 9 }, '');
    const seen = Array.from({ length: 100 }, () => ranged.baseDelay());
    expect(Math.min(...seen)).toBe(5);
    expect(Math.max(...seen)).toBe(9);
  });
});
