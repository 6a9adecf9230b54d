import { percentile, summarize } from './stats';

describe('percentile (nearest rank)', () => {
  it('picks the nearest-rank element', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN for no data', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts before ranking and computes the mean', () => {
    const s = summarize([30, 10, 20]);
    expect(s).toMatchObject({ count: 3, mean: 20, p50: 20, max: 30 });
  });
});
