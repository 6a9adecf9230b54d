import { DEFAULT_INPUT_LIMITS, DEFAULT_SHAPE_LIMITS, checkInput, checkShape } from './input-limits';

/** `levels` objects nested in one another: {"a":{"a":...}}. */
export function nested(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) v = { a: v };
  return v;
}

describe('checkInput', () => {
  const text = (n: number): string => 'x'.repeat(n);

  it('accepts inputs up to the default limits', () => {
    expect(checkInput({ input: { text: text(20_000) } })).toEqual({ ok: true });
    expect(checkInput({ instruction: text(4_000), input: { text: 'hi' } })).toEqual({ ok: true });
    expect(DEFAULT_INPUT_LIMITS).toEqual({ maxInputChars: 20_000, maxInstructionChars: 4_000 });
  });

  it('rejects text one character over the limit, with sizes in the message', () => {
    const r = checkInput({ input: { text: text(20_001) } });
    expect(r).toEqual({
      ok: false,
      code: 'input_too_large',
      message: 'input (text plus JSON of data) is 20,001 characters; the limit is 20,000',
    });
  });

  it('counts the JSON of data together with the text', () => {
    const data = { notes: text(100) }; // {"notes":"…"} is 100 + 12 characters
    expect(checkInput({ input: { text: text(888), data } }, { maxInputChars: 1_000 })).toEqual({ ok: true });
    expect(checkInput({ input: { text: text(889), data } }, { maxInputChars: 1_000 })).toMatchObject({
      ok: false,
      code: 'input_too_large',
    });
  });

  it('rejects an instruction over its limit', () => {
    expect(checkInput({ instruction: text(4_001), input: { text: 'hi' } })).toMatchObject({
      ok: false,
      code: 'instruction_too_large',
      message: expect.stringContaining('4,001'),
    });
    expect(checkInput({ instruction: text(51), input: { text: 'hi' } }, { maxInstructionChars: 50 })).toMatchObject({
      code: 'instruction_too_large',
    });
  });

  it('takes partial limits and keeps the other default', () => {
    expect(checkInput({ instruction: text(4_001), input: { text: 'hi' } }, { maxInputChars: 10 })).toMatchObject({
      code: 'instruction_too_large',
    });
    expect(checkInput({ input: { text: text(11) } }, { maxInstructionChars: 10 })).toEqual({ ok: true });
  });

  it('refuses data that cannot be serialized instead of throwing', () => {
    // A cycle is endlessly deep: the shape check, which runs first, refuses it.
    const data: Record<string, unknown> = {};
    data['self'] = data;
    expect(checkInput({ input: { text: 'hi', data } })).toMatchObject({ ok: false, code: 'input_too_deep' });
    const big = { n: BigInt(1) };
    expect(checkInput({ input: { text: 'hi', data: big } })).toMatchObject({
      ok: false,
      code: 'input_too_large',
      message: expect.stringContaining('not JSON-serializable'),
    });
  });

  it('rejects nonsensical limits (a configuration bug)', () => {
    expect(() => checkInput({ input: { text: 'hi' } }, { maxInputChars: 0 })).toThrow(RangeError);
    expect(() => checkInput({ input: { text: 'hi' } }, { maxInstructionChars: 1.5 })).toThrow(RangeError);
  });
});

describe('checkShape', () => {
  it('accepts JSON nested up to 64 levels and refuses 65, naming the limit', () => {
    expect(DEFAULT_SHAPE_LIMITS).toEqual({ maxDepth: 64, maxEntries: 10_000 });
    expect(checkShape(nested(64))).toEqual({ ok: true });
    expect(checkShape(nested(65))).toEqual({ ok: false, code: 'input_too_deep', message: 'JSON is nested deeper than 64 levels of objects and arrays; the limit is 64' });
  });

  it('refuses 3,600 (and 1,000,000) levels without overflowing the stack', () => {
    expect(checkShape(nested(3_600))).toMatchObject({ ok: false, code: 'input_too_deep' });
    expect(checkShape(nested(1_000_000))).toMatchObject({ ok: false, code: 'input_too_deep' });
  });

  it('refuses more than 10,000 keys and array items in all, naming the limit', () => {
    expect(checkShape({ list: new Array(9_999).fill(0) })).toEqual({ ok: true });
    expect(checkShape({ list: new Array(5_000).fill(0), more: new Array(5_001).fill(0) })).toEqual({
      ok: false,
      code: 'input_too_wide',
      message: 'JSON has more than 10,000 keys and array items in all; the limit is 10,000',
    });
  });

  it('counts scalars as no depth', () => {
    expect(checkShape('text')).toEqual({ ok: true });
    expect(checkShape(null)).toEqual({ ok: true });
  });
});

describe('checkInput: shape', () => {
  it('a 3,600-level deep input.data is input_too_deep, not a stack overflow', () => {
    expect(checkInput({ input: { text: 'x', data: nested(3_600) } })).toMatchObject({ ok: false, code: 'input_too_deep' });
  });
});
