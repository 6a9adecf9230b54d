import type { Span } from './spans';

/** Which national identifier a detection is. */
export type NationalIdType = 'us_ssn' | 'uk_nino' | 'es_dni' | 'es_nie' | 'nl_bsn' | 'fr_nir' | 'it_cf';

export interface NationalIdSpan extends Span {
  type: NationalIdType;
  /** Set on a dashed SSN or spaced NIR that fails validation: still an id's shape, never a phone. */
  invalid?: true;
}

// ---------------------------------------------------------------- US SSN

/** Numbers printed in advertising and known never to have been issued. */
const SSN_SPECIMENS = new Set(['078051120', '219099999', '123456789']);

/**
 * Whether nine digits can be a Social Security number: area not 000, 666 or 900–999,
 * group not 00, serial not 0000, and not a well-known specimen.
 */
export function ssnValid(value: string): boolean {
  const d = value.replace(/[ -]/g, '');
  if (!/^\d{9}$/.test(d)) return false;
  const area = d.slice(0, 3);
  return area !== '000' && area !== '666' && d[0] !== '9' && d.slice(3, 5) !== '00' && d.slice(5) !== '0000' && !SSN_SPECIMENS.has(d);
}

/** 123-45-6789: the dashed form is distinctive enough on its own. */
const SSN_DASHED = /(?<![\p{L}\p{N}_+\-/.])\d{3}-\d{2}-\d{4}(?![\p{L}\p{N}_]|[-/]\d|[.,]\d)/gu;
/** 123 45 6789 or 123456789: only right after a cue such as "SSN". */
const SSN_PLAIN = /(?<![\p{L}\p{N}_+\-/.])\d{3}( ?)\d{2}\1\d{4}(?![\p{L}\p{N}_]|[-/]\d|[.,]\d)/gu;
const SSN_CUE = /(?:\bssn|\bsocial security(?: number| no\.?| #)?|\bsoc\.? ?sec\.?(?: ?no\.?| ?#)?|\bss#)[^\p{L}\p{N}\n]{0,4}(?:(?:is|was|number|no|nr)[^\p{L}\p{N}\n]{0,3}){0,2}$/iu;

// ---------------------------------------------------------------- UK National Insurance number

/**
 * Two prefix letters (first not D F I Q U V; second not D F I O Q U V; not BG GB KN NK
 * NT TN ZZ), six digits and a suffix A–D, compact or spaced as AB 12 34 56 C.
 */
const NINO = /(?<![\p{L}\p{N}_])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\p{L}\p{N}_])/gu;
const NINO_BAD_PREFIX = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

// ---------------------------------------------------------------- Spanish DNI / NIE

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Whether a DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter) has the right letter. */
export function spanishIdValid(value: string): boolean {
  const v = value.replace(/[ -]/g, '').toUpperCase();
  const m = /^(?:\d{8}|[XYZ]\d{7})([A-Z])$/.exec(v);
  if (!m) return false;
  // A NIE's leading X, Y or Z stands for 0, 1 or 2.
  const number = Number(v.slice(0, 8).replace('X', '0').replace('Y', '1').replace('Z', '2'));
  return DNI_LETTERS[number % 23] === m[1];
}

const DNI = /(?<![\p{L}\p{N}_])\d{8}[ -]?[A-Za-z](?![\p{L}\p{N}_])/gu;
const NIE = /(?<![\p{L}\p{N}_])[XYZxyz][ -]?\d{7}[ -]?[A-Za-z](?![\p{L}\p{N}_])/gu;

// ---------------------------------------------------------------- Dutch BSN

/** The 11-proof: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11 (and not 0). */
export function bsnValid(value: string): boolean {
  const d = value.replace(/[ .]/g, '');
  if (!/^\d{9}$/.test(d) || /^0+$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(d[i]);
  sum -= Number(d[8]);
  return sum % 11 === 0;
}

/** Nine digits (or 1234.56.782) pass the 11-proof one time in eleven, so a cue is required. */
const BSN = /(?<![\p{L}\p{N}_.\-/])(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3} \d{3} \d{3})(?![\p{L}\p{N}_]|[.,/-]\d)/gu;
const BSN_CUE = /(?:\bbsn|\bburgerservicenummer|\bsofi-?nummer|\bsofi|\bcitizen service number)[^\p{L}\p{N}\n]{0,4}(?:(?:is|nr|nummer|number|no)[^\p{L}\p{N}\n]{0,3}){0,2}$/iu;

// ---------------------------------------------------------------- French NIR (numéro de sécurité sociale)

