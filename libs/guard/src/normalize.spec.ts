import fc from 'fast-check';
import { normalizeForScreening, nfkcStreamSafe } from './normalize';

const screened = (text: string): string => normalizeForScreening(text).text;

/** Each copy character's original range, as [start, end] pairs. */
function mapOf(text: string): Array<[number, number]> {
  const copy = normalizeForScreening(text);
  return Array.from({ length: copy.text.length }, (_, i) => {
    const r = copy.toOriginal(i, i + 1);
    return [r.start, r.end];
  });
}

describe('normalizeForScreening: fast path', () => {
  it('returns plain ASCII as the same string with an identity map', () => {
    const text = 'Call me at 415-555-2671 or write to dana@initech.example, thanks.';
    const copy = normalizeForScreening(text);
    expect(copy.text).toBe(text);
    expect(copy.identity).toBe(true);
    expect(copy.toOriginal(11, 23)).toEqual({ start: 11, end: 23 });
  });

  it('keeps the identity map when every change is one character for one', () => {
    const copy = normalizeForScreening('card ４１１１\u00A01111 ok');
    expect(copy).toMatchObject({ text: 'card 4111 1111 ok', identity: true });
  });

  it('returns text in other scripts that needs no change as it is', () => {
    const text = 'Grüße aus Köln — 東京で会いましょう。Καλημέρα.';
    // The dash and the ideographic full stop become ASCII, one for one; nothing else changes.
    expect(normalizeForScreening(text)).toMatchObject({ text: text.replace('—', '-').replace('。', '.'), identity: true });
  });
});

describe('normalizeForScreening: NFKC', () => {
  it.each([
    ['a full-width at sign', 'john＠example.com', 'john@example.com'],
    ['full-width letters', 'ＡＫＩＡ', 'AKIA'],
    ['full-width digits and hyphens', '５３６－２２－１２３４', '536-22-1234'],
    ['a small commercial at', 'john\uFE6Bexample.com', 'john@example.com'],
    ['mathematical bold letters and digits', '\u{1D400}\u{1D401}\u{1D7CF}', 'AB1'],
    ['a ligature', '\uFB01le', 'file'],
    ['a letter with a combining accent', 'cafe\u0301', 'café'],
    ['circled digits', '\u2460\u2461', '12'],
  ])('folds %s', (_what, input, expected) => expect(screened(input)).toBe(expected));

  it('joins Hangul jamo into their syllable, as NFKC does', () => {
    const copy = normalizeForScreening('x\u1100\u1161\u11A8y');
    expect(copy.text).toBe('x\uAC01y');
    expect(copy.toOriginal(1, 2)).toEqual({ start: 1, end: 4 });
  });

  it('maps a character that expands to every character it became', () => {
    const copy = normalizeForScreening('x\uFB01y');
    expect(copy.text).toBe('xfiy');
    expect(copy.identity).toBe(false);
    expect(mapOf('x\uFB01y')).toEqual([
      [0, 1],
      [1, 2],
      [1, 2],
      [2, 3],
    ]);
  });

  it('maps a character outside the BMP to both of its code units', () => {
    expect(mapOf('a\u{1D400}b')).toEqual([
      [0, 1],
      [1, 3],
      [3, 4],
    ]);
  });

  it('maps a composed letter to its base and its marks', () => {
    expect(mapOf('ne\u0301e')).toEqual([
      [0, 1],
      [1, 3],
      [3, 4],
    ]);
  });
});

describe('normalizeForScreening: invisible characters', () => {
  it.each([
    ['zero-width space', '\u200B'],
    ['zero-width non-joiner', '\u200C'],
    ['zero-width joiner', '\u200D'],
    ['word joiner', '\u2060'],
    ['byte-order mark', '\uFEFF'],
    ['soft hyphen', '\u00AD'],
    ['left-to-right mark', '\u200E'],
    ['right-to-left override', '\u202E'],
    ['first strong isolate', '\u2068'],
    ['variation selector 16', '\uFE0F'],
    ['supplementary variation selector', '\u{E0100}'],
    ['tag character', '\u{E0041}'],
    ['combining grapheme joiner', '\u034F'],
    ['Hangul filler', '\u3164'],
  ])('drops a %s', (_name, ch) => {
    const copy = normalizeForScreening(`jo${ch}hn`);
    expect(copy.text).toBe('john');
    // The range of the whole word still covers the dropped character.
    expect(copy.toOriginal(0, 4)).toEqual({ start: 0, end: 4 + ch.length });
  });

  it('maps a range between dropped characters to the characters it was read from', () => {
    const text = '\u200Bab\u200B\u200Bcd\u200B';
    const copy = normalizeForScreening(text);
    expect(copy.text).toBe('abcd');
    expect(copy.toOriginal(0, 4)).toEqual({ start: 1, end: 7 });
    expect(copy.toOriginal(1, 3)).toEqual({ start: 2, end: 6 });
    expect(copy.toOriginal(2, 2)).toEqual({ start: 5, end: 5 });
    expect(copy.toOriginal(4, 4)).toEqual({ start: 8, end: 8 });
  });

  it('copes with a text of nothing but invisible characters', () => {
    const copy = normalizeForScreening('\u200B'.repeat(50_000));
    expect(copy.text).toBe('');
    expect(copy.toOriginal(0, 0)).toEqual({ start: 50_000, end: 50_000 });
  });
});

