import { mergeSpans, shannonEntropy, type Span } from './spans';

/** Which family of credential a detection belongs to. */
export type SecretType =
  | 'private_key'
  | 'openai_key'
  | 'aws_access_key_id'
  | 'aws_secret_key'
  | 'github_token'
  | 'slack_token'
  | 'slack_webhook'
  | 'stripe_key'
  | 'google_api_key'
  | 'jwt'
  | 'bearer_token'
  | 'url_password'
  | 'assigned_secret';

/** One credential found in a text: the range covers the secret value only, not its label. */
export interface SecretSpan extends Span {
  type: SecretType;
}

interface Rule {
  type: SecretType;
  /** Global regex; with `group`, the `d` flag too so the group's range is known. */
  re: RegExp;
  /** The capture group holding the secret, when the match also holds a label. */
  group?: number;
  accept?: (value: string) => boolean;
}

const hasDigit = (s: string): boolean => /\d/.test(s);
const mixedCase = (s: string): boolean => /[a-z]/.test(s) && /[A-Z]/.test(s);

/** Decodes base64 or base64url; undefined when the text is not valid base64. */
export function decodeBase64(text: string): string | undefined {
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std) || std.replace(/=+$/, '').length % 4 === 1) return undefined;
  return Buffer.from(std, 'base64').toString('utf8');
}

/** A JWT header is base64url JSON naming a signing algorithm or a token type. */
function jwtHeader(token: string): boolean {
  const decoded = decodeBase64(token.slice(0, token.indexOf('.')));
  if (decoded === undefined) return false;
  try {
    const header = JSON.parse(decoded) as unknown;
    return header !== null && typeof header === 'object' && ('alg' in header || 'typ' in header);
  } catch {
    return false;
  }
}

/** Words a value has when it is a template or a placeholder rather than a credential. */
const NOT_A_VALUE =
  /^(?:x+|\*+|\.+|-+|#+|\$\{.*\}|%\w+%|(?:process\.env|os\.environ|env|secrets|vault|config|settings)\b.*|[a-z][a-z0-9+.-]*:\/\/.*|your[-_]\w*|change[-_]?me|example\w*|redacted|removed|hidden|null|undefined|none|nil|true|false|required|optional|string|empty|not[-_]?set|n\/a)$/i;

/** A value made of one short piece repeated (abcabcabc, password=password=) is filler, not a key. */
function repetitive(value: string): boolean {
  for (let p = 1; p <= Math.min(16, value.length / 2); p++) {
    let i = p;
    while (i < value.length && value[i] === value[i - p]) i++;
    if (i === value.length) return true;
  }
  return false;
}

/**
 * A value after `password=` and the like is a credential when it looks random enough.
 * Passwords are chosen by people, so a shorter mixed value (hunter2) counts for them.
 */
function highEntropyValue(value: string, password: boolean): boolean {
  if (value.length < (password ? 6 : 8) || NOT_A_VALUE.test(value) || /^\$[A-Z_][A-Z0-9_]*$/.test(value) || repetitive(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  const entropy = shannonEntropy(value);
  // An identifier such as SOME_SETTING_NAME or some-setting-name is a reference, not a secret.
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) || /^[a-z]+(?:[-_][a-z]+)+$/.test(value)) return false;
  // People's passwords repeat characters (Adm1n151); generated keys rarely do.
  if (classes >= 2) return entropy >= (password ? 2.2 : 2.5);
  return value.length >= 16 && entropy >= 3.5;
}

/** Last words of a key name that hold a credential on their own: `password`, `db_password`, `authToken`. */
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'apikey', 'token', 'credential', 'credentials']);
/** Words before `key` that make it a credential: `api_key`, `secretKey`, `private-key`. */
const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'signing', 'encryption', 'master', 'client']);

/** Whether a key name (snake, kebab, dotted or camel case) names a credential. */
export function secretKeyName(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_.-]+/)
    .filter(Boolean);
  const last = words[words.length - 1] ?? '';
  if (SECRET_WORDS.has(last)) return true;
  return last === 'key' && KEY_QUALIFIERS.has(words[words.length - 2] ?? '');
}

const PASSWORD_WORDS = /(?:pass(?:word|wd|phrase)?|pwd)$/i;

