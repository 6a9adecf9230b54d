/* Reading JSON Schema keywords: the type a schema asks for, numeric bounds, merged schemas, typed keyword values. */

/** No instance could be generated (unsatisfiable bounds, unsupported pattern, foreign `$ref`). */
export class SchemaInstanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaInstanceError';
  }
}

/** A JSON Schema object (booleans `true`/`false` are handled by the generator). */
export type Schema = Record<string, unknown>;

/** The type a schema asks for; inferred from its keywords when it names none. */
export function typeOf(s: Schema): string {
  const t = s.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t) && t.length > 0) return (t.find((x) => x !== 'null') ?? t[0]) as string;
  if ('properties' in s || 'required' in s || 'additionalProperties' in s) return 'object';
  if ('items' in s || 'prefixItems' in s || 'minItems' in s || 'contains' in s) return 'array';
  if ('minimum' in s || 'maximum' in s || 'exclusiveMinimum' in s || 'exclusiveMaximum' in s || 'multipleOf' in s) {
    return 'number';
  }
  return 'string';
}

/** Numeric bounds of a schema, each inclusive or exclusive. */
export interface Bounds {
  lo?: number;
  loExclusive: boolean;
  hi?: number;
  hiExclusive: boolean;
}

/** Reads both spellings of exclusive bounds: numbers (2019+) and draft-04 booleans. */
export function bounds(s: Schema): Bounds {
  const b: Bounds = { loExclusive: false, hiExclusive: false };
  const min = finite(s.minimum);
  const max = finite(s.maximum);
  if (min !== undefined) b.lo = min;
  if (max !== undefined) b.hi = max;
  if (s.exclusiveMinimum === true) b.loExclusive = min !== undefined;
  if (s.exclusiveMaximum === true) b.hiExclusive = max !== undefined;
  const exMin = finite(s.exclusiveMinimum);
  if (exMin !== undefined && (b.lo === undefined || exMin >= b.lo)) {
    b.lo = exMin;
    b.loExclusive = true;
  }
  const exMax = finite(s.exclusiveMaximum);
  if (exMax !== undefined && (b.hi === undefined || exMax <= b.hi)) {
    b.hi = exMax;
    b.hiExclusive = true;
  }
  return b;
}

/** Shallow merge where later keywords win, except properties and required, which combine. */
export function merge(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (isSchema(a.properties) || isSchema(b.properties)) {
    out.properties = { ...(isSchema(a.properties) ? a.properties : {}), ...(isSchema(b.properties) ? b.properties : {}) };
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    out.required = [...new Set([...(Array.isArray(a.required) ? a.required : []), ...(Array.isArray(b.required) ? b.required : [])])];
  }
  return out;
}

/** A schema's `pattern` as a regular expression (unicode, as JSON Schema reads it). */
export function compilePattern(pattern: string, at: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    throw new SchemaInstanceError(`invalid pattern ${pattern} at ${at}`);
  }
}

/** Whether a value is a schema object (not an array, not null). */
export function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A keyword value that is a finite number. */
export function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A keyword value that is a number above zero. */
export function positiveNumber(v: unknown): number | undefined {
  const n = finite(v);
  return n !== undefined && n > 0 ? n : undefined;
}

/** A keyword value that is a non-negative integer. */
export function nonNegativeInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}
