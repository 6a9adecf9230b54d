import type { Span } from './spans';

/**
 * The copy of a text that the detectors read, and the way back to the text it was made
 * from. The copy is for screening only: what a model sees is the original text, with
 * found ranges replaced.
 */
export interface ScreeningCopy {
  /** The normalized text. */
  readonly text: string;
  /**
   * True when every character of `text` stands at the index of the original character
   * it was made from (nothing was removed or expanded): ranges map to themselves.
   */
  readonly identity: boolean;
  /**
   * The range of the original text that the range [start, end) of `text` was made from:
   * every original character that contributed to it, and the removed invisible
   * characters between them. An empty range maps to an empty range.
   */
  toOriginal(start: number, end: number): Span;
}

// ---------------------------------------------------------------- character classes

/**
 * Characters that show nothing: format controls (zero-width space and joiners, word
 * joiner, byte-order mark, soft hyphen, bidi controls, tag characters: category Cf),
 * the combining grapheme joiner, variation selectors, Hangul fillers and the Khmer
 * inherent vowels. They are dropped from the screening copy.
 */
const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0]|\u034F|\u17B4|\u17B5|[\u180B-\u180F]|[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}]/u;
const SPACE = /\p{Zs}/u;
const LINE_BREAK = /[\p{Zl}\p{Zp}]/u;
const DASH = /\p{Pd}/u;
const DIGIT = /\p{Nd}/u;
/** Full stops that IDNA reads as the dot between domain labels (U+FF0E already folds under NFKC). */
const LABEL_DOT = /[\u3002\uFF61]/u;
const MARK = /\p{M}/u;
/**
 * Hangul vowel and final-consonant jamo: not marks, but NFKC joins them to the jamo or
 * syllable before them, so they are read with it like marks.
 */
const JAMO_VT = /[\u1160-\u11FF\uD7B0-\uD7FF]/u;

/**
 * Characters worth a closer look when a page of characters is classified: those a step
 * other than NFKC changes, and those read with the character before them.
 */
const NOTABLE = new RegExp(`${INVISIBLE.source}|${LABEL_DOT.source}|(?![ 0-9-])[\\p{Zs}\\p{Zl}\\p{Zp}\\p{Pd}\\p{Nd}]|\\p{M}|${JAMO_VT.source}`, 'gu');
const NON_ASCII = /[\u0080-\u{10FFFF}]/u;
/**
 * Most combining marks normalized with one base character, as in the Stream-Safe Text
 * Format of UAX #15: NFKC reorders a run of marks in time quadratic in its length, so a
 * longer run is normalized in pieces of this size.
 */
const MAX_MARKS = 30;

/** What the copy does with a character, on its own. */
const KEEP = 0;
/** NFKC changes it (full-width forms, ligatures, compatibility spaces). */
const COMPAT = 1;
const DROP = 2;
const TO_SPACE = 3;
const TO_LINE_BREAK = 4;
const TO_DASH = 5;
const TO_DOT = 6;
const TO_DIGIT = 7;
const ACTION = 7;
/** Set on combining marks, which are normalized with the character before them. */
const IS_MARK = 8;

function classify(ch: string): number {
  const mark = MARK.test(ch) || JAMO_VT.test(ch) ? IS_MARK : 0;
  if (ch.normalize('NFKC') !== ch) return COMPAT | mark;
  if (INVISIBLE.test(ch)) return DROP | mark;
  if (SPACE.test(ch)) return TO_SPACE | mark;
  if (LINE_BREAK.test(ch)) return TO_LINE_BREAK | mark;
  if (DASH.test(ch)) return TO_DASH | mark;
  if (LABEL_DOT.test(ch)) return TO_DOT | mark;
  if (DIGIT.test(ch)) return TO_DIGIT | mark;
  return mark;
}

/**
 * Classes of characters, 256 code points to a page, a page built the first time one of
 * its characters is met (at most 4352 pages of 256 bytes), so a text is screened with a
 * table look per character instead of a Unicode property regex. Most pages hold nothing
 * that changes, and are built from one NFKC call and one regex scan.
 */