describe('normalizeForScreening: spaces, line breaks and dashes', () => {
  it.each([
    ['no-break space', '\u00A0'],
    ['narrow no-break space', '\u202F'],
    ['figure space', '\u2007'],
    ['thin space', '\u2009'],
    ['hair space', '\u200A'],
    ['em space', '\u2003'],
    ['ideographic space', '\u3000'],
    ['ogham space mark', '\u1680'],
    ['medium mathematical space', '\u205F'],
  ])('turns a %s into a plain space', (_name, ch) => expect(screened(`4111${ch}1111`)).toBe('4111 1111'));

  it('turns line and paragraph separators into line breaks, and keeps tabs and line breaks', () => {
    expect(screened('a\u2028b\u2029c\td\ne')).toBe('a\nb\nc\td\ne');
  });

  it.each([
    ['hyphen', '\u2010'],
    ['non-breaking hyphen', '\u2011'],
    ['figure dash', '\u2012'],
    ['en dash', '\u2013'],
    ['em dash', '\u2014'],
    ['small hyphen-minus', '\uFE63'],
  ])('turns a %s into -', (_name, ch) => expect(screened(`415${ch}555`)).toBe('415-555'));
});

describe('normalizeForScreening: digits of every script', () => {
  // Where the zero of each set sits; the copy must read z + d as the ASCII digit d.
  it.each([
    ['Arabic-Indic', 0x0660],
    ['Extended Arabic-Indic', 0x06f0],
    ['NKo', 0x07c0],
    ['Devanagari', 0x0966],
    ['Bengali', 0x09e6],
    ['Gurmukhi', 0x0a66],
    ['Tamil', 0x0be6],
    ['Thai', 0x0e50],
    ['Lao', 0x0ed0],
    ['Tibetan', 0x0f20],
    ['Myanmar', 0x1040],
    ['Khmer', 0x17e0],
    ['Mongolian', 0x1810],
    ['full-width', 0xff10],
    ['Osmanya', 0x104a0],
    ['mathematical double-struck', 0x1d7d8],
    ['mathematical monospace', 0x1d7f6],
    ['Adlam', 0x1e950],
  ])('reads %s digits as ASCII digits', (_script, zero) => {
    const digits = Array.from({ length: 10 }, (_, d) => String.fromCodePoint(zero + d)).join('');
    expect(screened(`n ${digits}`)).toBe('n 0123456789');
  });

  it('reads every decimal digit Unicode knows as one ASCII digit', () => {
    for (let cp = 0x80; cp <= 0x1ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (!/\p{Nd}/u.test(ch)) continue;
      expect(screened(ch)).toMatch(/^[0-9]$/);
    }
  });

  it('maps Arabic-Indic digits one for one, and leaves the Arabic words around them as written', () => {
    const text = 'رقم الهاتف ٠٥٠١٢٣٤٥٦٧ من فضلك';
    expect(normalizeForScreening(text)).toMatchObject({ text: 'رقم الهاتف 0501234567 من فضلك', identity: true });
  });

  it('leaves Arabic prose without digits unchanged', () => {
    const text = 'مرحبا بك في فريق العمل، نراك غدا إن شاء الله.';
    expect(normalizeForScreening(text)).toMatchObject({ text, identity: true });
  });
});

