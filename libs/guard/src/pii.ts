/** What kind of personal data was replaced, and how many occurrences. */
export interface Redaction {
  /** Kind of data. */
  kind: 'email' | 'phone' | 'card';
  /** Occurrences replaced (the same value twice counts twice). */
  count: number;
}

/** Text with personal data replaced by numbered placeholders, and what was replaced. */
export interface RedactionResult {
  /** The redacted text. */
  text: string;
  /** One entry per kind found, in the order email, phone, card; empty when nothing was found. */
  redactions: Redaction[];
}

type Kind = Redaction['kind'];
const KINDS: readonly Kind[] = ['email', 'phone', 'card'];

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

/**
 * Hands out placeholders: the same value (normalized) gets the same number, so a model
 * still sees that two mentions are one person.
 */
class Placeholders {
  private readonly seen = new Map<string, string>();
  private readonly next: Record<Kind, number> = { email: 1, phone: 1, card: 1 };
  readonly counts: Record<Kind, number> = { email: 0, phone: 0, card: 0 };

  for(kind: Kind, normalized: string): string {
    this.counts[kind] += 1;
    const key = `${kind}:${normalized}`;
    let placeholder = this.seen.get(key);
    if (!placeholder) {
      placeholder = `[${kind.toUpperCase()}_${this.next[kind]++}]`;
      this.seen.set(key, placeholder);
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
  return [...candidate.matchAll(/\(\d{1,5}\)|\d+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
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

function replaceSpans(candidate: string, spans: Array<[number, number]>, replace: (text: string) => string): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += candidate.slice(at, start) + replace(candidate.slice(start, end));
    at = end;
  }
  return out + candidate.slice(at);
}

// ---------------------------------------------------------------- cards

/**
 * Runs of digit groups joined by single spaces or dashes. Not inside words, not after a
 * `+` (an international phone) and not part of a decimal number.
 */
const DIGIT_RUN = /(?<![\p{L}\p{N}_+]|\d[.,])\d+(?:[ -]\d+)*(?![\p{L}\p{N}_]|[.,]\d)/gu;

const CARD_DIGITS = { min: 13, max: 19 };

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
    digits.length >= 13 &&
    digits.length <= 19 &&
    cardGrouping(text) &&
    // A filler such as 0000 0000 0000 0000 passes Luhn but identifies no one.
    !/^(\d)\1+$/.test(digits) &&
    luhnValid(digits)
  );
}

// ---------------------------------------------------------------- phones

/**
 * Digit groups joined by at most one space, dot or dash, optionally led by `+` and with
 * parenthesised groups. Not after letters, currency signs or a decimal point. Digits
 * follow a separator or a `)`, never other digits, so there is one way to split a
 * candidate and no backtracking blow-up.
 */
const PHONE_CANDIDATE =
  /(?<![\p{L}\p{N}_+$€£¥]|\d[.,])\+?(?:\(\d{1,5}\)|\d+)(?:[ .-]?\(\d{1,5}\)|(?:[ .-]|(?<=\)))\d+)*/gu;

const PHONE_DIGITS = { min: 7, max: 15 };

const DATE_LIKE = [/^\d{4}([-./])\d{1,2}\1\d{1,2}$/, /^\d{1,2}([-./])\d{1,2}\1\d{2,4}$/];

