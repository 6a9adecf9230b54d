import { compileLexicon, lexiconFold, type CompiledKey, type CompiledPart } from './injection-lexicon';

/** One cue found in a text, with where it starts (for pairing with other cues). */
export interface Cue {
  /** `family.language`, e.g. `instruction_override.pt`, `addressing.ja`, `action.en`. */
  rule: string;
  excerpt: string;
  weight: number;
  at: number;
}

const LEX: Record<CompiledKey, CompiledPart> = compileLexicon();

interface Hit {
  start: number;
  end: number;
  key: CompiledKey;
}

/** At most this many matches of one part are read: enough for any real text, and bounded for a hostile one. */
const MAX_HITS = 40;

function hits(key: CompiledKey, text: string): Hit[] {
  const out: Hit[] = [];
  for (const { script, re } of LEX[key].groups) {
    if (!script.test(text)) continue;
    let n = 0;
    for (const m of text.matchAll(re)) {
      out.push({ start: m.index, end: m.index + m[0].length, key });
      if (++n >= MAX_HITS) break;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function languagesOf(h: Hit, text: string): string[] {
  const rest = text.slice(h.start, h.start + 80);
  return LEX[h.key].byLanguage.filter(([, re]) => re.test(rest)).map(([language]) => language);
}

/** The language of a cue: the first whose patterns match at every hit of it ("ignora … istruzioni" is Italian, not English). */
function languageOf(text: string, ...hs: Hit[]): string {
  const [first, ...rest] = hs.map((h) => languagesOf(h, text));
  return first.find((l) => rest.every((r) => r.includes(l))) ?? first[0] ?? 'xx';
}

/** Sentence ends and line breaks; a period counts only before a space (not in "e.g" or a host name). */
const CLAUSE_END = /[!?;。！？\n\u0964\u061f]|\.\s/;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/**
 * Two hits close enough, with no sentence end between them, to be read as one cue. The
 * first (a verb, an addressing word) may come after the second only closely, as in
 * languages that put the verb last ("システムプロンプトを表示して", "talimatları yok say").
 */
function near(text: string, a: Hit, b: Hit, window = 60, directed = true): boolean {
  const from = Math.min(a.end, b.end);
  const to = Math.max(a.start, b.start);
  if (to <= from) return true;
  const between = text.slice(from, to);
  const limit = CJK.test(between) ? Math.min(window, 24) : directed && a.start > b.start ? Math.min(window, 25) : window;
  return between.length <= limit && !CLAUSE_END.test(between);
}

function pairs(text: string, as: Hit[], bs: Hit[], window?: number): Array<[Hit, Hit]> {
  const out: Array<[Hit, Hit]> = [];
  for (const a of as) {
    const b = bs.find((x) => near(text, a, x, window));
    if (b) out.push([a, b]);
  }
  return out;
}

/** "ignore my previous instructions", "the instructions I sent": the writer taking back their own words. */
function ownWords(text: string, span: Hit): boolean {
  return /(?<![\p{L}])(?:my|our|mis|mes|nos|meine|unsere|moje|mijn)(?![\p{L}])/u.test(text.slice(span.start, span.end)) || /^,? (?:that )?(?:i|we|hr|finance|they|he|she) (?:just )?(?:sent|gave|shared|e-?mailed|mentioned|wrote|posted|provided|had|forwarded)\b/.test(text.slice(span.end, span.end + 40).replace(/^\p{L}+/u, ''));
}

const excerptOf = (text: string, a: Hit, b: Hit): string => text.slice(Math.min(a.start, b.start), Math.max(a.end, b.end)).slice(0, 120);

/**
 * The multilingual cues of a text, from the lexicon tables:
 * - `instruction_override.<lang>`: a verb that sets aside (ignore, forget, 无视, 無視) near a
 *   word for instructions; strong (0.85) with a qualifier (previous, all, your, system), else 0.45;
 * - `prompt_extraction.<lang>`: a verb that reveals near a word for the hidden prompt (0.75);
 * - `addressing.<lang>`: words addressed to the AI reading the text ("note to the model",
 *   "AI assistant reading this:", "これを読んでいるAIへ"), 0.5 in a tool result, 0.3 from the user;
 * - `role_hijack.<lang>`: "no restrictions" near a persona cue (0.75) or a word for the AI (0.5);
 * - `action.<lang>`: a request to act (send, forward, transfer, download, run, rank, add to your
 *   answer); weak on its own (0.15 / 0.05), it counts when paired (see `combineCues`), and
 *   with `wantActions` false it is looked for only when the text has an override or address cue.
 */
export function lexiconCues(original: string, source: 'user' | 'tool', wantActions = true): Cue[] {
  const text = lexiconFold(original);
  const cues: Cue[] = [];
  const named = (family: string, ...hs: Hit[]): string => `${family}.${languageOf(text, ...hs)}`;

  const verbs = hits('overrideVerb', text);
  if (verbs.length > 0) {
    const nouns = hits('ruleNoun', text);
    const qualifiers = nouns.length > 0 ? hits('qualifier', text) : [];
    for (const [v, n] of pairs(text, verbs, nouns)) {
      const span: Hit = { start: Math.min(v.start, n.start), end: Math.max(v.end, n.end), key: v.key };
      if (ownWords(text, span)) continue;
      const strong = qualifiers.some((q) => near(text, span, q, 30));
      cues.push({ rule: named('instruction_override', v, n), excerpt: excerptOf(text, v, n), weight: strong ? 0.85 : 0.45, at: span.start });
    }
  }

  const reveal = hits('revealVerb', text);
  if (reveal.length > 0) {
    for (const [v, n] of pairs(text, reveal, hits('promptNoun', text))) {
      cues.push({ rule: named('prompt_extraction', v, n), excerpt: excerptOf(text, v, n), weight: 0.75, at: Math.min(v.start, n.start) });
    }
  }

  const ai = hits('aiNoun', text);
  if (ai.length > 0) {
    const addressWeight = source === 'tool' ? 0.5 : 0.3;
    const push = (marker: Hit, noun: Hit): void => {
      cues.push({ rule: named('addressing', marker, noun), excerpt: excerptOf(text, marker, noun), weight: addressWeight, at: Math.min(marker.start, noun.start) });
    };
    for (const m of hits('addressBefore', text)) {
      const n = ai.find((x) => x.start >= m.start && near(text, m, x, 30));
      if (n) push(m, n);
    }
    for (const m of hits('addressAfter', text)) {
      const n = ai.find((x) => x.end <= m.end && near(text, x, m, 12));
      if (n) push(m, n);
    }
    // Bare prepositions ("for the assistant", "给AI") count only as a label: a colon, comma or bracket follows.
    for (const m of hits('addressWeak', text)) {
      const n = ai.find((x) => x.start >= m.start && near(text, m, x, 12) && /^s?(?: only| here| below)?\s*[:：,，\])】]/.test(text.slice(x.end, x.end + 12)));
      if (n) push(m, n);
    }
    // The AI word as the label of a line: "AI agent: …", "[For AI reviewers] …", "Assistant, …".
    for (const n of ai) {
      const before = text.slice(Math.max(0, n.start - 30), n.start);
      const after = text.slice(n.end, n.end + 30);
      if (/(?:^|[\n.!?[(>"|*#\-—])\s*(?:\S+\s+){0,2}$/.test(before) && /^[^\n.!?]{0,24}?(?:[:：]|\]|,\s*(?:please\s+)?\p{L})/u.test(after) && !/^[^\n]{0,3}\s*(?:is|are|was|were|has|have|will|can)\b/.test(after)) {
        cues.push({ rule: named('addressing', n), excerpt: text.slice(n.start, n.end + 24).slice(0, 120), weight: addressWeight, at: n.start });
      }
    }
  }

  const free = hits('unrestricted', text);
  if (free.length > 0) {
    const persona = hits('persona', text);
    for (const u of free) {
      const p = persona.find((x) => near(text, u, x, 80, false));
      const n = p ? undefined : ai.find((x) => near(text, u, x, 40, false));
      if (p) cues.push({ rule: named('role_hijack', u), excerpt: excerptOf(text, u, p), weight: 0.75, at: Math.min(u.start, p.start) });
      else if (n) cues.push({ rule: named('role_hijack', u), excerpt: excerptOf(text, u, n), weight: 0.5, at: Math.min(u.start, n.start) });
      else cues.push({ rule: named('role_hijack', u), excerpt: text.slice(u.start, u.end), weight: 0.3, at: u.start });
    }
  }

  // Requests to act matter only next to an override or an address (see `combineCues`).
  if (!wantActions && !cues.some((c) => cueClass(c.rule) === 'address' || cueClass(c.rule) === 'override')) return cues;
  for (const a of hits('actVerb', text)) {
    cues.push({ rule: named('action', a), excerpt: text.slice(a.start, a.end + 40).slice(0, 120), weight: source === 'tool' ? 0.15 : 0.05, at: a.start });
  }
  return cues;
}

const LANGUAGE_SUFFIX = /\.([a-z]{2})(?:@|$)/;

/** The language of a cue: the lexicon's suffix, else English (the detector's own rules are English). */
export function cueLanguage(rule: string): string {
  return LANGUAGE_SUFFIX.exec(rule)?.[1] ?? 'en';
}

/** What a cue does in an attack: set the rules aside, speak to the AI, or ask it to do something. */
export type CueClass = 'override' | 'address' | 'action' | 'other';

/** The class of a rule, for the detector's own rules and the lexicon's. */
export function cueClass(rule: string): CueClass {
  const base = rule.split('@')[0];
  if (/^(?:addressing\.|tool_coercion\.(?:addressed_to_ai|when_you_read)$|instruction_override\.hidden_instruction$)/.test(base)) return 'address';
  if (/^(?:instruction_override\.|chat_delimiter\.|role_hijack\.)/.test(base)) return 'override';
  if (/^(?:action\.|tool_coercion\.|exfiltration\.|prompt_extraction\.)/.test(base)) return 'action';
  return 'other';
}

/**
 * The explicit multi-signal step: one weak cue stays weak, but a cue that addresses the AI
 * or sets its rules aside, followed within a few sentences by a request to act, is an
 * injection (`combined.addressed_action`, `combined.override_action`); so is an address
 * next to an override (`combined.addressed_override`). From the user, addressing the
 * assistant and asking it to act is ordinary, so that pair counts little there.
 */
export function combineCues(cues: readonly Cue[], source: 'user' | 'tool'): Cue[] {
  const of = (c: CueClass, min: number): Cue[] => cues.filter((x) => cueClass(x.rule) === c && x.weight >= min);
  const address = of('address', 0.25);
  const override = of('override', 0.4);
  const action = of('action', 0.05);
  const out: Cue[] = [];
  const first = <T extends Cue>(xs: T[], ys: Cue[], within: number): [T, Cue] | undefined => {
    for (const x of xs) {
      // The second starts after the words of the first (not inside them), within reach, and in
      // the same language: a stem of one language inside a word of another pairs with nothing.
      const y = ys.find((c) => c !== x && c.at >= x.at + Math.min(x.excerpt.length, 40) - 5 && c.at - x.at <= within && cueLanguage(c.rule) === cueLanguage(x.rule));
      if (y) return [x, y];
    }
    return undefined;
  };
  const aa = first(address, action, 300);
  if (aa) out.push({ rule: 'combined.addressed_action', excerpt: `${aa[0].excerpt} … ${aa[1].excerpt}`.slice(0, 120), weight: source === 'tool' ? 0.85 : 0.2, at: aa[0].at });
  const oa = first(override, action, 250);
  if (oa) out.push({ rule: 'combined.override_action', excerpt: `${oa[0].excerpt} … ${oa[1].excerpt}`.slice(0, 120), weight: source === 'tool' ? 0.8 : 0.7, at: oa[0].at });
  const ao = first(address, override, 300) ?? first(override, address, 300);
  if (ao) out.push({ rule: 'combined.addressed_override', excerpt: `${ao[0].excerpt} … ${ao[1].excerpt}`.slice(0, 120), weight: source === 'tool' ? 0.85 : 0.5, at: ao[0].at });
  return out;
}
