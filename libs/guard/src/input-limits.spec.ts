import { DEFAULT_INPUT_LIMITS, checkInput } from './input-limits';

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
    const data: Record<string, unknown> = {};
    data['self'] = data;
    expect(checkInput({ input: { text: 'hi', data } })).toMatchObject({
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
