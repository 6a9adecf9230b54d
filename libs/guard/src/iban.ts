import type { Span } from './spans';

/**
 * IBAN length per country (ISO 13616 registry): the EU/EEA, the UK and Switzerland,
 * the rest of Europe that uses IBANs, and the larger non-European adopters.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15,
  PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25,
  SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 7064 mod 97-10 remainder of an IBAN (or any alphanumeric string), read in chunks. */
export function ibanRemainder(compact: string): number {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    rest = value >= 10 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest;
}

/**
 * Whether a string is a valid IBAN: known country, that country's length, digits for
 * the check digits, mod-97 remainder 1. Spaces are ignored, and so is case: people type
 * `gb82 west …` too.
 */
export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  return IBAN_LENGTHS[compact.slice(0, 2)] === compact.length && ibanRemainder(compact) === 1;
}

const START = /(?<![\p{L}\p{N}_])[A-Za-z]{2}\d{2}/gu;
const ALNUM = /[A-Za-z0-9]/;

/** An IBAN-shaped range; `valid` when its check digits are right too. */
export interface IbanShape extends Span {
  valid: boolean;
}

/**
 * Finds IBAN-shaped tokens printed in one block (`DE89370400440532013000`) or in groups
 * of four (`DE89 3704 0044 0532 0130 00`), in any case: a known country code, digits,
 * that country's length. From each country code it reads exactly that length, so the
 * work per candidate is bounded.
 */
export function ibanShapes(text: string): IbanShape[] {
  const spans: IbanShape[] = [];
  let from = 0;
  for (const m of text.matchAll(START)) {
    if (m.index < from) continue;
    const length = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    if (!length) continue;
    let i = m.index;
    let compact = '';
    const gaps: number[] = [];
    while (compact.length < length && i < text.length) {
      const ch = text[i];
      if (ALNUM.test(ch)) {
        compact += ch;
        i++;
      } else if (ch === ' ' && compact.length > 0 && ALNUM.test(text[i + 1] ?? '')) {
        gaps.push(compact.length);
        i++;
      } else break;
    }
    if (compact.length !== length || /[\p{L}\p{N}_]/u.test(text[i] ?? '')) continue;
    // Either no spaces, or a space after every group of four.
    const grouped = gaps.every((g, k) => g === 4 * (k + 1)) && (gaps.length === 0 || gaps.length === Math.ceil(length / 4) - 1);
    if (!grouped) continue;
    spans.push({ start: m.index, end: i, valid: ibanRemainder(compact.toUpperCase()) === 1 });
    from = i;
  }
  return spans;
}

/** Finds valid IBANs (shape, country length and mod-97), compact or in groups of four. */
export function detectIbans(text: string): Span[] {
  return ibanShapes(text)
    .filter((s) => s.valid)
    .map(({ start, end }) => ({ start, end }));
}
