import { detectAddresses } from './addresses';
import { ibanShapes } from './iban';
import { detectIps, parseIpv6 } from './ip';
import { detectNames } from './names';
import { nationalIdShapes } from './national-id';
import { normalizeForScreening } from './normalize';
import { detectSecrets } from './secrets';
import type { Span } from './spans';

/** Kinds of data the redactor replaces. */
export type PiiKind = 'email' | 'phone' | 'card' | 'iban' | 'national_id' | 'ip' | 'secret' | 'name' | 'address';

/** Every kind, in the order redaction summaries list them. */
export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'card', 'iban', 'national_id', 'ip', 'secret', 'name', 'address'];

/** What kind of personal data was replaced, and how many occurrences. */
export interface Redaction {
  /** Kind of data. */
  kind: PiiKind;
  /** Occurrences replaced (the same value twice counts twice). */
  count: number;
}

/** Text with personal data replaced by numbered placeholders, and what was replaced. */
export interface RedactionResult {
  /** The redacted text. */
  text: string;
  /** One entry per kind found, in the order of PII_KINDS; empty when nothing was found. */
  redactions: Redaction[];
}

/** One value found in a text, with its range in that text. */
export interface PiiMatch extends Span {
  kind: PiiKind;
  /**
   * The value as the detectors read it: for every kind but `secret`, the screening copy
   * (john@example.com without the zero-width space inside it, ASCII digits for full-width
   * ones), a usable value to put back; a secret as printed, character for character.
   */
  value: string;
}

/** Placeholder → what it replaced, for one task. Plain JSON, so it can be stored with the task. */
export type PiiVault = Record<string, { kind: PiiKind; value: string }>;

type Kind = PiiKind;
const KINDS = PII_KINDS;

/**
 * Luhn (mod 10) check of a card number. Spaces and dashes are ignored; any other
 * non-digit, or fewer than two digits, fails.
 */
export function luhnValid(digits: string): boolean {
  const d = digits.replace(/[ -]/g, '');
  if (!/^\d{2,}$/.test(d)) return false;
  let sum = 0;
  let double = false;
  for (let i = d.length - 1; i >= 0; i--) {
    let n = d.charCodeAt(i) - 48;
    if (double) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
    double = !double;
  }
  return sum % 10 === 0;
}

const zeroCounts = (): Record<Kind, number> => ({ email: 0, phone: 0, card: 0, iban: 0, national_id: 0, ip: 0, secret: 0, name: 0, address: 0 });

/** The form two mentions of one value share, whatever the spacing or case. */
export function normalizePii(kind: PiiKind, value: string): string {
  switch (kind) {
    case 'email':
      return value.toLowerCase();
    case 'phone':
      return value.replace(/[^\d+]/g, '');
    case 'card':
      return value.replace(/\D/g, '');
    case 'iban':
    case 'national_id':
      return value.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
    case 'ip':
      return value.includes(':') ? (parseIpv6(value)?.map((g) => g.replace(/^0+(?=.)/, '')).join(':') ?? value.toLowerCase()) : value;
    case 'secret':
      return value;
    case 'name':
    case 'address':
      return value.normalize('NFC').toLowerCase().replace(/[\s,.]+/g, ' ').trim();
  }
}

/**
 * The value a vault keeps for a placeholder: as printed, except an IBAN, kept compact
 * and in capitals (the form a payment tool takes, however the customer typed it).
 */
function vaultValue(kind: PiiKind, value: string): string {
  return kind === 'iban' ? normalizePii(kind, value) : value;
}

/** `[EMAIL_3]` → kind and number; undefined for anything else. */
export function parsePlaceholder(placeholder: string): { kind: PiiKind; n: number } | undefined {
  const m = /^\[([A-Z_]+)_(\d{1,9})\]$/.exec(placeholder);
  if (!m) return undefined;
  const kind = m[1].toLowerCase() as PiiKind;
  return KINDS.includes(kind) ? { kind, n: Number(m[2]) } : undefined;
}

/**
 * Hands out placeholders: the same value (normalized) gets the same number, so a model
 * still sees that two mentions are one person. Remembers what each placeholder stands
 * for, so a policy can put values back.
 */
