import { z } from 'zod';
import { canaryPattern } from './canary';
import { PiiRedactor, detectPii, normalizePii, type PiiKind, type PiiVault } from './pii';

/** What to do when a rule fires, from mildest to strictest. */
export const RuleAction = z.enum(['pass', 'redact', 'reask', 'block', 'escalate']);
export type RuleAction = z.infer<typeof RuleAction>;

const SEVERITY: Record<RuleAction, number> = { pass: 0, redact: 1, reask: 2, block: 3, escalate: 4 };

/** The strictest of several actions (escalate > block > reask > redact > pass). */
export function strictest(actions: Iterable<RuleAction>): RuleAction {
  let worst: RuleAction = 'pass';
  for (const a of actions) if (SEVERITY[a] > SEVERITY[worst]) worst = a;
  return worst;
}

const PiiKindSchema = z.enum(['email', 'phone', 'card', 'iban', 'national_id', 'ip', 'secret', 'name', 'address']);

/** `docs.example.com` (that host only) or `*.acme.test` (any subdomain of acme.test, not acme.test itself). */
const HostPattern = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$|^\[[0-9a-f:.]+\]$/, 'a host name, *.suffix, or [IPv6]');

/**
 * Output rules, in a shape that reads well in YAML:
 *
 * ```yaml
 * leaks: { pii: redact, secrets: block, kinds: { ip: pass } }
 * links: { action: block, allowedHosts: [docs.example.com, '*.acme.test'] }
 * canaries: { action: escalate, values: [CANARY-7f3a9c] }
 * ```
 *
 * Defaults: personal data is redacted, secrets block, links pass (set an action and the
 * allowed hosts to restrict them; relative, mailto: and tel: links are always fine),
 * canaries block.
 */
