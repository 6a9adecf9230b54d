import { WORDS, hashOf, rngFrom, type Rng } from './deterministic';
import { StringSampler, fitToLength } from './sample-strings';
import { SchemaInstanceError, bounds, compilePattern, isSchema, merge, nonNegativeInt, positiveNumber, typeOf, type Schema } from './schema-keywords';

export { SchemaInstanceError };

/** Past this depth optional properties are dropped and arrays shrink to `minItems`, so recursive schemas end. */
const SOFT_DEPTH = 8;
/** A schema that still recurses here requires infinite data. */
const HARD_DEPTH = 64;

/**
 * Generates a value that satisfies a JSON Schema (the 2020-12 subset structured outputs
 * use, plus draft-07 spellings), deterministically from `seed`: the same schema and seed
 * always give the same value.
 *
 * Supported: type (incl. lists), const, enum, object properties/required/
 * additionalProperties/minProperties, array items/prefixItems/minItems/maxItems/
 * uniqueItems/contains, string minLength/maxLength/format (date-time, date, time, email,
 * uri, uuid, hostname, ipv4, ipv6), number and integer bounds (inclusive and exclusive)
 * and multipleOf, anyOf/oneOf (first non-null branch), allOf, and local `$ref`.
 * A `pattern` is met by trying a set of typical candidates; when none fits, generation
 * fails rather than returning a value that does not validate.
 */
export function generateInstance(schema: Schema, seed: string): unknown {
  return new InstanceGenerator(schema, rngFrom(hashOf('schema-instance', seed))).value(schema, 0, '#');
}

class InstanceGenerator {
  private readonly strings: StringSampler;

  constructor(
    private readonly root: Schema,
    private readonly rng: Rng,
  ) {
    this.strings = new StringSampler(rng);
  }

  value(raw: unknown, depth: number, at: string): unknown {
    if (depth > HARD_DEPTH) throw new SchemaInstanceError(`schema recurses without end at ${at}`);
    if (raw === true || raw === undefined) return this.strings.words(1, 2);
    if (raw === false) throw new SchemaInstanceError(`schema false admits no value at ${at}`);
    if (!isSchema(raw)) throw new SchemaInstanceError(`not a schema at ${at}`);
    const s = this.resolve(raw, depth, at);

    if ('const' in s) return s.const;
    if (Array.isArray(s.enum)) {
      if (s.enum.length === 0) throw new SchemaInstanceError(`empty enum at ${at}`);
      return this.rng.pick(s.enum);
    }
    const branches = s.anyOf ?? s.oneOf;
    if (Array.isArray(branches) && branches.length > 0) {
      const { anyOf: _a, oneOf: _o, ...rest } = s;
      // A null branch (from nullable fields) makes a poor example; prefer real data.
      const branch = branches.find((b) => !(isSchema(b) && b.type === 'null')) ?? branches[0];
      const resolved = isSchema(branch) ? this.resolve(branch, depth, at) : {};
      return this.value(merge(rest, resolved), depth + 1, at);
    }

    switch (typeOf(s)) {
      case 'null':
        return null;
      case 'boolean':
        return this.rng.next() < 0.5;
      case 'integer':
        return this.integer(s, at);
      case 'number':
        return this.number(s, at);
      case 'array':
        return this.array(s, depth, at);
      case 'object':
        return this.object(s, depth, at);
      default:
        return this.string(s, at);
    }
  }

  /** Replaces `$ref` and `allOf` by the schemas they point to, merged with the siblings. */
  private resolve(s: Schema, depth: number, at: string): Schema {
    let out = s;
    for (let hops = 0; typeof out.$ref === 'string'; hops++) {
      if (hops > HARD_DEPTH) throw new SchemaInstanceError(`$ref cycle at ${at}`);
      const { $ref, ...rest } = out;
      out = merge(this.lookup($ref as string, at), rest);
    }
    if (Array.isArray(out.allOf)) {
      const { allOf, ...rest } = out;
      out = (allOf as unknown[]).reduce<Schema>((acc, part) => {
        if (!isSchema(part)) return acc;
        return merge(acc, this.resolve(part, depth, at));
      }, rest);
    }
    return out;
  }

  private lookup(ref: string, at: string): Schema {
    if (!ref.startsWith('#')) throw new SchemaInstanceError(`only local $ref is supported, got ${ref} at ${at}`);
    let node: unknown = this.root;
    const pointer = ref.slice(1);
    if (pointer !== '') {
      for (const token of pointer.replace(/^\//, '').split('/')) {
        const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
        node = isSchema(node) ? node[key] : undefined;
      }
    }
    if (!isSchema(node)) throw new SchemaInstanceError(`$ref ${ref} does not resolve at ${at}`);
    return node;
  }

  private object(s: Schema, depth: number, at: string): Record<string, unknown> {
    const properties = isSchema(s.properties) ? s.properties : {};
    const required = Array.isArray(s.required) ? s.required.filter((k): k is string => typeof k === 'string') : [];
    const extra = isSchema(s.additionalProperties) ? s.additionalProperties : true;
    const out: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(properties)) {
      if (depth >= SOFT_DEPTH && !required.includes(key)) continue;
      out[key] = this.value(sub, depth + 1, `${at}/${key}`);
    }
    for (const key of required) {
      if (!(key in out)) out[key] = this.value(extra, depth + 1, `${at}/${key}`);
    }
    const minProperties = nonNegativeInt(s.minProperties) ?? 0;
    if (Object.keys(out).length < minProperties && s.additionalProperties === false) {
      throw new SchemaInstanceError(`minProperties ${minProperties} cannot be met without additional properties at ${at}`);
    }
    for (let i = 1; Object.keys(out).length < minProperties; i++) {
      out[`${this.rng.pick(WORDS).replace(/-/g, '_')}_${i}`] = this.value(extra, depth + 1, `${at}/*`);
    }
    const maxProperties = nonNegativeInt(s.maxProperties);
    if (maxProperties !== undefined) {
      for (const key of Object.keys(out)) {
        if (Object.keys(out).length <= maxProperties) break;
        if (!required.includes(key)) delete out[key];
      }
    }
    return out;
  }

