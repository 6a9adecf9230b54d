/** Size limits of what a task may ask a model to read. */
export interface InputLimits {
  /** Most characters of input text plus the JSON of input data (default 20 000). */
  maxInputChars: number;
  /** Most characters of the instruction (default 4 000). */
  maxInstructionChars: number;
}

/** Limits applied when a tenant has no own. */
export const DEFAULT_INPUT_LIMITS: InputLimits = { maxInputChars: 20_000, maxInstructionChars: 4_000 };

/** Shape limits of submitted JSON: what a parser, a redactor or a serializer can walk without running out of stack. */
export interface ShapeLimits {
  /** Most levels of objects and arrays nested in one another (default 64). */
  maxDepth: number;
  /** Most keys and array items in the whole value (default 10 000). */
  maxEntries: number;
}

/** Limits applied to every submission, at the gateway and by the input guard. */
export const DEFAULT_SHAPE_LIMITS: ShapeLimits = { maxDepth: 64, maxEntries: 10_000 };

/** Outcome of the shape check. */
export type ShapeCheck = { ok: true } | { ok: false; code: 'input_too_deep' | 'input_too_wide'; message: string };

/**
 * Refuses JSON nested deeper or spread wider than the limits. Walks with its own stack,
 * never recursion, and stops at the first limit crossed, so a hostile value (a million
 * levels) costs no more than the limit and cannot overflow the call stack. Scalars are no
 * level; `{}` and `[]` are one.
 */
export function checkShape(value: unknown, limits: Partial<ShapeLimits> = {}): ShapeCheck {
  const maxDepth = limit(limits.maxDepth, DEFAULT_SHAPE_LIMITS.maxDepth, 'maxDepth');
  const maxEntries = limit(limits.maxEntries, DEFAULT_SHAPE_LIMITS.maxEntries, 'maxEntries');
  let entries = 0;
  const pending: Array<{ value: object; depth: number }> = [];
  if (value !== null && typeof value === 'object') pending.push({ value, depth: 1 });
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.depth > maxDepth) {
      return { ok: false, code: 'input_too_deep', message: `JSON is nested deeper than ${fmt(maxDepth)} levels of objects and arrays; the limit is ${fmt(maxDepth)}` };
    }
    const children: unknown[] = Array.isArray(next.value) ? next.value : Object.values(next.value);
    entries += children.length;
    if (entries > maxEntries) {
      return { ok: false, code: 'input_too_wide', message: `JSON has more than ${fmt(maxEntries)} keys and array items in all; the limit is ${fmt(maxEntries)}` };
    }
    for (const child of children) if (child !== null && typeof child === 'object') pending.push({ value: child, depth: next.depth + 1 });
  }
  return { ok: true };
}

/** The part of a task spec the size check reads. */
export interface CheckedInput {
  /** What the specialist should do. */
  instruction?: string;
  /** The material to work on. */
  input: { text: string; data?: Record<string, unknown> };
}

/** Outcome of the size check. */
export type InputCheck =
  | { ok: true }
  | { ok: false; code: 'input_too_large' | 'instruction_too_large' | 'input_too_deep' | 'input_too_wide'; message: string };

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function dataSize(data: Record<string, unknown> | undefined): number {
  if (data === undefined) return 0;
  try {
    return JSON.stringify(data).length;
  } catch {
    // Only reachable from code (parsed events are plain JSON); refuse rather than guess a size.
    return Number.POSITIVE_INFINITY;
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * Rejects inputs too deep or wide to walk (checkShape), then inputs too large to send to a model. Sizes are string lengths (UTF-16 code
 * units), the same measure zod's `.max()` uses on the contract; input size is the text
 * plus the JSON of `data`.
 */
export function checkInput(spec: CheckedInput, limits: Partial<InputLimits> = {}): InputCheck {
  const maxInput = limit(limits.maxInputChars, DEFAULT_INPUT_LIMITS.maxInputChars, 'maxInputChars');
  const maxInstruction = limit(limits.maxInstructionChars, DEFAULT_INPUT_LIMITS.maxInstructionChars, 'maxInstructionChars');

  // First: measuring the size serializes `data`, which a hostile shape would overflow.
  const shape = checkShape(spec.input.data);
  if (!shape.ok) return { ok: false, code: shape.code, message: `input.data: ${shape.message}` };

  const instructionSize = spec.instruction?.length ?? 0;
  if (instructionSize > maxInstruction) {
    return {
      ok: false,
      code: 'instruction_too_large',
      message: `instruction is ${fmt(instructionSize)} characters; the limit is ${fmt(maxInstruction)}`,
    };
  }
  const size = spec.input.text.length + dataSize(spec.input.data);
  if (size > maxInput) {
    const what = Number.isFinite(size) ? `${fmt(size)} characters` : 'not JSON-serializable';
    return {
      ok: false,
      code: 'input_too_large',
      message: `input (text plus JSON of data) is ${what}; the limit is ${fmt(maxInput)}`,
    };
  }
  return { ok: true };
}
