/**
 * Tracks what untrusted content an attempt's model has read and which of a tool call's
 * arguments carry values from it. A model reads everything and rewrites freely, so exact
 * taint tracking is not possible; this follows the values an attacker needs to get through
 * unchanged: addresses, links and host names, record ids, numbers (amounts, accounts), and
 * copied runs of five words. A value counts only when the untrusted content has it and the
 * trusted context (the instruction, a trusted input, results of tools that return the
 * tenant's own data) does not. Placeholders count like the values they stand for: one of
 * the task's input is trusted, one first seen in a tool result (redaction numbers new values
 * after the task's own) came from that result.
 */

/** A source of untrusted content: `input`, or `tool:<name>`. */
export type FlowSource = string;

/** Untrusted content the model read, and the arguments of one call that carry values from it. */
export interface Flow {
  source: FlowSource;
  fields: string[];
}

const PLACEHOLDER = /\[[A-Z_]+_\d{1,9}\]/g;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const URL = /\b(?:https?|ftp):\/\/[^\s<>"'`)\]]+/gi;
const HOST = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,24})\b/gi;
const RECORD_ID = /\b[a-z]{1,12}[_-]?\d{2,}[a-z0-9_-]*\b/gi;
const NUMBER = /\d(?:[\d,._ ]*\d)?/g;
const WORD = /[\p{L}\p{N}']+/gu;
const SHINGLE = 5;
/** Most characters of one source kept for matching: enough for any realistic tool result. */
const MAX_SOURCE_CHARS = 200_000;

function atomsOf(text: string): Set<string> {
  const atoms = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) atoms.add(`p:${m[0]}`);
  const t = text.replace(PLACEHOLDER, ' ');
  for (const m of t.matchAll(EMAIL)) atoms.add(`e:${m[0].toLowerCase()}`);
  for (const m of t.matchAll(URL)) atoms.add(`u:${m[0].toLowerCase().replace(/[.,;:!?]+$/, '')}`);
  for (const m of t.matchAll(HOST)) atoms.add(`h:${m[0].toLowerCase()}`);
  for (const m of t.matchAll(RECORD_ID)) if (/\d/.test(m[0]) && /[a-z]/i.test(m[0])) atoms.add(`i:${m[0].toLowerCase()}`);
  for (const m of t.matchAll(NUMBER)) {
    const digits = m[0].replace(/[,_ ]/g, '');
    // Three digits and more: small counts ("3 items", "step 2") say nothing about where a value came from.
    const plain = digits.replace(/\.\d{1,2}$/, '').replace(/\./g, '');
    if (plain.length >= 3) atoms.add(`n:${plain.replace(/^0+(?=\d)/, '')}`);
    const cents = /^(\d+)\.(\d{2})$/.exec(digits);
    if (cents) atoms.add(`n:${`${cents[1]}${cents[2]}`.replace(/^0+(?=\d)/, '')}`);
  }
  const words = [...t.toLowerCase().matchAll(WORD)].map((m) => m[0]);
  for (let i = 0; i + SHINGLE <= words.length; i++) atoms.add(`s:${words.slice(i, i + SHINGLE).join(' ')}`);
  return atoms;
}

/** The atoms of one argument value: strings as text; numbers as themselves and, for amounts in cents, in units. */
function valueAtoms(value: string | number): Set<string> {
  if (typeof value === 'number') {
    const out = new Set<string>();
    if (Number.isInteger(value) && Math.abs(value) >= 100) out.add(`n:${Math.abs(value)}`);
    if (Number.isInteger(value) && value % 100 === 0 && Math.abs(value) >= 10_000) out.add(`n:${Math.abs(value) / 100}`);
    return out;
  }
  return atomsOf(value);
}

/** Every leaf string or number of a JSON-like value, with its dotted path (array items under their key). */
function leaves(value: unknown, path: string, out: Array<[string, string | number]>): void {
  if (typeof value === 'string' || typeof value === 'number') out.push([path, value]);
  else if (Array.isArray(value)) for (const v of value) leaves(v, path, out);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
}

/** Every string of a JSON-like value, keys included. */
export function textOf(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') parts.push(v);
    else if (typeof v === 'number') parts.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        parts.push(k);
        walk(inner);
      }
    }
  };
  walk(value);
  return parts.join('\n');
}

/**
 * One attempt's record of untrusted content read and trusted context. Texts are only kept
 * as they come; their values are read out at the first write or destructive proposal, so a
 * step that proposes none (most) pays nothing for it.
 */
export class Provenance {
  private readonly trustedTexts: string[] = [];
  private readonly unread: Array<[FlowSource, string]> = [];
  private readonly trusted = new Set<string>();
  private readonly sources = new Map<FlowSource, Set<string>>();

  /** Context the submitter or the tenant's own systems gave: its values never count as untrusted. */
  trust(text: string): void {
    this.trustedTexts.push(text.slice(0, MAX_SOURCE_CHARS));
  }

  /** Untrusted content the model has now read. */
  read(source: FlowSource, text: string): void {
    this.unread.push([source, text.slice(0, MAX_SOURCE_CHARS)]);
  }

  /** Every source read so far, with the arguments of `args` that carry a value only that content had. */
  flows(args: Record<string, unknown>): Flow[] {
    this.absorb();
    const found: Array<[string, string | number]> = [];
    leaves(args, '', found);
    return [...this.sources].map(([source, atoms]) => {
      const fields = new Set<string>();
      for (const [path, value] of found) {
        for (const a of valueAtoms(value)) {
          if (atoms.has(a) && !this.trusted.has(a)) {
            fields.add(path);
            break;
          }
        }
      }
      return { source, fields: [...fields] };
    });
  }

  /** Reads the values out of the texts kept since the last call. */
  private absorb(): void {
    for (const text of this.trustedTexts.splice(0)) for (const a of atomsOf(text)) this.trusted.add(a);
    for (const [source, text] of this.unread.splice(0)) {
      const atoms = this.sources.get(source) ?? new Set<string>();
      for (const a of atomsOf(text)) atoms.add(a);
      this.sources.set(source, atoms);
    }
  }
}
