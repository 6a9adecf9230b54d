import { decodeBase64 } from './secrets';

/**
 * Decoders that undo the rewrites attackers use to get instructions past a filter that
 * reads plain words: ROT13, leetspeak, reversed text, spaced-out letters, base64 and hex
 * blobs, and look-alike letters from other scripts. Each returns the decoded text (or
 * the decoded parts of it) for the detector to read again; none of them judges it.
 * All are linear in the length of their input, and `decodedVariants` caps what it
 * returns, so ordinary text costs little.
 */

export const DECODERS = ['rot13', 'leet', 'reversed', 'spaced', 'base64', 'hex', 'homoglyph', 'escaped', 'binary', 'morse'] as const;
export type DecoderName = (typeof DECODERS)[number];

/** One decoded reading of a text. */
export interface DecodedVariant {
  decoder: DecoderName;
  text: string;
}

// ---------------------------------------------------------------- ROT13 and reversal

/** Rotates Latin letters by 13 (its own inverse); everything else stays. */
export function rot13(text: string): string {
  return text.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(base + ((c.charCodeAt(0) - base + 13) % 26));
  });
}

/** The text backwards, by code point (so letters outside the BMP stay whole). */
export function reverseText(text: string): string {
  return Array.from(text).reverse().join('');
}

// ---------------------------------------------------------------- leetspeak

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '€': 'e', '!': 'i' };
const VOWEL = /[aeiouy]/;
/** A whole token of letters and the digits and signs leetspeak writes for letters, with at least one of each. */
const LEET_TOKEN = /(?<=^|[\s"'([«“])(?=[a-z013457-9@$€!]*[a-z])(?=[a-z013457-9@$€!]*(?:[013457-9@$€]|![a-z0-9]))[a-z013457-9@$€!]{3,}(?=$|[\s"')\]»”]|[,.:;?]+(?:\s|$))/gi;
/** A digit or sign written for a letter inside a word; leetspeak lines have several. */
const LEET_TRACE = /\p{L}[0134579@$€!]\p{L}|(?<![\p{L}\p{N}])[0134579@$€][\p{L}]{2}/gu;
/** Ordinals and quantities with units (3rd, 10am, 24h, 4k) are not leetspeak. */
const NOT_LEET = /^(?:\d*1st|\d*2nd|\d*3rd|\d+th|\d+(?:am|pm|h|k|m|x|s|kg|km|gb|mb|ms|px|pt))$/i;

/** Reads one leet token: 1 is `l` between vowels, next to an l or doubled (a11, ru1es), else `i`. */
function unleetToken(token: string): string {
  const chars = [...token.toLowerCase()];
  const plain = chars.map((c) => LEET[c] ?? c);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== '1') continue;
    const prev = plain[i - 1] ?? '';
    const next = plain[i + 1] ?? '';
    // A 1 closing a word after a vowel is an l far more often than an i (a11, initia1, wi11).
    const last = i === chars.length - 1 && VOWEL.test(prev);
    if (chars[i - 1] === '1' || chars[i + 1] === '1' || prev === 'l' || next === 'l' || (VOWEL.test(prev) && VOWEL.test(next)) || last) plain[i] = 'l';
  }
  return plain.join('');
}

/**
 * The lines of a text written in leetspeak, decoded ("1gn0r3 4ll" → "ignore all"), or
 * undefined when there are none. A line counts when at least two of its words, and at
 * least a third of them, mix letters with digits or signs; so "B2B" or "the 3rd at
 * 10am" in a sentence of plain words is left alone.
 */