const PAGES: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(0x1100).fill(undefined);

function buildPage(page: number): Uint8Array {
  const classes = new Uint8Array(256);
  const base = page << 8;
  // Surrogate code points stand alone in no text; a space keeps their place.
  const chars = Array.from({ length: 256 }, (_, k) => (base + k >= 0xd800 && base + k <= 0xdfff ? ' ' : String.fromCodePoint(base + k)));
  const all = chars.join('');
  // A character NFKC changes on its own changes every text it is in: if the page as
  // one string is stable, so is each of its characters.
  if (all.normalize('NFKC') === all) {
    const width = base > 0xffff ? 2 : 1;
    for (const m of all.matchAll(NOTABLE)) classes[m.index / width] = classify(m[0]);
  } else {
    chars.forEach((ch, k) => (classes[k] = ch === ' ' ? KEEP : classify(ch)));
  }
  return classes;
}

function classOf(cp: number): number {
  if (cp < 0x80) return KEEP;
  const page = PAGES[cp >> 8] ?? (PAGES[cp >> 8] = buildPage(cp >> 8));
  return page[cp & 0xff];
}

/** Code point of a decimal digit → code point of the zero of its set (filled on demand). */
const DIGIT_ZERO = new Map<number, number>();

/**
 * The value of a decimal digit of any script. Unicode encodes every set of decimal
 * digits (Nd) as ten consecutive code points, 0 to 9, and sets that follow each other
 * directly (mathematical digits) are whole sets of ten; so the value is the distance to
 * the start of the run of digits, modulo 10.
 */
function digitValue(cp: number): number {
  let zero = DIGIT_ZERO.get(cp);
  if (zero === undefined) {
    zero = cp;
    while (zero - 1 > cp - 50 && DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
    DIGIT_ZERO.set(cp, zero);
  }
  return (cp - zero) % 10;
}

/** One character as the copy spells it, by its class; '' drops it. */
function screenChar(ch: string, cp: number, action: number): string {
  switch (action) {
    case COMPAT:
      return screenNormalized(ch.normalize('NFKC'));
    case DROP:
      return '';
    case TO_SPACE:
      return ' ';
    case TO_LINE_BREAK:
      return '\n';
    case TO_DASH:
      return '-';
    case TO_DOT:
      return '.';
    case TO_DIGIT:
      return String(digitValue(cp));
    default:
      return ch;
  }
}

/** Text already in NFKC, each character spelled as the copy spells it. */
function screenNormalized(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const action = classOf(cp) & ACTION;
    // Characters of NFKC output are stable on their own; COMPAT here would be a Unicode surprise.
    out += action === COMPAT ? ch : screenChar(ch, cp, action);
  }
  return out;
}

/** Whether the character at `i` is a combining mark. */
function markAt(text: string, i: number): boolean {
  // No combining mark comes before U+0300.
  if (!(text.charCodeAt(i) >= 0x300)) return false;
  return (classOf(text.codePointAt(i) ?? 0) & IS_MARK) !== 0;
}

// ---------------------------------------------------------------- look-alike letters

/**
 * Letters of other scripts that print like a Latin letter, after the confusables of
 * Unicode TR39 (https://www.unicode.org/reports/tr39/#Confusable_Detection), limited to
 * those whose look-alike is one ASCII letter of the same case. Written as code point and
 * letter, since the letters themselves cannot be told apart on screen. Full-width and
 * mathematical letters are not listed: NFKC already folds them. Digits are never folded
 * (TR39 would read O as 0 and l as 1; a digit detector must not).
 */