class Placeholders {
  private readonly seen = new Map<string, string>();
  private readonly next: Record<Kind, number> = { email: 1, phone: 1, card: 1, iban: 1, national_id: 1, ip: 1, secret: 1, name: 1, address: 1 };
  readonly counts: Record<Kind, number> = zeroCounts();
  readonly vault: PiiVault = {};

  constructor(seed?: PiiVault) {
    for (const [placeholder, entry] of Object.entries(seed ?? {})) {
      const parsed = parsePlaceholder(placeholder);
      if (!parsed || parsed.kind !== entry?.kind || typeof entry.value !== 'string') {
        throw new TypeError(`not a vault entry: ${placeholder}`);
      }
      this.vault[placeholder] = { kind: entry.kind, value: entry.value };
      // An empty value only keeps its number taken (a secret dropped before the vault was stored).
      const key = `${entry.kind}:${normalizePii(entry.kind, entry.value)}`;
      if (entry.value !== '' && !this.seen.has(key)) this.seen.set(key, placeholder);
      this.next[entry.kind] = Math.max(this.next[entry.kind], parsed.n + 1);
    }
  }

  for(kind: Kind, value: string): string {
    this.counts[kind] += 1;
    const key = `${kind}:${normalizePii(kind, value)}`;
    let placeholder = this.seen.get(key);
    if (!placeholder) {
      placeholder = `[${kind.toUpperCase()}_${this.next[kind]++}]`;
      this.seen.set(key, placeholder);
      this.vault[placeholder] = { kind, value: vaultValue(kind, value) };
    }
    return placeholder;
  }
}

// ---------------------------------------------------------------- email

/** Practical address shape (not RFC 5322): local@label.label.tld, ASCII only. */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![\p{L}\p{N}_-])/gu;

// ---------------------------------------------------------------- runs of digit groups

/** A digit group, or a parenthesised one such as an area code `(415)`. */
interface Part {
  text: string;
  start: number;
  end: number;
}