/** Words right before a number that make it a phone number whatever its format. */
const PHONE_CUE =
  /(?:^|[^\p{L}])(?:phone|telephone|tel|mobile|mob|cell|cellphone|call|fax|whatsapp|sms|ph)[^\p{L}\p{N}\n]{0,3}(?:(?:me|us|him|her|them|at|on|via|no|nr|number|#)[^\p{L}\p{N}\n]{0,3}){0,3}$/iu;

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}

/** Formats that are phone numbers on their own, without any cue word. */
function structuredPhone(text: string): boolean {
  const n = digitCount(text);
  if (n < 7 || n > 15 || DATE_LIKE.some((re) => re.test(text))) return false;
  // International: a leading + is an unambiguous signal.
  if (/^\+\d/.test(text)) return true;
  // International with the 00 exit code instead of +: 0049 30 1234567.
  if (/^00[1-9]\d{0,2}[ .-]\d/.test(text) && n >= 9) return true;
  // Area code in parentheses: (415) 555-2671, (020) 7946 0958.
  if (/^\(\d{2,5}\) ?\d{3,4}[ .-]?\d{3,4}$/.test(text)) return true;
  // North American 3-3-4 with consistent separators, optionally led by 1.
  if (/^(?:1[ .-])?\d{3}([ .-])\d{3}\1\d{4}$/.test(text)) return true;
  // Local 7-digit 555-0199; dash only, since 555.0199 and 555 0199 read as numbers.
  if (/^\d{3}-\d{4}$/.test(text)) return true;
  // National with trunk prefix 0 (most of Europe, UK, India, Australia): 020 7946 0958, 06 12 34 56 78.
  return /^0\d{1,4}(?:[ .-]\d{2,8})+$/.test(text) && n >= 9 && n <= 12;
}

/** Any 7–15 digit number that is not a date, when a cue word says it is a phone number. */
function cuedPhone(text: string): boolean {
  const n = digitCount(text);
  return n >= 7 && n <= 15 && !DATE_LIKE.some((re) => re.test(text));
}

// ---------------------------------------------------------------- redaction

function summary(counts: Record<Kind, number>): Redaction[] {
  return KINDS.filter((k) => counts[k] > 0).map((kind) => ({ kind, count: counts[kind] }));
}

/**
 * Redacts several texts that belong together (the fields of one task) with one
 * numbering, so the same address gets the same placeholder in every field and two
 * different ones never share one. Use one instance per task; it holds the values seen.
 */
export class PiiRedactor {
  private readonly placeholders = new Placeholders();

  /** Redacts one text; `redactions` counts only what this call replaced. */
  redact(text: string): RedactionResult {
    const before = { ...this.placeholders.counts };
    const out = redactWith(text, this.placeholders);
    return { text: out, redactions: this.since(before) };
  }

  /**
   * Redacts every string in a JSON-like value, object keys included (an address can be
   * a key), without modifying the input.
   */
  redactDeep(value: unknown): { value: unknown; redactions: Redaction[] } {
    const before = { ...this.placeholders.counts };
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return redactWith(v, this.placeholders);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).map(([k, inner]) => [redactWith(k, this.placeholders), walk(inner)]));
      }
      return v;
    };
    const out = walk(value);
    return { value: out, redactions: this.since(before) };
  }

  private since(before: Record<Kind, number>): Redaction[] {
    const delta: Record<Kind, number> = { email: 0, phone: 0, card: 0 };
    for (const k of KINDS) delta[k] = this.placeholders.counts[k] - before[k];
    return summary(delta);
  }

  /** Everything this redactor replaced so far. */
  get redactions(): Redaction[] {
    return summary(this.placeholders.counts);
  }
}

/**
 * Replaces e-mail addresses, phone numbers and payment card numbers with placeholders
 * such as `[EMAIL_1]`, `[PHONE_1]`, `[CARD_1]`. Cards need 13–19 digits that pass Luhn,
 * printed as one block or in the usual 4-4-4-4 / 4-6-5 groups. Phones need 7–15 digits
 * and either a recognisable format (leading + or 00, area code in parentheses, 3-3-4,
 * 3-4, national number with trunk 0) or a cue word such as "phone" or "call" just before.
 * Years, amounts, dates, ranges and plain ids are left alone. Tuned to miss few real
 * numbers without eating ordinary ones; it is a guard, not a DLP engine.
 * Numbering starts at 1 per call: for several fields of one task use a PiiRedactor.
 */
export function redactPii(text: string): RedactionResult {
  return new PiiRedactor().redact(text);
}

function redactWith(text: string, placeholders: Placeholders): string {
  let out = text.replace(EMAIL, (email) => placeholders.for('email', email.toLowerCase()));

  out = out.replace(DIGIT_RUN, (run) => {
    const spans = pickSpans(run, partsOf(run), CARD_DIGITS, isCard);
    return replaceSpans(run, spans, (card) => placeholders.for('card', card.replace(/\D/g, '')));
  });

  return out.replace(PHONE_CANDIDATE, (candidate: string, offset: number, whole: string) => {
    const after = whole.charAt(offset + candidate.length);
    // Glued to a word (2024-01-15T10) or a unit (15%) it is a token, not a phone number.
    if (/[\p{L}_%]/u.test(after)) return candidate;
    const parts = partsOf(candidate);
    let spans = pickSpans(candidate, parts, PHONE_DIGITS, structuredPhone);
    if (spans.length === 0 && PHONE_CUE.test(whole.slice(Math.max(0, offset - 40), offset))) {
      spans = pickSpans(candidate, parts, PHONE_DIGITS, cuedPhone);
    }
    return replaceSpans(candidate, spans, (phone) => placeholders.for('phone', phone.replace(/[^\d+]/g, '')));
  });
}
