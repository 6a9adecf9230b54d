import { factoryProvider, token, valueProvider } from './injection-token';

describe('typed injection tokens', () => {
  it('are distinct symbols even with the same description', () => {
    const a = token<number>('SAME');
    const b = token<number>('SAME');
    expect(typeof a).toBe('symbol');
    expect(a).not.toBe(b);
    expect(a.description).toBe('SAME');
  });

  it('make the provider shapes Nest reads', () => {
    const N = token<number>('N');
    const S = token<string>('S');
    expect(valueProvider(N, 1)).toEqual({ provide: N, useValue: 1 });
    const p = factoryProvider(S, (n: number) => `n=${n}`, [N]);
    expect(p.provide).toBe(S);
    expect(p.inject).toEqual([N]);
    expect(p.useFactory(2)).toBe('n=2');
    expect(factoryProvider(N, () => 3).inject).toEqual([]);
  });
});