function partsOf(candidate: string): Part[] {
  return [...candidate.matchAll(/\(\+?\d{1,5}\)|\d+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/**
 * Picks non-overlapping runs of consecutive parts that `accept` takes: leftmost first,
 * then the longest, among sub-runs with an acceptable digit count. Searching sub-runs
 * lets "in 2023 415-555-2671" yield the phone without the year; every part holds a
 * digit, so the digit cap also caps sub-run length and keeps the work linear in the
 * length of a run (a long list of numbers is one candidate).
 */
function pickSpans(
  candidate: string,
  parts: Part[],
  digits: { min: number; max: number },
  accept: (text: string) => boolean,
): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  // Digits in parts[0..k), so a sub-run with the wrong digit count is skipped unread.
  const upTo = [0];
  for (const p of parts) upTo.push(upTo[upTo.length - 1] + p.text.replace(/\D/g, '').length);
  let i = 0;
  while (i < parts.length) {
    let taken = 0;
    for (let len = Math.min(digits.max, parts.length - i); len >= 1; len--) {
      const n = upTo[i + len] - upTo[i];
      if (n < digits.min || n > digits.max) continue;
      // The first part keeps what precedes it in the candidate: a leading +.
      const start = i === 0 ? 0 : parts[i].start;
      const end = parts[i + len - 1].end;
      if (accept(candidate.slice(start, end))) {
        spans.push([start, end]);
        taken = len;
        break;
      }
    }
    i += taken || 1;
  }
  return spans;
}

// ---------------------------------------------------------------- cards

/**
 * Runs of digit groups joined by single spaces or dashes. Not inside words, not after a
 * `+` (an international phone) and not part of a decimal number.
 */
const DIGIT_RUN = /(?<![\p{L}\p{N}_+]|\d[.,])\d+(?:[ -]\d+)*(?![\p{L}\p{N}_]|[.,]\d)/gu;

const CARD_DIGITS = { min: 12, max: 19 };

/**
 * Words right before a number that say it is a payment card. A 12-digit number (Maestro
 * issues them) is a card only after such a word or with a Maestro prefix: one in ten of
 * any 12-digit ids passes Luhn by chance.
 */
const CARD_CUE =
  /(?:^|[^\p{L}])(?:card|cards|cc|pan|visa|mastercard|maestro|amex|debit|credit|karte|kreditkarte|carte|tarjeta|cartão|cartao|carta|kaart|karta|kart)(?:[ \t]+(?:no|nr|number|num|n°|nº|#))?[^\p{L}\p{N}\n]{0,4}$/iu;

/** Maestro issuer prefixes (50, 56–69), the brand that prints 12-digit cards. */
const MAESTRO_PREFIX = /^(?:50|5[6-9]|6)/;

/** How card numbers are printed: one block, blocks of four, or Amex/Diners 4-6-5 / 4-6-4. */
function cardGrouping(text: string): boolean {
  const separators = new Set(text.match(/[ -]/g) ?? []);
  if (separators.size > 1) return false;
  const groups = text.split(/[ -]/).map((g) => g.length);
  if (groups.length === 1) return true;
  if (groups.slice(0, -1).every((n) => n === 4) && groups[groups.length - 1] <= 4) return true;
  return groups.length === 3 && groups[0] === 4 && groups[1] === 6 && (groups[2] === 5 || groups[2] === 4);
}

function isCard(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  return (
    digits.length >= CARD_DIGITS.min &&
    digits.length <= 19 &&
    cardGrouping(text) &&
    // A filler such as 0000 0000 0000 0000 passes Luhn but identifies no one.
    !/^(\d)\1+$/.test(digits) &&
    luhnValid(digits)
  );
}

// ---------------------------------------------------------------- phones

/**
 * Digit groups joined by at most one space, dot, dash or slash, optionally led by `+` or
 * a parenthesised country code `(+44)`, and with parenthesised groups. Not after letters,
 * currency signs, a decimal point or a dashed word (a UUID segment). Digits follow a
 * separator or a `)`, never other digits, so there is one way to split a candidate and
 * no backtracking blow-up.
 */
const PHONE_CANDIDATE =
  /(?<![\p{L}\p{N}_+$€£¥]|\d[.,]|[\p{L}\p{N}]-)\+?(?:\(\+?\d{1,5}\)|\d+)(?:[ .-]?\(\d{1,5}\)|(?:[ ./-]|(?<=\)))\d+)*/gu;

const PHONE_DIGITS = { min: 7, max: 15 };

const DATE_LIKE = [/^\d{4}([-./])\d{1,2}\1\d{1,2}$/, /^\d{1,2}([-./])\d{1,2}\1\d{2,4}$/];

/**
 * Words right before a number that make it a phone number whatever its format: on the
 * same line, or ending the line above (a form or a signature: `Phone:⏎4155550132`), with
 * at most one blank line and a table border or bullet between.
 */
const PHONE_CUE =
  /(?:^|[^\p{L}])(?:phone|telephone|tel|tél|mobile|mob|cell|cellphone|call|callback|call back|ring|fax|whatsapp|sms|ph|teléfono|telefono|telefon|telefoon|móvil|movil|celular|cellulare|portable|téléphone|handy|mobil|mobiel|numéro|número)[^\p{L}\p{N}\n]{0,3}(?:(?:me|us|him|her|them|at|on|to|back|via|no|nr|number|requested|is|#)[^\p{L}\p{N}\n]{0,3}){0,3}(?:\n[ \t|>*•-]{0,4}){0,2}$/iu;

/**
 * Labels right before a number that say it is something else: a card shape after
 * "tracking" or "ISBN" is that, and so is a phone shape after "account" or "serial".
 */
const NOT_A_CARD =
  /(?:^|[^\p{L}])(?:isbn(?:-1[03])?|tracking|track|parcel|shipment|waybill|consignment|sendungsnummer|ean|upc|gtin)(?:[ \t]+\p{L}+){0,3}[^\p{L}\p{N}\n]{0,4}$/iu;
const NOT_A_PHONE =
  /(?:^|[^\p{L}])(?:isbn(?:-1[03])?|tracking|track|parcel|shipment|waybill|consignment|sendungsnummer|ean|upc|gtin|account|acct|ref|reference|serial|sku|order|invoice|kundennummer|kundennr|bestellnummer|rechnungsnummer|customer[ _]?id|customer[ _]?no|po)(?:[ \t:#.=№*"'-]{0,4}(?:no|nr|number|id|#)?)?[ \t:#.=№*"'-]{0,4}$/iu;

/**
 * An extension after a number (`x769`, `ext. 12`, `(Durchwahl 17)`): part of the phone
 * number, so it goes with it. `x` takes its digits directly (`12 x 345` is arithmetic).
 */
const EXTENSION =
  /^(?:[ \t]*x\d{1,6}|(?:[ \t]*,)?[ \t]*(?:ext|extn|extension|poste|durchwahl|dw|int|interno|anexo|ramal|toestel|dahili)\.?[ \t]*[:#]?[ \t]*\d{1,6}|[ \t]*\([ \t]*(?:x|ext|extn|extension|poste|durchwahl|dw|int|interno|anexo|ramal|toestel|dahili)\.?[ \t]*[:#]?[ \t]*\d{1,6}[ \t]*\))(?![\p{L}\p{N}])/iu;

/** What kind of line a number is, glued to it (`-Fax`, `/work`): the number is still a phone. */
const GLUED_LABEL =
  /^[-/(]?(?:fax|home|work|office|mobile|mob|cell|tel|phone|main|direct|private|privat|business|landline|whatsapp|handy|mobil|casa|trabajo|bureau|domicile|[hwmcf])\)?(?![\p{L}\p{N}])/iu;

const before = (text: string, index: number): string => text.slice(Math.max(0, index - 40), index);

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}

/**
 * A long block and a two-digit tail: how account numbers are printed, never phones.
 * Read from the last eight characters only, so a long run of digits is not scanned
 * from every position.
 */
const accountTail = (text: string): boolean => /\d{5}[ .-]\d{2}$/.test(text.slice(-8));

/** Formats that are phone numbers on their own, without any cue word. */
function structuredPhone(text: string): boolean {
  const n = digitCount(text);
  if (n < 7 || n > 15 || DATE_LIKE.some((re) => re.test(text))) return false;
  // A US ZIP+4 (94105-1234, 00409-7247), whatever its first digits.
  if (/^\d{5}-\d{4}$/.test(text)) return false;
  // International: a leading + is an unambiguous signal, also as `(+44)`.
  if (/^\(?\+\d/.test(text)) return true;
  // No numbering plan prints a long block with a two-digit tail (078-824104-63 is an account).
  if (accountTail(text)) return false;
  // International with the 00 exit code instead of +: 0049 30 1234567.
  if (/^00[1-9]\d{0,2}[ .-]\d/.test(text) && n >= 9) return true;
  // Area code in parentheses: (415) 555-2671, (020) 7946 0958; in pairs after it, or
  // led by a trunk digit: (11) 91234-5678, 8 (495) 123-45-67.
  if (/^\(\d{2,5}\) ?\d{3,4}[ .-]?\d{3,4}$/.test(text)) return true;
  if (/^(?:[78] ?)?\(\d{2,5}\) ?\d{2,5}(?:[ .-]\d{2,4}){1,3}$/.test(text) && n >= 9 && n <= 12) return true;
  // North American 3-3-4 with consistent separators, optionally led by 1, or the common
  // mix 415 555-2671.
  if (/^(?:1[ .-])?\d{3}([ .-])\d{3}\1\d{4}$/.test(text)) return true;
  if (/^(?:1 )?\d{3}[ .]\d{3}-\d{4}$/.test(text)) return true;
  // German area code and number split by a slash: 030/901820, 0171/1234567.
  if (/^0\d{2,4}\/\d{4,8}$/.test(text) && n >= 9 && n <= 12) return true;
  // Local 7-digit 555-0199; dash only, since 555.0199 and 555 0199 read as numbers.
  if (/^\d{3}-\d{4}$/.test(text)) return true;
  // National with trunk prefix 0 (most of Europe, UK, India, Australia): 020 7946 0958,
  // 06 12 34 56 78.
  return /^0\d{1,4}(?:[ .-]\d{2,8})+$/.test(text) && n >= 9 && n <= 12;
}

/** Any 7–15 digit number that is not a date, when a cue word says it is a phone number. */
function cuedPhone(text: string): boolean {
  const n = digitCount(text);
  // A slash joins a date or a ratio far more often than the groups of a phone number.
  return n >= 7 && n <= 15 && !DATE_LIKE.some((re) => re.test(text)) && !(text.includes('/') && !/^0\d{2,4}\/\d{4,8}$/.test(text));
}

/** After an id label only an international number (`+44 …`, `(+44) …`) is still a phone. */
function internationalPhone(text: string): boolean {
  return /^\(?\+\d/.test(text) && structuredPhone(text);
}

// ---------------------------------------------------------------- detection

/** A detector's find; a `shield` is blanked out for later detectors but not reported. */
type Found = Span & { shield?: boolean };

function emails(text: string): Span[] {
  return [...text.matchAll(EMAIL)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** Grouped like a card (4-4-4-4, 4-6-5) with a card's digit count, whatever its check digit. */
function cardShaped(run: string): boolean {
  const n = digitCount(run);
  return /[ -]/.test(run) && n >= 13 && n <= 19 && cardGrouping(run);
}

/**
 * Cards, found as sub-runs of digit runs. A run in fours longer than any card (a parcel
 * number) holds no card, except one printed with its expiry year after it. A mistyped
 * card (card-shaped, fails Luhn) is shielded: its digits are not a phone either.
 */
function cards(text: string): Found[] {
  const spans: Found[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    const run = m[0];
    if (NOT_A_CARD.test(before(text, m.index))) {
      // A tracking number or an ISBN is shielded; a short number after such a word (the
      // house number in "parcel at 1 Willow Road") is left to the other detectors.
      if (digitCount(run) >= PHONE_DIGITS.min) spans.push({ start: m.index, end: m.index + run.length, shield: true });
      continue;
    }
    // A 12-digit card is the whole run (not the head or tail of a mistyped longer card),
    // after a card word or with a Maestro prefix.
    const accept = (t: string): boolean =>
      isCard(t) && (digitCount(t) > CARD_DIGITS.min || (t.length === run.length && (MAESTRO_PREFIX.test(t) || CARD_CUE.test(before(text, m.index)))));
    let found = pickSpans(run, partsOf(run), CARD_DIGITS, accept);
    if (digitCount(run) > CARD_DIGITS.max && cardGrouping(run)) {
      found = found.filter(([start, end]) => start === 0 && /^[ -](?:19|20)\d\d$/.test(run.slice(end)));
    }
    if (found.length === 0 && cardShaped(run)) spans.push({ start: m.index, end: m.index + run.length, shield: true });
    for (const [start, end] of found) spans.push({ start: m.index + start, end: m.index + end });
  }
  return spans;
}

function phones(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    const candidate = m[0];
    const end = m.index + candidate.length;
    const rest = text.slice(end, end + 32);
    const extension = EXTENSION.exec(rest)?.[0] ?? '';
    // Glued to a word (2024-01-15T10) or a unit (15%), or a dashed segment of a longer
    // token (a UUID, a SKU), it is not a phone number, unless what is glued on is an
    // extension or says which line it is (-Fax, (home)).
    const glued = /^[\p{L}_%]/u.test(rest) || /^-[\p{L}\p{N}]/u.test(rest);
    if (glued && !extension && !GLUED_LABEL.test(rest)) continue;
    // An account number is no phone, and nor is its head (038-850214 of 038-850214-28).
    if (accountTail(candidate) && !/^\(?\+/.test(candidate)) continue;
    const context = before(text, m.index);
    const parts = partsOf(candidate);
    let found: Array<[number, number]>;
    if (NOT_A_PHONE.test(context)) {
      found = pickSpans(candidate, parts, PHONE_DIGITS, internationalPhone);
    } else {
      found = pickSpans(candidate, parts, PHONE_DIGITS, structuredPhone);
      if (found.length === 0 && PHONE_CUE.test(context)) {
        found = pickSpans(candidate, parts, PHONE_DIGITS, cuedPhone);
      }
    }
    for (const [start, stop] of found) {
      spans.push({ start: m.index + start, end: m.index + stop + (stop === candidate.length ? extension.length : 0) });
    }
  }
  return spans;
}

/** IBANs; a mistyped one (bad check digits) is shielded, its digits are no phone or card either. */
function ibans(text: string): Found[] {
  return ibanShapes(text).map(({ start, end, valid }) => ({ start, end, shield: !valid }));
}

/**
 * Detectors in the order they run. Each sees the text with earlier finds blanked out,
 * so digits inside a key or an IBAN are never read again as a phone or a card.
 */
const DETECTORS: ReadonlyArray<[PiiKind, (text: string) => Found[]]> = [
  ['secret', detectSecrets],
  ['email', emails],
  ['iban', ibans],
  ['national_id', (text) => nationalIdShapes(text).map(({ start, end, invalid }) => ({ start, end, shield: invalid }))],
  ['ip', detectIps],
  ['card', cards],
  // Before phones: a postcode (150-0002) or house number is part of the address.
  ['address', detectAddresses],
  ['phone', phones],
  // Last: a name is read from the words left, with e-mail addresses already blanked.
  ['name', detectNames],
];

/** Stands in for found characters: not a letter, digit, space or punctuation any detector reads. */
const BLANK = '\uE000';

/**
 * Runs the detectors on a screening copy, in text order, with ranges into that copy. All
 * detectors always run (so, say, a key's digits are never taken for a phone); `kinds`
 * only filters what is returned.
 */
function detectInCopy(text: string, kinds: readonly PiiKind[]): PiiMatch[] {
  let masked = text;
  const matches: PiiMatch[] = [];
  for (const [kind, detect] of DETECTORS) {
    const spans = detect(masked);
    if (spans.length === 0) continue;
    let next = '';
    let at = 0;
    for (const { start, end, shield } of spans) {
      if (start < at) continue;
      if (!shield && kinds.includes(kind)) matches.push({ kind, start, end, value: text.slice(start, end) });
      next += masked.slice(at, start) + BLANK.repeat(end - start);
      at = end;
    }
    masked = next + masked.slice(at);
  }
  return matches.sort((a, b) => a.start - b.start);
}

/**
 * Finds personal data and credentials, in text order, with ranges into `text`. The
 * detectors read the screening copy of `text` (see normalizeForScreening), so a value
 * disguised with zero-width characters, full-width or other scripts' digits, no-break
 * spaces or look-alike letters is found, and its range covers every character of `text`
 * it was read from, invisible ones inside it included. All detectors always run;
 * `kinds` only filters what is returned.
 */
export function detectPii(text: string, kinds: readonly PiiKind[] = KINDS): PiiMatch[] {
  const copy = normalizeForScreening(text);
  const found = detectInCopy(copy.text, kinds);
  if (copy.text === text) return found;
  const matches: PiiMatch[] = [];
  let taken = 0;
  for (const m of found) {
    const range = copy.toOriginal(m.start, m.end);
    // Two finds in the expansion of one original character (NFKC: ½ is 1⁄2) must not overlap.
    const start = Math.max(range.start, taken);
    if (range.end <= start) continue;
    // A credential is matched character for character: keep it as written.
    const value = m.kind === 'secret' ? text.slice(start, range.end) : m.value;
    matches.push({ kind: m.kind, start, end: range.end, value });
    taken = range.end;
  }
  return matches;
}

// ---------------------------------------------------------------- redaction

function summary(counts: Record<Kind, number>): Redaction[] {
  return KINDS.filter((k) => counts[k] > 0).map((kind) => ({ kind, count: counts[kind] }));
}

/** How a PiiRedactor is set up. */
export interface PiiRedactorOptions {
  /**
   * Placeholders already handed out in this task (from `vault()` of an earlier
   * redactor): the same values keep their placeholders and new ones continue the
   * numbering. To store a vault without some values (secrets), keep their entries with
   * an empty value: the numbers stay taken and such entries are never restored.
   */
  vault?: PiiVault;
  /** Kinds to replace (default all). Other kinds are still recognised, and left as they are. */
  kinds?: readonly PiiKind[];
}

/**
 * Redacts several texts that belong together (the fields of one task) with one
 * numbering, so the same address gets the same placeholder in every field and two
 * different ones never share one. Use one instance per task; it holds the values seen,
 * and `vault()` hands them out for a policy that may put some back.
 */
export class PiiRedactor {
  private readonly placeholders: Placeholders;
  private readonly kinds: readonly PiiKind[];

  constructor(options: PiiRedactorOptions = {}) {
    this.placeholders = new Placeholders(options.vault);
    this.kinds = options.kinds ?? KINDS;
  }

  /** Redacts one text; `redactions` counts only what this call replaced. */
  redact(text: string): RedactionResult {
    const before = { ...this.placeholders.counts };
    const out = this.redactText(text);
    return { text: out, redactions: this.since(before) };
  }

  /**
   * Redacts every string in a JSON-like value, object keys included (an address can be
   * a key), without modifying the input.
   */
  redactDeep(value: unknown): { value: unknown; redactions: Redaction[] } {
    const before = { ...this.placeholders.counts };
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redactText(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).map(([k, inner]) => [this.redactText(k), walk(inner)]));
      }
      return v;
    };
    const out = walk(value);
    return { value: out, redactions: this.since(before) };
  }

  /** Everything this redactor replaced so far (a seeded vault's earlier replacements are not counted). */
  get redactions(): Redaction[] {
    return summary(this.placeholders.counts);
  }

  /**
   * Placeholder → kind and value, for every placeholder of the task so far (seeded ones
   * included). Values are as `detectPii` reads them: an address, phone or card written
   * with invisible characters, full-width digits or look-alike letters is stored
   * normalized (john@example.com), secrets as printed. A copy: it holds the very data
   * redaction hides, so keep it where the task's input is kept and never send it to a
   * model.
   */
  vault(): PiiVault {
    return Object.fromEntries(Object.entries(this.placeholders.vault).map(([k, v]) => [k, { ...v }]));
  }

  private redactText(text: string): string {
    let out = '';
    let at = 0;
    for (const m of detectPii(text, this.kinds)) {
      out += text.slice(at, m.start) + this.placeholders.for(m.kind, m.value);
      at = m.end;
    }
    return out + text.slice(at);
  }

  private since(before: Record<Kind, number>): Redaction[] {
    const delta = zeroCounts();
    for (const k of KINDS) delta[k] = this.placeholders.counts[k] - before[k];
    return summary(delta);
  }
}

/**
 * Replaces personal data and credentials with placeholders such as `[EMAIL_1]`,
 * `[PHONE_1]`, `[CARD_1]`, `[IBAN_1]`, `[NATIONAL_ID_1]`, `[IP_1]`, `[SECRET_1]`.
 * Cards need 12–19 digits that pass Luhn, printed as one block or in the usual 4-4-4-4 /
 * 4-6-5 groups (12 digits only after a card word or with a Maestro prefix). Phones need
 * 7–15 digits and either a recognisable format (leading + or 00, area code in
 * parentheses, 3-3-4, 3-4, national number with trunk 0) or a cue word such as "phone"
 * or "call" just before or ending the line above; an extension (`x12`, `ext. 12`) goes
 * with the number. IBANs (any case) and national ids are checked against their check
 * digits; IPs are v4 dotted quads or v6; secrets are provider keys, tokens,
 * private keys and high-entropy values assigned to password-like keys. Years, amounts,
 * dates, versions and plain ids are left alone. Tuned to miss few real values without
 * eating ordinary ones; it is a guard, not a DLP engine.
 * Numbering starts at 1 per call: for several fields of one task use a PiiRedactor.
 */
export function redactPii(text: string): RedactionResult {
  return new PiiRedactor().redact(text);
}