/** Whether 13 characters (department 2A/2B allowed) plus a 2-digit key pass the mod-97 key. */
export function nirValid(value: string): boolean {
  const v = value.replace(/ /g, '').toUpperCase();
  // First digit: 1 or 2 (sex), 7 or 8 (temporary numbers).
  if (!/^[1278]\d{4}(?:\d{2}|2[AB])\d{8}$/.test(v)) return false;
  const month = Number(v.slice(3, 5));
  if (!((month >= 1 && month <= 12) || month === 20 || (month >= 30 && month <= 42) || month >= 50)) return false;
  // Corsica: department 2A is read as 19 and 2B as 18.
  const n = BigInt(v.slice(0, 13).replace('2A', '19').replace('2B', '18'));
  return 97n - (n % 97n) === BigInt(v.slice(13));
}

const NIR =
  /(?<![\p{L}\p{N}_])(?:[1278]\d{4}(?:\d{2}|2[AB])\d{8}|[1278] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3} \d{2})(?![\p{L}\p{N}_]|[.,]\d)/gu;

// ---------------------------------------------------------------- Italian codice fiscale

/** Odd-position values of letters (digits share the value of the letter with the same index). */
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const OMOCODIA = 'LMNPQRSTUV';

/** Whether a codice fiscale has a valid birth date field and check character. */
export function codiceFiscaleValid(value: string): boolean {
  const v = value.toUpperCase();
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(v)) return false;
  const digit = (ch: string): number => (ch >= '0' && ch <= '9' ? Number(ch) : OMOCODIA.indexOf(ch));
  const day = digit(v[9]) * 10 + digit(v[10]);
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = v[i];
    const index = ch >= '0' && ch <= '9' ? Number(ch) : ch.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? ODD_VALUES[index] : index;
  }
  return String.fromCharCode(65 + (sum % 26)) === v[15];
}

const CF = /(?<![\p{L}\p{N}_])[A-Za-z]{6}[0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{3}[A-Za-z](?![\p{L}\p{N}_])/gu;

// ---------------------------------------------------------------- detection

function cued(text: string, index: number, cue: RegExp): boolean {
  return cue.test(text.slice(Math.max(0, index - 40), index));
}

/**
 * National identifiers (see detectNationalIds), plus dashed SSNs and spaced French NIRs
 * that fail validation, marked `invalid`: still an id's shape, so the redactor keeps
 * other detectors off them. Overlapping finds keep the leftmost, longest one.
 */
export function nationalIdShapes(text: string): NationalIdSpan[] {
  const found: NationalIdSpan[] = [];
  const add = (re: RegExp, type: NationalIdType, ok: (value: string, index: number) => boolean): void => {
    for (const m of text.matchAll(re)) {
      if (ok(m[0], m.index)) found.push({ type, start: m.index, end: m.index + m[0].length });
    }
  };
  for (const m of text.matchAll(NIR)) {
    const valid = nirValid(m[0]);
    if (valid || m[0].includes(' ')) found.push({ type: 'fr_nir', start: m.index, end: m.index + m[0].length, ...(valid ? {} : { invalid: true }) });
  }
  add(CF, 'it_cf', (v) => codiceFiscaleValid(v));
  for (const m of text.matchAll(SSN_DASHED)) {
    found.push({ type: 'us_ssn', start: m.index, end: m.index + m[0].length, ...(ssnValid(m[0]) ? {} : { invalid: true }) });
  }
  add(SSN_PLAIN, 'us_ssn', (v, i) => ssnValid(v) && cued(text, i, SSN_CUE));
  add(BSN, 'nl_bsn', (v, i) => bsnValid(v) && cued(text, i, BSN_CUE));
  add(NINO, 'uk_nino', (v) => !NINO_BAD_PREFIX.has(v.slice(0, 2)));
  add(DNI, 'es_dni', (v) => spanishIdValid(v));
  add(NIE, 'es_nie', (v) => spanishIdValid(v));
  const taken: NationalIdSpan[] = [];
  for (const f of found.sort((a, b) => a.start - b.start || b.end - a.end)) {
    const last = taken[taken.length - 1];
    if (!last || f.start >= last.end) taken.push(f);
  }
  return taken;
}

/**
 * Finds national identifiers, each validated as far as its format allows: US SSN
 * (dashed anywhere; spaced or plain after a cue), UK NI number, Spanish DNI and NIE
 * (check letter), Dutch BSN (11-proof, after a cue), French NIR (mod-97 key) and
 * Italian codice fiscale (check character).
 */
export function detectNationalIds(text: string): NationalIdSpan[] {
  return nationalIdShapes(text).filter((f) => !f.invalid);
}