export const OutputRulesConfig = z
  .object({
    leaks: z
      .object({
        /** Personal data of every kind but secrets. */
        pii: RuleAction.default('redact'),
        /** API keys, tokens, passwords, private keys. */
        secrets: RuleAction.default('block'),
        /** Per-kind overrides, e.g. `{ email: pass }` for a task that writes to a known address. */
        kinds: z.partialRecord(PiiKindSchema, RuleAction).default({}),
      })
      .strict()
      .prefault({}),
    links: z
      .object({
        /** What to do with a link or image to a host not in `allowedHosts`. */
        action: RuleAction.default('pass'),
        allowedHosts: z.array(HostPattern).default([]),
      })
      .strict()
      .prefault({}),
    canaries: z
      .object({
        action: RuleAction.default('block'),
        /** Strings planted in the prompt that must never come back (case and invisible characters ignored). */
        values: z.array(z.string().min(4)).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type OutputRulesConfig = z.infer<typeof OutputRulesConfig>;
export type OutputRulesConfigInput = z.input<typeof OutputRulesConfig>;

/** The rules with every default filled in. */
export const DEFAULT_OUTPUT_RULES: OutputRulesConfig = OutputRulesConfig.parse({});

/** Something a rule found. Details never repeat a secret or a canary. */
export interface OutputFinding {
  rule: 'pii' | 'secret' | 'link' | 'canary';
  /** PII kind; link form (link, image, url, html_link, html_image); or `canary`. */
  kind: string;
  /** Placeholder of a leaked value, host or scheme of a link, number of a canary. */
  detail: string;
  /** The action configured for this finding. */
  action: RuleAction;
}

export interface OutputRulesResult<T> {
  /** The strictest action of the findings; `pass` when nothing was found. */
  action: RuleAction;
  /**
   * The output with every finding whose action is `redact` redacted (so safe to log
   * even when the overall action is stricter); otherwise as given.
   */
  output: T;
  findings: OutputFinding[];
}

export interface OutputRulesOptions {
  /** The task's vault, so a value from the input gets back its input placeholder. */
  vault?: PiiVault;
  /** More canary strings for this call, added to the configured ones. */
  canaries?: readonly string[];
}

// ---------------------------------------------------------------- canaries

// ---------------------------------------------------------------- links

interface Link {
  start: number;
  end: number;
  kind: 'link' | 'image' | 'url' | 'html_link' | 'html_image';
  url: string;
  /** What is left when the link is redacted: its text, or a marker. */
  keep: string;
}

// A target may hold one level of balanced parentheses: [x](https://en.wikipedia.org/wiki/A_(b)).
const MD_IMAGE = /!\[([^\]\n]{0,500})\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]{0,200}\)){1,2000})>?(?:\s+(?:"[^"\n]{0,300}"|'[^'\n]{0,300}'))?\s*\)/g;
const MD_LINK = /\[([^\]\n]{0,500})\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]{0,200}\)){1,2000})>?(?:\s+(?:"[^"\n]{0,300}"|'[^'\n]{0,300}'))?\s*\)/g;
const HTML_A = /<a\b[^>]{0,1000}?\bhref\s*=\s*(?:"([^"]{0,2000})"|'([^']{0,2000})'|([^\s>]{1,2000}))[^>]{0,1000}>([\s\S]{0,2000}?)<\/a\s*>/gi;
const HTML_IMG = /<img\b[^>]{0,1000}?\bsrc\s*=\s*(?:"([^"]{0,2000})"|'([^']{0,2000})'|([^\s>]{1,2000}))[^>]{0,1000}>/gi;
const BARE_URL = /\b(?:(?:https?|ftp|wss?):\/\/|www\.)[^\s<>"'`)\]}\ue000]{1,2000}/gi;

/**
 * Links in the order HTML, markdown image, markdown link, bare URL; each pass sees the
 * text with earlier finds blanked out, so a link is counted once.
 */
function findLinks(text: string): Link[] {
  const links: Link[] = [];
  let masked = text;
  const pass = (re: RegExp, make: (m: RegExpMatchArray) => Omit<Link, 'start' | 'end'> & { length?: number }): void => {
    const found: Link[] = [];
    for (const m of masked.matchAll(re)) {
      const { length, ...link } = make(m);
      const start = m.index ?? 0;
      found.push({ ...link, start, end: start + (length ?? m[0].length) });
    }
    let next = '';
    let at = 0;
    for (const l of found) {
      next += masked.slice(at, l.start) + '\ue000'.repeat(l.end - l.start);
      at = l.end;
    }
    masked = next + masked.slice(at);
    links.push(...found);
  };
  pass(HTML_A, (m) => ({ kind: 'html_link', url: m[1] ?? m[2] ?? m[3], keep: m[4].replace(/<[^>]{0,500}>/g, '') }));
  pass(HTML_IMG, (m) => ({ kind: 'html_image', url: m[1] ?? m[2] ?? m[3], keep: '' }));
  pass(MD_IMAGE, (m) => ({ kind: 'image', url: m[2], keep: m[1] }));
  pass(MD_LINK, (m) => ({ kind: 'link', url: m[2], keep: m[1] }));
  pass(BARE_URL, (m) => {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    return { kind: 'url', url, keep: '[link removed]', length: url.length };
  });
  return links.sort((a, b) => a.start - b.start);
}

const SAFE_SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ws:', 'wss:']);

/** The host a link points at; `relative` for a link within the page; `scheme:` for javascript:, data: and the like. */
function target(url: string): { host?: string; scheme?: string; relative?: true; harmless?: true } {
  const raw = url.trim().replace(/&amp;/g, '&');
  if (/^(?:mailto|tel|sms):/i.test(raw)) return { harmless: true };
  let absolute = raw;
  if (/^www\./i.test(raw)) absolute = `http://${raw}`;
  else if (raw.startsWith('//') || raw.startsWith('\\\\')) absolute = `https:${raw}`;
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(raw)) return { relative: true };
  try {
    const parsed = new URL(absolute);
    if (!SAFE_SCHEMES.has(parsed.protocol)) return { scheme: parsed.protocol };
    return { host: parsed.hostname.toLowerCase().replace(/\.$/, '') };
  } catch {
    return { scheme: 'unparseable' };
  }
}

