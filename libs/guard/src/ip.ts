import type { Span } from './spans';

export interface IpSpan extends Span {
  version: 4 | 6;
}

/** Four dotted numbers, not glued to letters, not part of a longer dotted number. */
const IPV4 = /(?<![\p{L}\p{N}_.]|\d\.)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\p{L}\p{N}_]|\.\d)/gu;

/** Words right before four dotted numbers that make them a version or a section, not an address. */
const NOT_AN_ADDRESS =
  /(?:\bv|\bver|\bversion|\brelease|\brel|\bbuild|\brev|\brevision|\bsection|\bsec|§|\bchapter|\bclause|\barticle|\bart|\bpara|\bparagraph|\bfirmware|\bfw|\bpatch|\bkernel|\bsdk|\bapi|\bitem|\bstep|\bfigure|\bfig|\btable|\boid|\bupgraded? to|\bupdated? to|\bbumped? to)[\s.:#-]{0,3}$/iu;

function octetsValid(parts: string[]): boolean {
  // Leading zeros (010) are left alone: real addresses rarely print them, versions and ids do.
  return parts.every((p) => Number(p) <= 255 && (p.length === 1 || p[0] !== '0'));
}

/** Whether a string is a dotted-quad IPv4 address. */
export function ipv4Valid(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p)) && octetsValid(parts);
}

/** Expands an IPv6 address to eight groups; undefined when it is not one. */
export function parseIpv6(value: string): string[] | undefined {
  let text = value.toLowerCase();
  let tail: string[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
    if (!ipv4Valid(last)) return undefined;
    const [a, b, c, d] = last.split('.').map(Number);
    tail = [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  if (!/^[0-9a-f:]*$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const split = (s: string): string[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups : undefined;
  };
  const left = split(halves[0]);
  const right = halves.length === 2 ? split(halves[1]) : [];
  if (!left || !right) return undefined;
  const known = left.length + right.length + tail.length;
  if (halves.length === 1) return known === 8 ? [...left, ...right, ...tail] : undefined;
  if (known > 7) return undefined;
  return [...left, ...Array<string>(8 - known).fill('0'), ...right, ...tail];
}

/**
 * Runs of hex digits, colons and dots with at least one colon, starting a token. The
 * lookbehind admits only a run's first character, so the scan is linear.
 */
const IPV6_CANDIDATE = /(?<![\p{L}\p{N}_:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/gu;

function ipv6Span(text: string, start: number, raw: string): IpSpan | undefined {
  let candidate = raw.replace(/\.+$/, '');
  // A colon closing a sentence ("address 2001:db8::1: down") is not part of the address.
  if (candidate.endsWith(':') && !candidate.endsWith('::')) candidate = candidate.slice(0, -1);
  const after = text.charAt(start + candidate.length);
  // Glued to a word it is an identifier; a zone index (%eth0) may follow.
  if (candidate.length === raw.length && /[\p{L}\p{N}_]/u.test(after)) return undefined;
  const groups = parseIpv6(candidate);
  // Shapes that parse but are rarely addresses: ::1 and :: (no group of 3+ hex digits),
  // and words such as cafe::beef (no digit at all).
  if (!groups || !/\d/.test(candidate) || !candidate.split(/[:.]/).some((g) => g.length >= 3)) return undefined;
  return { version: 6, start, end: start + candidate.length };
}

/**
 * Finds IPv6 addresses (full, compressed, with an embedded IPv4 tail) and IPv4 dotted
 * quads (each octet 0–255, no leading zeros). Dotted quads right after `v`, `version`,
 * `release`, `section` and the like are versions, not addresses.
 */
export function detectIps(text: string): IpSpan[] {
  const v6: IpSpan[] = [];
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    const span = ipv6Span(text, m.index, m[0]);
    if (span) v6.push(span);
  }
  const v4: IpSpan[] = [];
  let at = 0;
  for (const m of text.matchAll(IPV4)) {
    const start = m.index;
    // The IPv4 tail of an IPv6 address is part of that address.
    while (at < v6.length && v6[at].end <= start) at++;
    if (at < v6.length && v6[at].start <= start) continue;
    if (!octetsValid(m.slice(1, 5))) continue;
    if (NOT_AN_ADDRESS.test(text.slice(Math.max(0, start - 24), start))) continue;
    v4.push({ version: 4, start, end: start + m[0].length });
  }
  return [...v6, ...v4].sort((a, b) => a.start - b.start);
}