describe('normalizeForScreening: look-alike letters', () => {
  it.each([
    ['a Cyrillic о in a Latin word', 'j\u043Ehn@example.com', 'john@example.com'],
    ['Cyrillic letters in a Latin domain', 'john@\u0435x\u0430mple.com', 'john@example.com'],
    ['a Greek omicron', 'c\u03BFm', 'com'],
    ['Cyrillic capitals before Latin capitals', '\u0410\u041A\u0406\u0410QXQX', 'AKIAQXQX'],
    ['Cyrillic capitals before digits', '\u0410\u041A\u0406\u04101234', 'AKIA1234'],
    ['an Armenian o', 'g\u0585\u0585gle', 'google'],
    ['a dotless i', 'adm\u0131n', 'admin'],
  ])('folds %s', (_what, input, expected) => expect(screened(input)).toBe(expected));

  it.each([
    ['Russian prose', 'Привет, как дела? Встреча в офисе, кабинет 10.'],
    ['Greek prose', 'Καλημέρα σας, η συνάντηση είναι αύριο το πρωί.'],
    ['Armenian prose', 'Բարի գալուստ, սիրելի ընկեր'],
    ['Cyrillic words next to Latin ones', 'Компания ACME заказала 40 ноутбуков'],
  ])('leaves %s as written', (_what, text) => expect(screened(text)).toBe(text));

  it('folds each look-alike letter it knows into one ASCII letter', () => {
    const folded = new Map<string, string>();
    for (let cp = 0x80; cp < 0x600; cp++) {
      const ch = String.fromCharCode(cp);
      if (!/\p{L}/u.test(ch)) continue;
      // Alone the character is in no mixed word; after an x it is.
      const mixed = screened(`x${ch}`).slice(1);
      if (mixed !== screened(ch)) folded.set(ch, mixed);
    }
    for (const [ch, latin] of folded) expect([ch, latin]).toEqual([ch, expect.stringMatching(/^[A-Za-z]$/)]);
    expect(folded.get('\u043E')).toBe('o');
    expect(folded.get('\u0410')).toBe('A');
    expect(folded.get('\u03BF')).toBe('o');
    expect(folded.get('\u0585')).toBe('o');
    expect(folded.size).toBeGreaterThan(60);
  });

  it('never folds a letter into a digit', () => {
    // Cyrillic З looks like 3 and О like 0; only letters become letters.
    expect(screened('\u0417\u041E\u041E1')).toBe('\u0417OO1');
  });
});

describe('normalizeForScreening: card groups split by dots or slashes', () => {
  it.each([
    ['dots', '4111.1111.1111.1111', '4111 1111 1111 1111'],
    ['slashes', '4111/1111/1111/1111', '4111 1111 1111 1111'],
    ['a 4-6-5 grouping', '3782.822463.10005', '3782 822463 10005'],
    ['a 19-digit number', '6212.3456.7890.1234.567', '6212 3456 7890 1234 567'],
    ['12 digits in fours', '1234/5678/9012', '1234 5678 9012'],
    ['full-width dots', '4111．1111．1111．1111', '4111 1111 1111 1111'],
  ])('spaces groups joined by %s', (_what, input, expected) => expect(screened(`card ${input}.`)).toBe(`card ${expected}.`));

  it.each([
    ['a date with slashes', 'due 12/05/2024'],
    ['a date with dots', 'on 15.01.2024'],
    ['an ISO date with slashes', 'on 2024/01/15'],
    ['a version', 'version 1.2.3'],
    ['a long version', 'v2024.10.1.7'],
    ['an IPv4 address', 'host 192.168.100.200'],
    ['an amount', '€ 1.234.567,89'],
    ['groups of three', '123.456.789.012'],
    ['mixed separators', '4111.1111/1111.1111'],
    ['too few digits', '4111.1111.111'],
    ['a run longer than any card', '1234.5678.9012.3456.7890.1234'],
    ['a run inside a longer dotted number', '1.4111.1111.1111.1111'],
    ['a run before a decimal', '4111.1111.1111.1111,50'],
    ['a run glued to a word', 'x4111.1111.1111.1111'],
    ['a URL path', 'https://example.com/2024/0115/1234/'],
    ['a path of card-sized groups', 'files/4111/1111/1111/1111'],
    ['groups after a dotted prefix', 'oid 1.4111.1111.1111.1111'],
  ])('leaves %s alone', (_what, text) => expect(screened(text)).toBe(text));
});