/** Whether a host matches an allow-list entry: exact, or `*.suffix` for any subdomain. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p;
  });
}

// ---------------------------------------------------------------- engine

function replaceRanges(text: string, ranges: Array<{ start: number; end: number; with: string }>): string {
  let out = '';
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    if (r.start < at) continue;
    out += text.slice(at, r.start) + r.with;
    at = r.end;
  }
  return out + text.slice(at);
}

/**
 * Checks a model's output (text, or parsed JSON: every string and key is checked)
 * against the rules: leaks of personal data and secrets, links and images to hosts not
 * allowed, and canary strings. Each finding carries its rule's action; the result's
 * action is the strictest. Findings with `redact` are applied to the returned output:
 * values become placeholders (the input's, when a vault is given), links keep their
 * text, canaries become `[REDACTED]`. Pure; never modifies its input.
 */
export function applyOutputRules<T>(output: T, config: OutputRulesConfigInput | OutputRulesConfig = {}, options: OutputRulesOptions = {}): OutputRulesResult<T> {
  const rules = OutputRulesConfig.parse(config);
  const findings: OutputFinding[] = [];
  const canaries = [...rules.canaries.values, ...(options.canaries ?? [])].filter((c) => c.length > 0).map(canaryPattern);

  const kindAction = (kind: PiiKind): RuleAction => rules.leaks.kinds[kind] ?? (kind === 'secret' ? rules.leaks.secrets : rules.leaks.pii);
  const redactKinds = PiiKindSchema.options.filter((k) => kindAction(k) === 'redact');
  const redactor = new PiiRedactor({ vault: options.vault, kinds: redactKinds });
  const known = new Map<string, string>();
  for (const [placeholder, entry] of Object.entries(options.vault ?? {})) known.set(`${entry.kind}:${normalizePii(entry.kind, entry.value)}`, placeholder);

  const checkText = (input: string): string => {
    let text = input;

    // Canaries first: the most sensitive, and they may sit inside a link.
    const canaryHits: Array<{ start: number; end: number; with: string }> = [];
    canaries.forEach((re, i) => {
      for (const m of text.matchAll(re)) {
        findings.push({ rule: 'canary', kind: 'canary', detail: `canary #${i + 1}`, action: rules.canaries.action });
        canaryHits.push({ start: m.index, end: m.index + m[0].length, with: '[REDACTED]' });
      }
    });
    if (rules.canaries.action === 'redact') text = replaceRanges(text, canaryHits);

    // With `pass` links are not looked at: every external link would be a finding.
    if (rules.links.action !== 'pass') {
      const removed: Array<{ start: number; end: number; with: string }> = [];
      for (const link of findLinks(text)) {
        const t = target(link.url);
        if (t.relative || t.harmless) continue;
        if (t.host !== undefined && hostAllowed(t.host, rules.links.allowedHosts)) continue;
        findings.push({ rule: 'link', kind: link.kind, detail: t.host ?? t.scheme ?? 'unknown', action: rules.links.action });
        removed.push({ start: link.start, end: link.end, with: link.keep });
      }
      if (rules.links.action === 'redact') text = replaceRanges(text, removed);
    }

    for (const m of detectPii(text)) {
      const action = kindAction(m.kind);
      const placeholder = known.get(`${m.kind}:${normalizePii(m.kind, m.value)}`);
      findings.push({ rule: m.kind === 'secret' ? 'secret' : 'pii', kind: m.kind, detail: placeholder ? `value of ${placeholder} from the input` : 'value not in the input', action });
    }
    return redactKinds.length > 0 ? redactor.redact(text).text : text;
  };

  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return checkText(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [checkText(k), walk(inner)]));
    return v;
  };
  const checked = walk(output) as T;
  return { action: strictest(findings.map((f) => f.action)), output: checked, findings };
}