export function unleet(text: string): string | undefined {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    let found = 0;
    const decoded = line.replace(LEET_TOKEN, (t) => {
      if (NOT_LEET.test(t)) return t;
      found++;
      return unleetToken(t);
    });
    const words = line.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
    if (found >= 2 && found * 3 >= words) lines.push(decoded);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

// ---------------------------------------------------------------- spaced letters

/** Single letters, each followed by one to three separators (or a line break): "i g n o r e", "i.g.n.o.r.e". */
const SPACED_RUN = /(?<![\p{L}\p{N}])\p{L}(?:(?:[ .\-_*·|/]{1,3}|\n)\p{L}(?![\p{L}\p{N}])){3,}/gu;

/** Words the segmenter knows, for runs with no visible word breaks ("i g n o r e a l l"). */
const VOCABULARY = new Set(
  (
    'a about above act admin administrator ai all an and answer any are as assistant at be before bypass by code data delete developer disregard do every everything forget ' +
    'for forward from give guidelines hidden i ignore in instructions is it key keys me message mode model my new no not now of on only or output override password ' +
    'pretend previous print prior prompt reveal rules say secret send show system tell the this to transfer unrestricted user verbatim what with you your'
  ).split(' '),
);
const LONGEST_WORD = Math.max(...[...VOCABULARY].map((w) => w.length));

/** Splits letters with no spaces into known words; unknown stretches stay as they are. Quadratic only in the word length. */
export function segmentWords(letters: string): string {
  const n = letters.length;
  // cost[i]: fewest unknown letters to cover letters[i..]; next[i]: end of the piece that starts at i.
  const cost = new Array<number>(n + 1).fill(0);
  const next = new Array<number>(n + 1).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    cost[i] = cost[i + 1] + 1;
    next[i] = i + 1;
    for (let j = i + 1; j <= Math.min(n, i + LONGEST_WORD); j++) {
      if (VOCABULARY.has(letters.slice(i, j)) && cost[j] <= cost[i]) {
        cost[i] = cost[j];
        next[i] = j;
      }
    }
  }
  const words: string[] = [];
  let unknown = '';
  for (let i = 0; i < n; i = next[i]) {
    const piece = letters.slice(i, next[i]);
    if (next[i] - i === 1 && !VOCABULARY.has(piece)) {
      unknown += piece;
      continue;
    }
    if (unknown) words.push(unknown);
    unknown = '';
    words.push(piece);
  }
  if (unknown) words.push(unknown);
  return words.join(' ');
}

/** Reads one run: the commonest separator joins letters, any other separates words. */
function readRun(run: string): string {
  const seps = run.match(/[^\p{L}]+/gu) ?? [];
  const counts = new Map<string, number>();
  for (const s of seps) counts.set(s, (counts.get(s) ?? 0) + 1);
  const inner = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const words: string[] = [];
  let word = '';
  for (const piece of run.split(/([^\p{L}]+)/u)) {
    if (piece === '') continue;
    if (/\p{L}/u.test(piece)) word += piece;
    else if (piece !== inner) {
      words.push(word);
      word = '';
    }
  }
  words.push(word);
  const joined = words.filter(Boolean);
  // No word breaks at all: the letters of several words run together.
  return joined.length === 1 && joined[0].length > 12 ? segmentWords(joined[0].toLowerCase()) : joined.join(' ');
}

/** Runs of spaced-out letters, each read as words ("i g n o r e  a l l" → "ignore all"); undefined when there are none. */
export function unspace(text: string): string | undefined {
  let out = '';
  let end = -1;
  for (const m of text.matchAll(SPACED_RUN)) {
    // Runs split by a short gap on the same line ("f_i_r_s_t 5_0 w_o_r_d_s") are one sentence.
    const gap = end < 0 ? '' : text.slice(end, m.index);
    const joined = end >= 0 && gap.length <= 8 && !gap.includes('\n');
    out += end < 0 ? '' : joined ? ` ${gap.replace(/[^\p{L}\p{N}]+/gu, '')} `.replace(/ {2,}/g, ' ') : '\n';
    out += readRun(m[0]);
    end = m.index + m[0].length;
  }
  return end >= 0 ? out : undefined;
}

// ---------------------------------------------------------------- base64 and hex

/** Decoded text worth reading: nearly all printable, with at least two words of letters. */
export function readable(decoded: string): boolean {
  if (decoded.length < 8) return false;
  const printable = decoded.replace(/[^\x20-\x7e\n\r\t\u00a0-\uffff]/g, '').length / decoded.length;
  return printable >= 0.95 && !decoded.includes('\ufffd') && /\p{L}{2,}[\s,.:;]+\p{L}{2,}/u.test(decoded);
}