  private array(s: Schema, depth: number, at: string): unknown[] {
    // Draft-07 tuples spell prefixItems as an items array.
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
    const rest: unknown = Array.isArray(s.items) ? (s.additionalItems ?? true) : (s.items ?? true);
    const minItems = nonNegativeInt(s.minItems) ?? 0;
    let maxItems = nonNegativeInt(s.maxItems) ?? Number.POSITIVE_INFINITY;
    if (rest === false) maxItems = Math.min(maxItems, prefix.length);
    if (minItems > maxItems) throw new SchemaInstanceError(`minItems ${minItems} exceeds what the array allows at ${at}`);
    let count = depth >= SOFT_DEPTH ? minItems : Math.min(Math.max(this.rng.int(1, 3), minItems), maxItems);
    if (s.contains !== undefined && count === 0) count = 1;

    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      let itemSchema: unknown = i < prefix.length ? prefix[i] : rest;
      // One item carries the `contains` requirement; the rest just follow `items`.
      if (i === prefix.length && isSchema(s.contains)) itemSchema = merge(isSchema(itemSchema) ? itemSchema : {}, s.contains);
      let item = this.value(itemSchema, depth + 1, `${at}/${i}`);
      if (s.uniqueItems === true) {
        for (let tries = 0; seen.has(JSON.stringify(item)); tries++) {
          if (tries > 20) throw new SchemaInstanceError(`cannot find ${count} distinct items at ${at}`);
          item = this.value(itemSchema, depth + 1, `${at}/${i}`);
        }
        seen.add(JSON.stringify(item));
      }
      out.push(item);
    }
    return out;
  }

  private integer(s: Schema, at: string): number {
    const b = bounds(s);
    let lo = b.lo === undefined ? undefined : b.loExclusive ? Math.floor(b.lo) + 1 : Math.ceil(b.lo);
    let hi = b.hi === undefined ? undefined : b.hiExclusive ? Math.ceil(b.hi) - 1 : Math.floor(b.hi);
    lo ??= hi === undefined ? 0 : hi - 100;
    hi ??= lo + 100;
    const step = positiveNumber(s.multipleOf);
    if (step !== undefined) {
      const first = Math.ceil(lo / step) * step;
      if (first > hi) throw new SchemaInstanceError(`no multiple of ${step} within [${lo}, ${hi}] at ${at}`);
      return first + this.rng.int(0, Math.floor((hi - first) / step)) * step;
    }
    if (lo > hi) throw new SchemaInstanceError(`no integer within [${lo}, ${hi}] at ${at}`);
    return this.rng.int(lo, hi);
  }

  private number(s: Schema, at: string): number {
    const b = bounds(s);
    const lo = b.lo ?? (b.hi === undefined ? 0 : b.hi - 100);
    const hi = b.hi ?? lo + 100;
    const fits = (v: number) => (b.loExclusive ? v > lo : v >= lo) && (b.hiExclusive ? v < hi : v <= hi);
    const step = positiveNumber(s.multipleOf);
    if (step !== undefined) {
      let kLo = Math.ceil(lo / step);
      if (!fits(kLo * step)) kLo++;
      let kHi = Math.floor(hi / step);
      if (!fits(kHi * step)) kHi--;
      if (kLo > kHi) throw new SchemaInstanceError(`no multiple of ${step} within the bounds at ${at}`);
      return this.rng.int(kLo, kHi) * step;
    }
    // Two decimals read like real data; fall back to the midpoint when rounding leaves the range.
    let v = Math.round((lo + this.rng.next() * (hi - lo)) * 100) / 100;
    if (!fits(v)) v = (lo + hi) / 2;
    if (!fits(v)) throw new SchemaInstanceError(`no number within the bounds at ${at}`);
    return v;
  }

  private string(s: Schema, at: string): string {
    const minLength = nonNegativeInt(s.minLength) ?? 0;
    const maxLength = nonNegativeInt(s.maxLength) ?? Math.max(minLength, 60);
    if (minLength > maxLength) throw new SchemaInstanceError(`minLength exceeds maxLength at ${at}`);
    const format = typeof s.format === 'string' ? this.strings.formatted(s.format) : undefined;
    const pattern = typeof s.pattern === 'string' ? compilePattern(s.pattern, at) : undefined;
    const fitsLength = (v: string) => [...v].length >= minLength && [...v].length <= maxLength;

    if (!pattern) {
      if (format !== undefined && fitsLength(format)) return format;
      return fitToLength(this.strings.words(1, 4), minLength, maxLength, () => this.rng.pick(WORDS));
    }
    const candidates = [format, ...this.strings.patternCandidates()].filter((c): c is string => c !== undefined);
    const hit = candidates.find((c) => pattern.test(c) && fitsLength(c));
    if (hit === undefined) {
      throw new SchemaInstanceError(
        `cannot generate a string matching pattern ${s.pattern} at ${at}; script a json reply for this request`,
      );
    }
    return hit;
  }
}