/**
 * `key: value`, `key=value`, `"key": "value"`, `key => value`, `key := value`. The key is
 * at most 48 characters and the value at most 300, so each match does bounded work.
 */
const ASSIGNMENT =
  /(?<![\p{L}\p{N}_.-])([A-Za-z][A-Za-z0-9_.-]{0,47})["']?[ \t]{0,3}(?::=|=>|=|:)[ \t]{0,3}(["'`]?)([^\s"'`,;<>()[\]{}]{1,300})/dgu;

/** "the wifi password is …", "password for the shared mailbox: …", in a few languages. */
const PASSWORD_PHRASE =
  /(?<![\p{L}\p{N}_])(?:password|passwort|passcode|passwd|passphrase|contraseña|mot de passe|wachtwoord)(?:[ \t]+[\p{L}\p{N}'’-]{1,30}){0,5}?(?:[ \t]*[:=][ \t]*|[ \t]+(?:is|was|will be|remains|ist|es|est|lautet)[ \t]*:?[ \t]+)(["'`]?)([^\s"'`,;<>()[\]{}]{1,200})/dgiu;

const RULES: Rule[] = [
  // OpenAI (`sk-`, `sk-proj-`, `sk-svcacct-`, `sk-admin-`) and Anthropic (`sk-ant-…`) keys.
  {
    type: 'openai_key',
    re: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_-]{20,400}(?![A-Za-z0-9_-])/g,
    accept: (v) => hasDigit(v) && mixedCase(v),
  },
  {
    type: 'aws_access_key_id',
    re: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  },
  {
    type: 'aws_secret_key',
    re: /(?<![A-Za-z0-9])(?:aws[_ -]?)?secret[_ -]?(?:access[_ -]?)?key(?:[_ -]?id)?["']?[ \t]{0,3}(?:[:=]|=>)[ \t]{0,3}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    group: 1,
  },
  { type: 'github_token', re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g },
  { type: 'slack_token', re: /(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g, accept: hasDigit },
  { type: 'slack_webhook', re: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9_/-]{20,200}/g },
  { type: 'stripe_key', re: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}(?![A-Za-z0-9_])/g },
  { type: 'stripe_key', re: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{24,64}(?![A-Za-z0-9_])/g },
  { type: 'google_api_key', re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g },
  {
    type: 'jwt',
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2000}\.[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{0,2000}/g,
    accept: jwtHeader,
  },
  // Authorization header (any scheme) and a bare `Bearer <token>`.
  {
    type: 'bearer_token',
    re: /(?<![A-Za-z0-9_-])(?:proxy-)?authorization["']?[ \t]{0,3}[:=][ \t]{0,3}["']?(?:(?:bearer|basic|token|digest|apikey)[ \t]{1,3})?([A-Za-z0-9._~+/-]{8,4000}=*)/dgi,
    group: 1,
    accept: (v) => (hasDigit(v) && /[A-Za-z]/.test(v)) || (mixedCase(v) && v.length >= 16 && shannonEntropy(v) >= 3.5),
  },
  {
    type: 'bearer_token',
    re: /(?<![A-Za-z0-9_-])bearer[ \t]{1,3}([A-Za-z0-9._~+/-]{16,4000}=*)/dgi,
    group: 1,
    accept: (v) => hasDigit(v) && /[A-Za-z]/.test(v),
  },
  // scheme://user:password@host
  // The password runs to the last @ before the host, so an unescaped @ inside it is kept.
  { type: 'url_password', re: /[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/[^\s:/@]{1,100}:([^\s/]{3,200}?)@(?=[^\s@/]+(?:[/?#]|\s|$))/dg, group: 1 },
];

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?)-----/g;

/**
 * How far the key material of a PEM block runs when its END line is missing: optional
 * `Header: value` lines and a blank line, then base64 lines of up to 80 characters; a
 * shorter line is the last one. Undefined when there is too little to be a key.
 */
function truncatedPemEnd(text: string, from: number): number | undefined {
  let pos = text[from] === '\r' ? from + 1 : from;
  if (text[pos] !== '\n') return undefined;
  pos++;
  let end = from;
  let material = 0;
  let headers = false;
  for (let lines = 0; lines < 400 && pos < text.length; lines++) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(pos, lineEnd).replace(/\r$/, '');
    pos = lineEnd + 1;
    if (material === 0 && /^[A-Za-z-]+: /.test(line)) {
      headers = true;
      end = lineEnd;
      continue;
    }
    if (material === 0 && headers && line === '') continue;
    if (!/^[A-Za-z0-9+/=]{1,80}$/.test(line)) break;
    material += line.length;
    end = lineEnd - (text[lineEnd - 1] === '\r' ? 1 : 0);
    if (line.length < 60) break;
  }
  return material >= 64 ? end : undefined;
}

/**
 * PEM private key blocks, BEGIN to the matching END. A block cut off before its END
 * line still leaks key material, so it runs as far as its base64 lines go. One forward
 * scan: once no END line is left, none is looked for again.
 */
function pemBlocks(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  let noEndAfter = Infinity;
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) {
    const endMarker = `-----END ${m[1]}-----`;
    const end = m.index < noEndAfter ? text.indexOf(endMarker, m.index) : -1;
    if (end >= 0) {
      spans.push({ type: 'private_key', start: m.index, end: end + endMarker.length });
      PEM_BEGIN.lastIndex = end + endMarker.length;
      continue;
    }
    noEndAfter = Math.min(noEndAfter, m.index);
    const cut = truncatedPemEnd(text, PEM_BEGIN.lastIndex);
    if (cut !== undefined) {
      spans.push({ type: 'private_key', start: m.index, end: cut });
      PEM_BEGIN.lastIndex = cut;
    }
  }
  return spans;
}

/** Where a capture group starts (the regex has the `d` flag). */
function groupStart(m: RegExpExecArray | RegExpMatchArray, group: number): number {
  const range = m.indices?.[group];
  if (!range) throw new Error(`group ${group} has no range: the regex needs the d flag`);
  return range[0];
}

/** The value as written: a query string's next `&key=` and a sentence's closing full stop are not part of it. */
function trimValue(raw: string, quoted: boolean): string {
  let value = raw;
  const param = /&[\w.-]+=/.exec(value);
  if (param) value = value.slice(0, param.index);
  if (!quoted) value = value.replace(/[.:]$/, '');
  return value;
}

function assignedSecrets(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const m of text.matchAll(ASSIGNMENT)) {
    if (!secretKeyName(m[1])) continue;
    const value = trimValue(m[3], m[2] !== '');
    if (!highEntropyValue(value, PASSWORD_WORDS.test(m[1]))) continue;
    const start = groupStart(m, 3);
    spans.push({ type: 'assigned_secret', start, end: start + value.length });
  }
  for (const m of text.matchAll(PASSWORD_PHRASE)) {
    const value = trimValue(m[2], m[1] !== '');
    if (!highEntropyValue(value, true)) continue;
    const start = groupStart(m, 2);
    spans.push({ type: 'assigned_secret', start, end: start + value.length });
  }
  return spans;
}

/**
 * Finds credentials: provider keys recognised by their prefix (OpenAI, AWS, GitHub,
 * Slack, Stripe, Google), JWTs with a JSON header, PEM private keys, Authorization and
 * Bearer tokens, passwords in URLs, and high-entropy values assigned to keys named like
 * `password`, `api_key`, `token` or `secret`. Overlapping finds are merged, keeping the
 * type of the one that starts first. Every pattern is bounded, so the scan is linear.
 */
export function detectSecrets(text: string): SecretSpan[] {
  const found: SecretSpan[] = [...pemBlocks(text)];
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.re)) {
      const value = rule.group === undefined ? m[0] : m[rule.group];
      if (rule.accept && !rule.accept(value)) continue;
      const start = rule.group === undefined ? m.index : groupStart(m, rule.group);
      found.push({ type: rule.type, start, end: start + value.length });
    }
  }
  found.push(...assignedSecrets(text));
  const sorted = [...found].sort((a, b) => a.start - b.start);
  let at = 0;
  return mergeSpans(found).map((span) => {
    // Every merged span starts at the start of one find: the first one at or after it.
    while (sorted[at].start < span.start) at++;
    return { ...span, type: sorted[at].type };
  });
}