const LOOK_ALIKE_TABLE =
  // Cyrillic capitals: А В Е Ѕ І Ј К М Н О Р С Т Х У Ү Һ Ӏ Ԍ Ԛ Ԝ
  '0410A 0412B 0415E 0405S 0406I 0408J 041AK 041CM 041DH 041EO 0420P 0421C 0422T 0425X 0423Y 04AEY 04BAH 04C0l 050CG 051AQ 051CW ' +
  // Cyrillic small: а е о р с у х ѕ і ј һ ԁ ԛ ԝ ӏ ү
  '0430a 0435e 043Eo 0440p 0441c 0443y 0445x 0455s 0456i 0458j 04BBh 0501d 051Bq 051Dw 04CFl 04AFy ' +
  // Greek capitals: Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ Ϳ
  '0391A 0392B 0395E 0396Z 0397H 0399I 039AK 039CM 039DN 039FO 03A1P 03A4T 03A5Y 03A7X 037FJ ' +
  // Greek small: α γ ι ν ο ρ υ ϳ
  '03B1a 03B3y 03B9i 03BDv 03BFo 03C1p 03C5u 03F3j ' +
  // Armenian: Օ Ս Տ Լ օ ս ո հ ց զ
  '0555O 054DU 054FS 053CL 0585o 057Du 0578n 0570h 0581g 0566q ' +
  // Latin outside ASCII: dotless ı, script ɑ and ɡ, iota ɩ, dental click ǀ
  '0131i 0251a 0261g 0269i 01C0l';

/** Code unit of a look-alike (all sit below U+0600) → code of its ASCII letter; 0 for none. */
const LOOK_ALIKES = new Uint8Array(0x600);
for (const entry of LOOK_ALIKE_TABLE.split(' ')) LOOK_ALIKES[parseInt(entry.slice(0, 4), 16)] = entry.charCodeAt(4);
const LOOK_ALIKE = new RegExp(`[${LOOK_ALIKE_TABLE.split(' ')
  .map((entry) => `\\u${entry.slice(0, 4)}`)
  .join('')}]`);

const isAsciiAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** The spaces left in a copy: every other space separator became U+0020 or a line break. */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

function foldWord(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const latin = c < 0x600 ? LOOK_ALIKES[c] : 0;
    out += latin ? String.fromCharCode(latin) : word[i];
  }
  return out;
}

/**
 * Folds look-alike letters in words that also hold ASCII letters or digits (jоhn with a
 * Cyrillic о, ЕХАМРLЕ, АКІА followed by a key), in the spirit of TR39's mixed-script
 * confusables. Words written wholly in Cyrillic, Greek or Armenian are left as they are,
 * so prose in those scripts reads the same to every detector. A word here is a run of
 * non-space characters, so an address counts as one word. One character for one; one
 * pass over the text.
 */
