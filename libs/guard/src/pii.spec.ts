import fc from 'fast-check';
import { PiiRedactor, luhnValid, redactPii } from './pii';

/** Appends the Luhn check digit, to build valid numbers of any length. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

const redacted = (text: string): string => redactPii(text).text;

describe('luhnValid', () => {
  it.each([
    '4111111111111111',
    '5555555555554444',
    '378282246310005',
    '6011111111111117',
    '3530111333300000',
    '4222222222222',
    '30569309025904',
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    '79927398713',
  ])('accepts %s', (n) => expect(luhnValid(n)).toBe(true));

  it.each(['4111111111111112', '1234567812345678', '79927398710', '', '7', '4111x1111', '４１１１'])('rejects %s', (n) =>
    expect(luhnValid(n)).toBe(false),
  );

  it('catches every single-digit typo of a valid number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{12,18}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const valid = withCheckDigit(body);
        const i = pos % valid.length;
        const typo = valid.slice(0, i) + ((Number(valid[i]) + delta) % 10) + valid.slice(i + 1);
        return luhnValid(valid) && !luhnValid(typo);
      }),
    );
  });
});

describe('redactPii: e-mail', () => {
  it.each([
    ['write to jane.doe@example.com today', 'write to [EMAIL_1] today'],
    ['<JOHN+sales@Mail.Example.co.uk>', '<[EMAIL_1]>'],
    ['mailto:a_b-c@sub-domain.example.io.', 'mailto:[EMAIL_1].'],
    ['x@y.museum, z@y.org', '[EMAIL_1], [EMAIL_2]'],
    ['(first.last@company.de)', '([EMAIL_1])'],
  ])('%s', (input, expected) => expect(redacted(input)).toBe(expected));

  it.each([
    'user@localhost',
    'an @ sign alone',
    '@handle on social media',
    'version 1.2@3',
    'foo@bar',
    'price: 5@10.00',
    'files@2x.png-like names are not addresses? a@b.c',
  ])('leaves %s alone', (input) => expect(redacted(input)).toBe(input));

  it('gives the same address the same placeholder and counts every occurrence', () => {
    expect(redactPii('a@x.com, b@x.com, A@X.com')).toEqual({
      text: '[EMAIL_1], [EMAIL_2], [EMAIL_1]',
      redactions: [{ kind: 'email', count: 3 }],
    });
  });
});

describe('redactPii: card', () => {
  it.each([
    ['card 4111111111111111 exp 12/27', 'card [CARD_1] exp 12/27'],
    ['4111 1111 1111 1111', '[CARD_1]'],
    ['4111-1111-1111-1111.', '[CARD_1].'],
    ['amex 3782 822463 10005', 'amex [CARD_1]'],
    ['diners 3056 930902 5904', 'diners [CARD_1]'],
    ['visa13 4222222222222', 'visa13 [CARD_1]'],
    ['mc2 2223 0031 2200 3222', 'mc2 [CARD_1]'],
    ['discover: 6011111111111117!', 'discover: [CARD_1]!'],
    ['two: 5555555555554444 and 4111111111111111', 'two: [CARD_1] and [CARD_2]'],
    ['paid with 4111 1111 1111 1111 2025', 'paid with [CARD_1] 2025'],
    ['ref 12 4111 1111 1111 1111', 'ref 12 [CARD_1]'],
  ])('%s', (input, expected) => expect(redacted(input)).toBe(expected));

  it('redacts 19-digit numbers', () => {
    const n = withCheckDigit('621234567890123456');
    expect(redacted(`pan ${n}`)).toBe('pan [CARD_1]');
  });

  it.each([
    ['fails Luhn', '4111 1111 1111 1112'],
    ['12 digits', '4111 1111 1111'],
    ['20 digits', '41111111111111111111'],
    ['inside a word', 'ID4111111111111111'],
    ['mixed separators', '4111 1111-1111 1111'],
    ['odd grouping (ISBN-like)', '978-3-16-148410-0'],
    ['decimal amount', 'total 4111111111111111.50'],
    ['filler', '0000 0000 0000 0000'],
    ['international phone', '+4915112345678'],
  ])('leaves a number that %s alone', (_why, input) => {
    expect(redactPii(input).redactions.filter((r) => r.kind === 'card')).toEqual([]);
  });

  it('redacts any Luhn-valid 13–19 digit block', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{11,17}$/), (body) => {
        const n = withCheckDigit(body);
        fc.pre(!/^(\d)\1+$/.test(n));
        return redacted(`card: ${n} ok`) === 'card: [CARD_1] ok';
      }),
    );
  });
});

describe('redactPii: phone', () => {
  it.each([
    ['call +1 415 555 2671 now', 'call [PHONE_1] now'],
    ['+1-415-555-2671', '[PHONE_1]'],
    ['+1 (415) 555-2671', '[PHONE_1]'],
    ['UK office +44 20 7946 0958.', 'UK office [PHONE_1].'],
    ['+44 (0)20 7946 0958', '[PHONE_1]'],
    ['Berlin +49 30 1234567', 'Berlin [PHONE_1]'],
    ['Paris +33 1 23 45 67 89', 'Paris [PHONE_1]'],
    ['+4915112345678', '[PHONE_1]'],
    ['+91 98765 43210', '[PHONE_1]'],
    ['+61 2 9374 4000', '[PHONE_1]'],
    ['Japan +81-3-1234-5678', 'Japan [PHONE_1]'],
    ['whatsapp +55 11 91234-5678', 'whatsapp [PHONE_1]'],
    ['tel:+14155552671', 'tel:[PHONE_1]'],
    ['0049 30 1234567', '[PHONE_1]'],
    ['(415) 555-2671', '[PHONE_1]'],
    ['(415)555-2671', '[PHONE_1]'],
    ['415-555-2671', '[PHONE_1]'],
    ['415.555.2671', '[PHONE_1]'],
    ['415 555 2671', '[PHONE_1]'],
    ['1-800-555-0199', '[PHONE_1]'],
    ['desk 555-0199', 'desk [PHONE_1]'],
    ['London 020 7946 0958', 'London [PHONE_1]'],
    ['Berlin 030 1234567', 'Berlin [PHONE_1]'],
    ['portable 06 12 34 56 78', 'portable [PHONE_1]'],
    ['07700 900123', '[PHONE_1]'],
    ['phone: 4155552671', 'phone: [PHONE_1]'],
    ['Tel. 12345678', 'Tel. [PHONE_1]'],
    ['call me on 0612345678', 'call me on [PHONE_1]'],
    ['mobile number: 98765 43210', 'mobile number: [PHONE_1]'],
    ['in 2023 415-555-2671 was hers', 'in 2023 [PHONE_1] was hers'],
    ['415-555-2671 or 415-555-2672', '[PHONE_1] or [PHONE_2]'],
    ['a: 415-555-2671, b: (212) 555-0100', 'a: [PHONE_1], b: [PHONE_2]'],
  ])('%s', (input, expected) => expect(redacted(input)).toBe(expected));

  it.each([
    ['a year', 'founded in 2024'],
    ['a year range', 'between 1999-2005'],
    ['an amount', 'budget $1,250,000.00'],
    ['an amount with spaces', 'budget 1 250 000 EUR'],
    ['a euro amount', '€ 1.234.567,89'],
    ['a decimal', 'pi is 3.14159265'],
    ['an ISO date', 'due 2024-01-15'],
    ['a timestamp', 'at 2024-01-15T10:30:00Z'],
    ['a European date', 'on 15.01.2024'],
    ['a US date', 'on 01/15/2024 and 1-15-2024'],
    ['a time', 'meet at 10:30'],
    ['a percentage', 'grew 1234567%'],
    ['an order id', 'order #100234567'],
    ['a long id', 'id 1700000000123'],
    ['a zip+4', 'SF 94105-1234'],
    ['an IP address', 'host 192.168.100.200'],
    ['a version', 'v10.2.3'],
    ['a quantity', 'we shipped 12500 units to 340 stores'],
    ['an ISBN', 'ISBN 978-3-16-148410-0'],
    ['a phone cue with a date', 'call me on 12.05.2024'],
    ['a short number after a cue', 'call 911'],
    ['an SSN-like id', 'ref 123-45-6789'],
    ['coordinates', 'at 37.7749, -122.4194'],
    ['a population', 'population 8 336 817'],
    ['a list of ids', 'ids 1234567 2345678 3456789'],
    ['a list of years', '2019 2020 2021 2022'],
    ['office hours', 'from 09:00-17:00'],
    ['standards', 'ISO 27001 and ISO 9001, SOC 2'],
    ['an account number without a phone cue', 'Account no. 12345678'],
    ['number ranges', 'between 100-200 and 300-400'],
  ])('leaves %s alone', (_why, input) => expect(redacted(input)).toBe(input));

  it('gives the same number the same placeholder, however it is written', () => {
    expect(redactPii('415-555-2671 / (415) 555.2671 / +1 415 555 2671')).toEqual({
      text: '[PHONE_1] / [PHONE_1] / [PHONE_2]',
      redactions: [{ kind: 'phone', count: 3 }],
    });
  });
});

describe('redactPii: mixed', () => {
  it('redacts every kind and reports counts in a fixed order', () => {
    const input = 'Card 4111 1111 1111 1111, mail jo@ex.com or jo@ex.com, call +1 415 555 2671 before 2025-01-31 ($1,200).';
    expect(redactPii(input)).toEqual({
      text: 'Card [CARD_1], mail [EMAIL_1] or [EMAIL_1], call [PHONE_1] before 2025-01-31 ($1,200).',
      redactions: [
        { kind: 'email', count: 2 },
        { kind: 'phone', count: 1 },
        { kind: 'card', count: 1 },
      ],
    });
  });

  it('returns text without PII unchanged with no redactions', () => {
    const input = 'Quarterly revenue rose 12% to $4.5M in 2024; 3 of 10 leads converted.';
    expect(redactPii(input)).toEqual({ text: input, redactions: [] });
  });

  it('does not re-redact its own placeholders', () => {
    const once = redactPii('a@b.com 4111111111111111 +1 415 555 2671').text;
    expect(redactPii(once)).toEqual({ text: once, redactions: [] });
  });

  it('never throws and never grows digits, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 +-.()@abc:/\n'.split('')), maxLength: 80 }), (s) => {
        const out = redactPii(s).text;
        return out.replace(/\[(EMAIL|PHONE|CARD)_\d+\]/g, '').replace(/\D/g, '').length <= s.replace(/\D/g, '').length;
      }),
    );
  });
});

describe('PiiRedactor (several fields of one task)', () => {
  it('numbers across calls: same value same placeholder, different values different ones', () => {
    const r = new PiiRedactor();
    expect(r.redact('Copy ops@initech.example')).toEqual({ text: 'Copy [EMAIL_1]', redactions: [{ kind: 'email', count: 1 }] });
    expect(r.redact('Buyer: dana@initech.example, cc ops@initech.example')).toEqual({
      text: 'Buyer: [EMAIL_2], cc [EMAIL_1]',
      redactions: [{ kind: 'email', count: 2 }],
    });
    expect(r.redact('nothing here').redactions).toEqual([]);
    expect(r.redactions).toEqual([{ kind: 'email', count: 3 }]);
  });

  it('redacts nested values and object keys without touching the input', () => {
    const input = { 'dana@initech.example': 'decision maker', phones: ['+1 415 555 2671', 42, null], nested: { card: '4111 1111 1111 1111' } };
    const before = structuredClone(input);
    const r = new PiiRedactor();
    expect(r.redactDeep(input)).toEqual({
      value: { '[EMAIL_1]': 'decision maker', phones: ['[PHONE_1]', 42, null], nested: { card: '[CARD_1]' } },
      redactions: [
        { kind: 'email', count: 1 },
        { kind: 'phone', count: 1 },
        { kind: 'card', count: 1 },
      ],
    });
    expect(input).toEqual(before);
    expect(r.redact('write dana@initech.example').text).toBe('write [EMAIL_1]');
  });

  it('redactPii starts numbering afresh on every call', () => {
    expect(redactPii('b@x.com').text).toBe('[EMAIL_1]');
    expect(redactPii('c@x.com').text).toBe('[EMAIL_1]');
  });
});

describe('redactPii on adversarial input', () => {
  it.each([
    ['spaced digits', '1 '.repeat(10_000)],
    ['dashed digits then a letter', `${'12-'.repeat(6_000)}x`],
    ['parenthesised groups', '(12)'.repeat(5_000)],
    ['a long digit string', '7'.repeat(20_000)],
    ['phone-like list', '415-555-2671 '.repeat(1_500)],
    ['dots', '1.'.repeat(10_000)],
    ['at signs', 'a@'.repeat(10_000)],
    ['a dotted local part without a domain', `${'a.'.repeat(10_000)}@`],
    ['a domain without a dot', `x@${'a'.repeat(20_000)}`],
    ['a dashed domain', `x@${'a-'.repeat(10_000)}`],
    ['many subdomains', `x@${'a.'.repeat(10_000)}`],
  ])('stays fast on %s (20k characters)', (_name, input) => {
    const started = performance.now();
    redactPii(input);
    // Generous for slow CI; a quadratic blow-up would take seconds to minutes.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
