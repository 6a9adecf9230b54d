import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';

/** Outcome of checking a model's output. */
export type OutputCheck =
  | { ok: true; output: unknown }
  | {
      ok: false;
      code: 'output_not_json' | 'output_schema_mismatch' | 'output_empty';
      message: string;
      /** Validation problems, one line each (`/path message`), when the schema rejected the output. */
      issues?: string[];
    };

const MAX_ISSUES = 20;
const MAX_CACHED_SCHEMAS = 256;

/**
 * Schemas come from tenants, so ajv is lenient: unknown keywords (`example`, `x-*`) and
 * unknown formats are ignored rather than failing the task, and nothing is logged.
 */
const AJV_OPTIONS: Options = { allErrors: true, strict: false, logger: false };

/** A few common formats, so ajv-formats is not needed; anything else is not checked. */
const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  time: /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/i,
  'date-time': /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/i,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  ipv4: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
};

type Draft = '2020' | '2019' | '07';
const validators: Partial<Record<Draft, Ajv>> = {};

/** One ajv per draft, made on first use; `$schema` picks it, 2020-12 (what zod emits) by default. */
function ajvFor(schema: Record<string, unknown>): Ajv {
  const declared = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  const draft: Draft = /draft-0[67]/.test(declared) ? '07' : declared.includes('2019-09') ? '2019' : '2020';
  let ajv = validators[draft];
  if (!ajv) {
    ajv = draft === '07' ? new Ajv(AJV_OPTIONS) : draft === '2019' ? new Ajv2019(AJV_OPTIONS) : new Ajv2020(AJV_OPTIONS);
    for (const [name, re] of Object.entries(FORMATS)) ajv.addFormat(name, re);
    validators[draft] = ajv;
  }
  return ajv;
}

type Compiled = { validate: ValidateFunction } | { invalid: string };

/** Compiled validators by schema JSON, least recently used evicted first. */
const compiled = new Map<string, Compiled>();

function compile(schema: Record<string, unknown>): Compiled {
  let key: string;
  try {
    key = JSON.stringify(schema);
  } catch (err) {
    return { invalid: `the schema is not JSON (${(err as Error).message})` };
  }
  const hit = compiled.get(key);
  if (hit) {
    compiled.delete(key);
    compiled.set(key, hit);
    return hit;
  }
  // Compile a private copy: the caller may mutate its object after this call.
  const copy = JSON.parse(key) as Record<string, unknown>;
  const ajv = ajvFor(copy);
  let entry: Compiled;
  try {
    entry = { validate: ajv.compile(copy) };
  } catch (err) {
    entry = { invalid: (err as Error).message };
  }
  // Our cache owns the validator; leaving the schema in ajv's registry would grow it
  // forever and make two tenants' schemas with the same $id collide.
  try {
    ajv.removeSchema(copy);
  } catch {
    // nothing was registered (compile failed early)
  }
  compiled.set(key, entry);
  if (compiled.size > MAX_CACHED_SCHEMAS) compiled.delete(compiled.keys().next().value as string);
  return entry;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '(root)';
  if (e.keyword === 'additionalProperties') {
    return `${where} must not have property '${String((e.params as { additionalProperty?: unknown }).additionalProperty)}'`;
  }
  return `${where} ${e.message ?? `fails ${e.keyword}`}`;
}

const FENCED = /```[ \t]*(?:json)?[ \t]*\r?\n([\s\S]*?)```/gi;

/** Parses the output as JSON, or the first fenced block that parses (models like to wrap JSON). */
function parseJsonOutput(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    for (const m of text.matchAll(FENCED)) {
      try {
        return { ok: true, value: JSON.parse(m[1].trim()) as unknown };
      } catch {
        // try the next block
      }
    }
    return { ok: false, reason: (err as Error).message };
  }
}

/**
 * Checks a model's output before anyone downstream sees it. With a JSON Schema the
 * output must be JSON (a ```json fenced block is accepted) that the schema accepts; the
 * parsed value is returned. Without one, any non-blank text passes, trimmed. An invalid
 * schema yields output_schema_mismatch with the reason; this function never throws.
 */
export function checkOutput(content: string, schema?: Record<string, unknown>): OutputCheck {
  const text = content.trim();
  if (text.length === 0) return { ok: false, code: 'output_empty', message: 'the model returned no output' };
  if (!schema) return { ok: true, output: text };

  const parsed = parseJsonOutput(text);
  if (!parsed.ok) {
    return { ok: false, code: 'output_not_json', message: `output is not JSON: ${parsed.reason.slice(0, 200)}` };
  }
  const c = compile(schema);
  if ('invalid' in c) {
    return { ok: false, code: 'output_schema_mismatch', message: `the output schema is invalid: ${c.invalid}` };
  }
  if (c.validate(parsed.value)) return { ok: true, output: parsed.value };
  const errors = c.validate.errors ?? [];
  const issues = errors.slice(0, MAX_ISSUES).map(describe);
  if (errors.length > MAX_ISSUES) issues.push(`…and ${errors.length - MAX_ISSUES} more`);
  return {
    ok: false,
    code: 'output_schema_mismatch',
    message: `output does not match the schema: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}`,
    issues,
  };
}

/** Number of compiled schemas held; for tests and metrics. */
export function cachedSchemaCount(): number {
  return compiled.size;
}
