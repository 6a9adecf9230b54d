import fc from 'fast-check';
import type { ModelSpec } from './model-catalog';
import { estimateTokens, priceMicros } from './pricing';

const model = (inputPricePerMTokens: number, outputPricePerMTokens: number): ModelSpec => ({
  id: 'm',
  provider: 'simulator',
  providerModel: 'm',
  inputPricePerMTokens,
  outputPricePerMTokens,
  contextWindow: 1000,
  maxOutputTokens: 100,
  capabilities: ['chat'],
});

describe('priceMicros', () => {
  it('treats USD per million tokens as micro-dollars per token', () => {
    expect(priceMicros(model(1, 2), 1000, 500)).toBe(2000);
    expect(priceMicros(model(2.5, 10), 1_000_000, 1_000_000)).toBe(12_500_000);
  });

  it('does not let floating-point noise add a micro-dollar', () => {
    // 0.15 * 1000 is 150.00000000000003 in binary floating point.
    expect(priceMicros(model(0.15, 0.6), 1000, 0)).toBe(150);
    expect(priceMicros(model(0.15, 0.6), 1000, 1000)).toBe(750);
    expect(priceMicros(model(0.1, 0.2), 3, 3)).toBe(1); // 0.9 micro-dollars rounds up
  });

  it('rounds real fractions up so nothing is undercharged', () => {
    expect(priceMicros(model(0.15, 0.6), 1, 0)).toBe(1);
    expect(priceMicros(model(0.15, 0.6), 7, 3)).toBe(3); // 1.05 + 1.8 = 2.85
  });

  it('is zero for zero tokens or a free model', () => {
    expect(priceMicros(model(0.15, 0.6), 0, 0)).toBe(0);
    expect(priceMicros(model(0, 0), 1234, 5678)).toBe(0);
  });

  it('is an integer never below the exact cost and less than one micro-dollar above it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 3000 }).map((c) => c / 100),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 12000 }).map((c) => c / 100),
        (p, inPrice, c, outPrice) => {
          const micros = priceMicros(model(inPrice, outPrice), p, c);
          const exact = p * inPrice + c * outPrice;
          expect(Number.isInteger(micros)).toBe(true);
          expect(micros).toBeGreaterThanOrEqual(exact - 1e-6);
          expect(micros).toBeLessThan(exact + 1);
        },
      ),
    );
  });

  it('refuses negative or fractional token counts', () => {
    expect(() => priceMicros(model(1, 1), -1, 0)).toThrow(/promptTokens must be a non-negative integer/);
    expect(() => priceMicros(model(1, 1), 0, 1.5)).toThrow(/completionTokens/);
  });
});

describe('estimateTokens', () => {
  it('counts about one token per four characters, rounded up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('x'.repeat(4000))).toBe(1000);
  });
});
