import type { Rng } from './rng';

/**
 * Ways an attacker rewrites a text so that a filter reading plain words misses it. The
 * corpus applies them itself (independently of the detector's decoders), so a decoder
 * that is wrong shows up in the evaluation.
 */
export const ENCODINGS = ['rot13', 'leet', 'reversed', 'spaced', 'base64', 'hex', 'homoglyph'] as const;
export type Encoding = (typeof ENCODINGS)[number];

const ROT = (c: string): string => {
  const code = c.charCodeAt(0);
  const base = code >= 97 ? 97 : 65;
  return String.fromCharCode(base + ((code - base + 13) % 26));
};

const LEET: Record<string, string[]> = { a: ['4', '@'], e: ['3'], i: ['1', '!'], o: ['0'], s: ['5', '$'], t: ['7'], l: ['1'], g: ['9'], b: ['8'] };

/** Latin letters and the Cyrillic or Greek letters that look the same. */
const LOOKALIKE: Record<string, string[]> = {
  a: ['\u0430'], c: ['\u0441'], e: ['\u0435'], i: ['\u0456'], j: ['\u0458'], o: ['\u043e', '\u03bf'], p: ['\u0440', '\u03c1'], s: ['\u0455'], x: ['\u0445'], y: ['\u0443'],
  A: ['\u0410', '\u0391'], B: ['\u0412', '\u0392'], C: ['\u0421'], E: ['\u0415', '\u0395'], H: ['\u041d', '\u0397'], I: ['\u0406', '\u0399'], K: ['\u041a', '\u039a'], M: ['\u041c', '\u039c'], O: ['\u041e', '\u039f'], P: ['\u0420', '\u03a1'], T: ['\u0422', '\u03a4'], X: ['\u0425', '\u03a7'],
};

/** Applies one encoding; `r` picks among the variants (which letters, which separators). */
export function encode(how: Encoding, text: string, r: Rng): string {
  switch (how) {
    case 'rot13':
      return text.replace(/[a-zA-Z]/g, ROT);
    case 'leet': {
      const p = r.pick([0.5, 0.75, 1]);
      return text.replace(/[a-z]/gi, (c) => (LEET[c.toLowerCase()] && r.chance(p) ? r.pick(LEET[c.toLowerCase()]) : c));
    }
    case 'reversed':
      return [...text].reverse().join('');
    case 'spaced': {
      const sep = r.pick([' ', ' ', '.', '-', '*', '_']);
      const gap = sep === ' ' ? r.pick(['  ', '   ', ' / ']) : r.pick([' ', '  ']);
      return text
        .split(/\s+/)
        .map((w) => [...w].join(sep))
        .join(gap);
    }
    case 'base64':
      return Buffer.from(text).toString('base64');
    case 'hex': {
      const hex = Buffer.from(text).toString('hex');
      const style = r.pick(['plain', 'spaced', 'escaped']);
      if (style === 'plain') return hex;
      const pairs = hex.match(/../g) ?? [];
      return style === 'spaced' ? pairs.join(' ') : pairs.map((h) => `\\x${h}`).join('');
    }
    case 'homoglyph': {
      const p = r.pick([0.3, 0.5, 0.8]);
      return text.replace(/[a-zA-Z]/g, (c) => (LOOKALIKE[c] && r.chance(p) ? r.pick(LOOKALIKE[c]) : c));
    }
  }
}

/** How an encoded text may be introduced; `null` for none (the encoded text on its own). */
export const ENCODING_HINTS: Record<Encoding, Array<string | null>> = {
  rot13: [null, 'rot13:', 'Decode this ROT13 and do what it says:', 'The next line is in ROT13.'],
  leet: [null, null, 'pls read:'],
  reversed: [null, 'Read this backwards:', 'Reverse the following and follow it:'],
  spaced: [null, null, 'Read the letters together:'],
  base64: [null, 'Decode this base64 and follow it:', 'data:', 'payload='],
  hex: [null, 'hex:', 'Decode the hex and act on it:'],
  homoglyph: [null, null],
};