function foldLookAlikes(text: string): string {
  if (!LOOK_ALIKE.test(text)) return text;
  let out = '';
  let copied = 0;
  let word = 0;
  let ascii = false;
  let lookAlike = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x20;
    if (isSpace(c)) {
      if (ascii && lookAlike) {
        out += text.slice(copied, word) + foldWord(text.slice(word, i));
        copied = i;
      }
      word = i + 1;
      ascii = lookAlike = false;
    } else if (c < 0x80) {
      ascii ||= isAsciiAlnum(c);
    } else if (c < 0x600 && LOOK_ALIKES[c] !== 0) {
      lookAlike = true;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// ---------------------------------------------------------------- card separators

/**
 * Digit groups joined by dots or by slashes, at most five groups, not inside a longer
 * dotted number, a path, a word or a decimal (a full stop after it ends a sentence).
 */
const DOTTED_GROUPS = /(?<![\p{L}\p{N}_./])\d{4}([./])\d{4,6}(?:\1\d{1,5}){1,3}(?![\p{L}\p{N}_/]|[.,][\p{L}\p{N}])/gu;

/** Grouped as card numbers are printed (4-4-4-4 with a shorter last group, 4-6-5, 4-6-4), 12–19 digits. */
function cardGroups(run: string): boolean {
  const groups = run.split(/[./]/).map((g) => g.length);
  const digits = groups.reduce((a, b) => a + b, 0);
  if (digits < 12 || digits > 19) return false;
  const last = groups[groups.length - 1];
  if (groups.slice(0, -1).every((n) => n === 4) && last <= 4) return true;
  return groups.length === 3 && groups[1] === 6 && (last === 5 || last === 4);
}

/**
 * A card number printed with dots or slashes between its groups (4111.1111.1111.1111)
 * gets spaces there, as card detection expects. Only runs grouped like a card change,
 * so dates (12/05/2024), versions (1.2.3) and addresses keep their separators.
 */
function spaceCardGroups(text: string): string {
  if (!/\d{4}[./]\d{4}/.test(text)) return text;
  return text.replace(DOTTED_GROUPS, (run) => (cardGroups(run) ? run.replace(/[./]/g, ' ') : run));
}

// ---------------------------------------------------------------- building the copy

/**
 * Writes the copy, and a map from each copy character to the original range it came
 * from. The map is only allocated at the first change that is not one character for
 * one; until then copy index = original index.
 */
class CopyWriter {
  text = '';
  /** Original characters read so far. */
  private read = 0;
  /** Original range of copy character i at [2i, 2i + 1]; undefined while the map is the identity. */
  private map?: Int32Array;
  /** Copy characters in the map. */
  private mapped = 0;

  constructor(private readonly source: string) {}

  /** Copies the original up to `to` unchanged. */
  keepUpTo(to: number): void {
    if (to <= this.read) return;
    this.text += this.source.slice(this.read, to);
    if (this.map) {
      const map = this.reserve(to - this.read);
      for (let k = this.read; k < to; k++) this.push(map, k, k + 1);
    }
    this.read = to;
  }

  /** Writes `replacement` for the original characters [read, to), which spell `original`. */
  replace(to: number, original: string, replacement: string): void {
    const from = this.read;
    this.read = to;
    this.text += replacement;
    const even = replacement.length === to - from && (replacement.length === 1 || replacement === original);
    if (even && this.map === undefined) return;
    if (this.map === undefined) {
      // Everything before stands at its own index.
      this.map = new Int32Array(2 * Math.max(16, this.source.length + 16));
      for (let k = 0; k < from; k++) this.push(this.map, k, k + 1);
    }
    const map = this.reserve(replacement.length);
    for (let k = 0; k < replacement.length; k++) this.push(map, from, to);
  }

  finish(): ScreeningCopy {
    // Nothing changed: the source itself.
    if (this.read === 0) return identityCopy(this.source);
    this.keepUpTo(this.source.length);
    const { map, mapped, text } = this;
    const sourceLength = this.source.length;
    if (!map) return identityCopy(text);
    return {
      text,
      identity: false,
      toOriginal(start, end) {
        checkRange(start, end, mapped);
        if (end === start) {
          const at = start < mapped ? map[2 * start] : sourceLength;
          return { start: at, end: at };
        }
        return { start: map[2 * start], end: map[2 * end - 1] };
      },
    };
  }

  private push(map: Int32Array, start: number, end: number): void {
    map[2 * this.mapped] = start;
    map[2 * this.mapped + 1] = end;
    this.mapped++;
  }

  /** The map, grown to take `more` characters. */
  private reserve(more: number): Int32Array {
    const map = this.map ?? new Int32Array(0);
    if (2 * (this.mapped + more) <= map.length) return map;
    const grown = new Int32Array(Math.max(map.length * 2, 2 * (this.mapped + more)));
    grown.set(map.subarray(0, 2 * this.mapped));
    this.map = grown;
    return grown;
  }
}

function checkRange(start: number, end: number, length: number): void {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= length)) {
    throw new RangeError(`not a range of the screening copy: [${start}, ${end}) of ${length}`);
  }
}

function identityCopy(text: string): ScreeningCopy {
  return {
    text,
    identity: true,
    toOriginal(start, end) {
      checkRange(start, end, text.length);
      return { start, end };
    },
  };
}