/** Base64 (or base64url) runs that decode to readable text. */
export function base64Blobs(text: string, limit = 20): string[] {
  const out: string[] = [];
  let checked = 0;
  for (const m of text.matchAll(/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}/g)) {
    if (++checked > limit) break;
    // Words or identifiers in mixed case are not base64: it needs digits or both cases in a dense mix.
    if (!/[0-9+/=]/.test(m[0]) && !/[A-Z].*[a-z].*[A-Z]/.test(m[0])) continue;
    const decoded = decodeBase64(m[0].slice(0, 40_000));
    if (decoded && readable(decoded)) out.push(decoded);
  }
  return out;
}

/** Hex as plain digits, spaced pairs or `\x` escapes, decoded to readable UTF-8 text. */
export function hexBlobs(text: string, limit = 20): string[] {
  const out: string[] = [];
  let checked = 0;
  for (const m of text.matchAll(/(?:\\x[0-9a-fA-F]{2}){8,}|(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}[ :]){7,}[0-9a-fA-F]{2}(?![0-9a-fA-F])|(?<![0-9a-zA-Z])(?:[0-9a-fA-F]{2}){12,}(?![0-9a-zA-Z])/g)) {
    if (++checked > limit) break;
    const digits = m[0].replace(/\\x|[ :]/g, '').slice(0, 40_000);
    const decoded = Buffer.from(digits, 'hex').toString('utf8');
    if (readable(decoded)) out.push(decoded);
  }
  return out;
}

// ---------------------------------------------------------------- look-alike letters

/**
 * Cyrillic, Greek and Armenian letters that look like Latin ones. A small local table;
 * the shared Unicode normaliser will take its place (see `foldLookalikes`).
 */
const LOOKALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ɡ: 'g', ɑ: 'a', ı: 'i',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  օ: 'o', ս: 'u', ց: 'g', հ: 'h', ո: 'n',
};
const LOOKALIKE_CLASS = `[${Object.keys(LOOKALIKES).join('')}]`;
const LOOKALIKE_RE = new RegExp(LOOKALIKE_CLASS, 'g');
/** A word with Latin letters and look-alikes from another script in it. */
const MIXED_WORD = new RegExp(`[A-Za-z]${LOOKALIKE_CLASS}|${LOOKALIKE_CLASS}[A-Za-z]`);

/** Look-alike letters replaced by the Latin letters they imitate. The one place to swap for a shared normaliser. */
export function foldLookalikes(text: string): string {
  return text.replace(LOOKALIKE_RE, (c) => LOOKALIKES[c] ?? c);
}

/**
 * The lines of a text that mix scripts inside words (Latin with Cyrillic, Greek or
 * Armenian look-alikes), folded to Latin; undefined when no word mixes them. Whole words
 * in Cyrillic or Greek are ordinary text and are not folded.
 */
export function unmaskLookalikes(text: string): string | undefined {
  if (!MIXED_WORD.test(text)) return undefined;
  const lines = text.split('\n').filter((line) => MIXED_WORD.test(line));
  return lines.length > 0 ? foldLookalikes(lines.join('\n')) : undefined;
}

// ---------------------------------------------------------------- escapes, binary, Morse

/** A run of escaped characters: URL percent-encoding, HTML numeric entities, \\u or \\x escapes (at least eight in a row). */
const ESCAPED_RUN = /(?:%[0-9a-f]{2}[^%\s]{0,2}){8,}|(?:&#x?[0-9a-f]{1,6};[^&\s]{0,2}){8,}|(?:\\u\{?[0-9a-f]{4,5}\}?[^\\\s]{0,2}){8,}/gi;

function unescapeOne(run: string): string {
  return run
    .replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9a-f]{1,6});/gi, (_m, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
    .replace(/&#([0-9]{1,7});/g, (_m, d: string) => String.fromCodePoint(Math.min(parseInt(d, 10), 0x10ffff)))
    .replace(/\\u\{?([0-9a-f]{4,5})\}?/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)));
}

/** Runs of percent-escapes, numeric entities or \\u escapes, decoded when the result reads as text. */
export function escapedRuns(text: string, limit = 20): string[] {
  const out: string[] = [];
  let checked = 0;
  for (const m of text.matchAll(ESCAPED_RUN)) {
    if (++checked > limit) break;
    const decoded = unescapeOne(m[0].slice(0, 40_000));
    if (readable(decoded)) out.push(decoded);
  }
  return out;
}

