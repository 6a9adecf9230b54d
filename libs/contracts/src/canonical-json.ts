import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted at every level, so equal values give equal text
 * whatever order their keys were written in (by a model, a reviewer, another service).
 * `undefined` members are left out and `undefined` array items become `null`, as
 * JSON.stringify does; a bare `undefined` reads as `null`. The one helper for comparing or
 * hashing JSON values across the project.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Short SHA-256 (hex, 16 characters) of a value's canonical JSON; for idempotency keys and argument hashes. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** Deep equality of JSON values, object key order ignored; a missing value (`undefined`) equals only another missing value. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}