/**
 * Makes the copy of a text that PII and secret detection read, so that a value written
 * to slip past them is still found: Unicode NFKC (full-width and mathematical forms,
 * compatibility spaces), invisible characters dropped (zero-width space and joiners,
 * soft hyphen, bidi controls, variation selectors), every space separator to a plain
 * space, line and paragraph separators to a line break, dashes to `-`, ideographic full
 * stops to `.`, decimal digits of every script to ASCII digits, look-alike letters in
 * mixed-script words to Latin (see `foldLookAlikes`), and dots or slashes between the
 * groups of a card number to spaces. NFKC runs per base character with its combining
 * marks, so each copy character knows which original characters it came from.
 *
 * One pass, linear in the length of the text. Pure ASCII that needs no change comes back
 * as the same string with an identity map; text whose changes are all one character for
 * one (full-width digits, no-break spaces, other scripts' digits) needs no map either.
 */
export function normalizeForScreening(text: string): ScreeningCopy {
  if (!NON_ASCII.test(text)) return identityCopy(spaceCardGroups(text));
  const writer = new CopyWriter(text);
  screen(text, writer);
  const copy = writer.finish();
  const folded = spaceCardGroups(foldLookAlikes(copy.text));
  return folded === copy.text ? copy : { ...copy, text: folded };
}

/**
 * NFKC of a text in time linear in its length: as String.prototype.normalize, except that a
 * run of more than MAX_MARKS combining marks is normalized in pieces (the Stream-Safe Text
 * Format of UAX #15), since NFKC reorders a run in quadratic time (200,000 alternating marks
 * took half a minute). For screening only: a piece boundary may keep two marks unordered.
 */
export function nfkcStreamSafe(text: string): string {
  if (streamSafe(text)) return text.normalize('NFKC');
  let out = '';
  let start = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (!markAt(text, i)) run = 0;
    else if (++run > MAX_MARKS) {
      out += text.slice(start, i).normalize('NFKC');
      start = i;
      run = 1;
    }
  }
  return out + text.slice(start).normalize('NFKC');
}

/** Whether no run of combining marks in the text is longer than MAX_MARKS. */
function streamSafe(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (!markAt(text, i)) run = 0;
    else if (++run > MAX_MARKS) return false;
  }
  return true;
}

/**
 * Writes the copy chunk by chunk: a character and the combining marks after it (at most
 * MAX_MARKS; the next mark starts a chunk of its own). A single character goes by its
 * class; a chunk with marks is normalized whole (e + U+0301 is é), unless the whole text
 * is NFKC already, which is checked once, at the first such chunk.
 */
function screen(text: string, writer: CopyWriter): void {
  let stable: boolean | undefined;
  for (let at = 0; at < text.length; ) {
    const unit = text.charCodeAt(at);
    if (unit < 0x80 && !markAt(text, at + 1)) {
      // Skip to the next character that is not ASCII; an ASCII letter before a mark goes with it.
      let found = at + 1;
      while (found < text.length && text.charCodeAt(found) < 0x80) found++;
      at = found > at + 1 && markAt(text, found) ? found - 1 : found;
      continue;
    }
    const cp = text.codePointAt(at) ?? unit;
    let next = at + (cp > 0xffff ? 2 : 1);
    const single = next;
    for (let marks = 0; marks < MAX_MARKS && markAt(text, next); marks++) next += (text.codePointAt(next) ?? 0) > 0xffff ? 2 : 1;
    let replacement: string;
    if (next === single) {
      const action = classOf(cp) & ACTION;
      if (action === KEEP) {
        at = next;
        continue;
      }
      replacement = screenChar(text.slice(at, next), cp, action);
    } else {
      // Whole-text NFKC only when no run of marks could make it slow (it reorders a run in quadratic time).
      stable ??= streamSafe(text) && text.normalize('NFKC') === text;
      const chunk = text.slice(at, next);
      replacement = screenNormalized(stable ? chunk : chunk.normalize('NFKC'));
      if (replacement === chunk) {
        at = next;
        continue;
      }
    }
    writer.keepUpTo(at);
    writer.replace(next, text.slice(at, next), replacement);
    at = next;
  }
}