/** Eight-bit groups of zeros and ones, at least eight of them. */
const BINARY_RUN = /(?<![01])(?:[01]{8}[\s,]{1,2}){7,}[01]{8}(?![01])/g;

/** Runs of 8-bit binary groups decoded to text, when it reads as text. */
export function binaryRuns(text: string, limit = 20): string[] {
  const out: string[] = [];
  let checked = 0;
  for (const m of text.matchAll(BINARY_RUN)) {
    if (++checked > limit) break;
    const bytes = (m[0].slice(0, 80_000).match(/[01]{8}/g) ?? []).map((b) => parseInt(b, 2));
    const decoded = Buffer.from(bytes).toString('utf8');
    if (readable(decoded)) out.push(decoded);
  }
  return out;
}

const MORSE: Record<string, string> = {
  '.-': 'a', '-...': 'b', '-.-.': 'c', '-..': 'd', '.': 'e', '..-.': 'f', '--.': 'g', '....': 'h', '..': 'i', '.---': 'j', '-.-': 'k', '.-..': 'l', '--': 'm',
  '-.': 'n', '---': 'o', '.--.': 'p', '--.-': 'q', '.-.': 'r', '...': 's', '-': 't', '..-': 'u', '...-': 'v', '.--': 'w', '-..-': 'x', '-.--': 'y', '--..': 'z',
  '-----': '0', '.----': '1', '..---': '2', '...--': '3', '....-': '4', '.....': '5', '-....': '6', '--...': '7', '---..': '8', '----.': '9',
};
/** Morse letters separated by spaces, words by a slash or a wider gap; at least ten letters. */
const MORSE_RUN = /(?<![-.\w])(?:[-.]{1,5}(?: {1,3}| ?\/ ?| ?\| ?)){9,}[-.]{1,5}(?![-.\w])/g;

/** Runs of Morse code decoded to words; undefined when there are none that read as text. */
export function unmorse(text: string): string | undefined {
  const runs: string[] = [];
  for (const m of text.matchAll(MORSE_RUN)) {
    const words = m[0].trim().split(/ ?[/|] ?| {2,}/).map((w) => w.split(' ').map((c) => MORSE[c] ?? '').join(''));
    const decoded = words.filter(Boolean).join(' ');
    if (readable(decoded)) runs.push(decoded);
    if (runs.length >= 20) break;
  }
  return runs.length > 0 ? runs.join('\n') : undefined;
}

// ---------------------------------------------------------------- all of them

/**
 * Every decoded reading of a text that differs from it: ROT13 and reversal of the whole
 * text (Latin letters needed for ROT13), leetspeak and look-alike lines, spaced runs,
 * base64 and hex blobs, percent/entity/\\u escapes, 8-bit binary and Morse code. Each variant is cut to `maxLength` characters. `worth`, when
 * given, is asked before a decoder runs (with the text as it is), so a caller can skip
 * decoders whose traces are absent.
 */
export function decodedVariants(text: string, maxLength = 20_000, worth: (decoder: DecoderName, text: string) => boolean = () => true): DecodedVariant[] {
  const head = text.length > maxLength ? text.slice(0, maxLength) : text;
  const out: DecodedVariant[] = [];
  const add = (decoder: DecoderName, decode: () => string | undefined): void => {
    if (!worth(decoder, head)) return;
    const decoded = decode();
    if (decoded && decoded.trim().length > 0) out.push({ decoder, text: decoded.length > maxLength ? decoded.slice(0, maxLength) : decoded });
  };
  if (/[a-zA-Z]{3}/.test(head)) add('rot13', () => rot13(head));
  add('reversed', () => reverseText(head));
  // Leetspeak puts a digit or sign between letters ("n0r", "h3l"); without one there is none.
  if ((head.match(LEET_TRACE) ?? []).length >= 2) add('leet', () => unleet(head));
  add('spaced', () => unspace(head));
  add('homoglyph', () => unmaskLookalikes(head));
  for (const b of base64Blobs(text)) add('base64', () => b);
  for (const h of hexBlobs(text)) add('hex', () => h);
  for (const e of escapedRuns(text)) add('escaped', () => e);
  for (const b of binaryRuns(text)) add('binary', () => b);
  if (/[.-]{2,}[ /|]+[.-]/.test(head)) add('morse', () => unmorse(head));
  return out;
}