describe('normalizeForScreening: offset map', () => {
  /** Pieces that each step changes, and plain ones. */
  const pieces = [
    'a',
    'Z',
    '7',
    ' ',
    '@',
    '.',
    '-',
    '\n',
    '\u200B',
    '\u00AD',
    '\uFEFF',
    '\uFE0F',
    '\u00A0',
    '\u3000',
    '\u2013',
    '４',
    '＠',
    '\u0663',
    '\u06F7',
    '\uFB01',
    '\u00BD',
    '\uFDFA',
    '\u{1D400}',
    'e\u0301',
    '\u0301',
    'é',
    'ß',
    '東',
    '\u{1F600}',
  ];
  // Up to 300 pieces: long enough to span several of the blocks the normalizer checks at once.
  const texts = fc.array(fc.constantFrom(...pieces), { maxLength: 300 }).map((p) => p.join(''));

  it('maps every copy range to an original range whose own copy holds it', () => {
    fc.assert(
      fc.property(texts, fc.nat(), fc.nat(), (text, a, b) => {
        const copy = normalizeForScreening(text);
        const n = copy.text.length;
        const start = n === 0 ? 0 : a % (n + 1);
        const end = start + (n === 0 ? 0 : b % (n - start + 1));
        const r = copy.toOriginal(start, end);
        if (!(r.start >= 0 && r.start <= r.end && r.end <= text.length)) return false;
        return normalizeForScreening(text.slice(r.start, r.end)).text.includes(copy.text.slice(start, end));
      }),
    );
  });

  it('keeps ranges in order: the next copy character comes from the same original characters or later ones', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const copy = normalizeForScreening(text);
        for (let i = 1; i < copy.text.length; i++) {
          const prev = copy.toOriginal(i - 1, i);
          const cur = copy.toOriginal(i, i + 1);
          const same = cur.start === prev.start && cur.end === prev.end;
          if (!same && cur.start < prev.end) return false;
        }
        return true;
      }),
    );
  });

  it('covers every visible character of the original with the whole copy', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const copy = normalizeForScreening(text);
        if (copy.text.length === 0) return true;
        const r = copy.toOriginal(0, copy.text.length);
        const outside = text.slice(0, r.start) + text.slice(r.end);
        return normalizeForScreening(outside).text === '';
      }),
    );
  });

  it('reads a long text, piece by piece, as it reads each piece on its own', () => {
    // Long enough to be checked in several blocks; no piece here changes with its neighbours.
    const independent = pieces.filter((p) => !/^\p{M}/u.test(p) && !/[@.\-\d４\u0663\u06F7]/u.test(p));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...independent), { minLength: 300, maxLength: 900 }), (parts) => {
        const copy = normalizeForScreening(parts.join(''));
        return copy.text === parts.map((p) => normalizeForScreening(p).text).join('');
      }),
      { numRuns: 50 },
    );
  });

  it.each([250, 254, 255, 256, 257, 300])('keeps a letter and its combining mark together at offset %i', (offset) => {
    const text = `${'x'.repeat(offset)}e\u0301\u00A0${'y'.repeat(300)}\u200B!`;
    const copy = normalizeForScreening(text);
    expect(copy.text).toBe(`${'x'.repeat(offset)}é ${'y'.repeat(300)}!`);
    expect(copy.toOriginal(offset, offset + 1)).toEqual({ start: offset, end: offset + 2 });
    expect(copy.toOriginal(copy.text.length - 1, copy.text.length)).toEqual({ start: text.length - 1, end: text.length });
  });

  it('copes with a long run of combining marks that NFKC would reorder (600k characters)', () => {
    // Canonical reordering of one unbroken run of marks is quadratic (200k characters
    // took half a minute in one piece); this run would overrun the test timeout unless it
    // is normalized in short pieces.
    const text = `a${'\u0301\u0323'.repeat(300_000)}`;
    const copy = normalizeForScreening(text);
    // a and the dot below compose (U+1EA1); every other mark stays.
    expect(copy.text.length).toBe(text.length - 1);
    expect(copy.text[0]).toBe('\u1EA1');
    expect(copy.toOriginal(0, copy.text.length)).toEqual({ start: 0, end: text.length });
  });

  it('refuses a range that is not one of the copy', () => {
    const copy = normalizeForScreening('a\u200Bb');
    expect(() => copy.toOriginal(1, 3)).toThrow(RangeError);
    expect(() => copy.toOriginal(2, 1)).toThrow(RangeError);
    expect(() => normalizeForScreening('ab').toOriginal(-1, 1)).toThrow(RangeError);
  });
});

describe('nfkcStreamSafe', () => {
  it('is NFKC for ordinary text, full-width forms and short runs of marks alike', () => {
    for (const t of ['plain text', 'ｆｕｌｌ ｗｉｄｔｈ ４１１１', 'e\u0301te\u0301', 'ﬁle', `a${'\u0301'.repeat(30)}`]) expect(nfkcStreamSafe(t)).toBe(t.normalize('NFKC'));
  });

  it('normalizes a run of marks longer than 30 in pieces, keeping every character and the letters around it', () => {
    const flood = `start ${'\u0301\u0327'.repeat(5000)} end`;
    const out = nfkcStreamSafe(flood);
    expect(out.startsWith('start ')).toBe(true);
    expect(out.endsWith(' end')).toBe(true);
    expect([...out.replace(/[^\u0300-\u036f]/g, '')]).toHaveLength(10_000);
  });
});
