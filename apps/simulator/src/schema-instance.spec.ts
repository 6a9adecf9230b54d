import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { z } from 'zod';
import { SchemaInstanceError, generateInstance } from './schema-instance';

// Ajv does not ship format checks; these are strict enough to catch a wrong shape.
const ajv = new Ajv2020({ allErrors: true, strict: false });
const formats: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  time: /^\d{2}:\d{2}:\d{2}Z$/,
  email: /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/,
  uri: /^https?:\/\/[^\s]+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  hostname: /^[a-z0-9.-]+$/,
  ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
};
for (const [name, re] of Object.entries(formats)) ajv.addFormat(name, re);

function expectValid(schema: Record<string, unknown>, value: unknown): void {
  const validate = ajv.compile(schema);
  if (!validate(value)) {
    throw new Error(`${JSON.stringify(value)} fails ${JSON.stringify(validate.errors)}`);
  }
}

const LeadScore = z.object({
  company: z.string().min(2).max(80),
  score: z.number().int().min(0).max(100),
  tier: z.enum(['hot', 'warm', 'cold']),
  contact: z.email(),
  nextMeeting: z.iso.datetime().nullable(),
  reasons: z.array(z.string().min(5)).min(1).max(5),
  owner: z.object({ id: z.uuid(), since: z.iso.date(), site: z.url() }),
  confidence: z.number().gt(0).lt(1),
  qualified: z.boolean(),
  kind: z.literal('lead'),
  note: z.string().optional(),
  time: z.iso.time(),
  code: z.string().regex(/^[A-Z]{3}-\d{3}$/),
  pair: z.tuple([z.string(), z.number()]),
  extra: z.record(z.string(), z.number()),
  either: z.union([z.number(), z.string()]),
});

const schemas: Record<string, Record<string, unknown>> = {
  'zod 4 output with formats, patterns, tuples and nullables': z.toJSONSchema(LeadScore) as Record<string, unknown>,
  'a strict structured-output object': {
    type: 'object',
    additionalProperties: false,
    required: ['summary', 'priority', 'tags'],
    properties: {
      summary: { type: 'string', minLength: 20, maxLength: 30 },
      priority: { type: 'integer', enum: [1, 2, 3] },
      tags: { type: 'array', items: { type: 'string', maxLength: 4 }, minItems: 3, maxItems: 3, uniqueItems: true },
    },
  },
  'nested objects and arrays of objects': {
    type: 'object',
    required: ['candidate'],
    properties: {
      candidate: {
        type: 'object',
        required: ['name', 'skills', 'experience'],
        properties: {
          name: { type: 'string' },
          skills: { type: 'array', minItems: 2, items: { type: 'object', required: ['skill', 'years'], properties: { skill: { type: 'string' }, years: { type: 'number', minimum: 0.5, maximum: 0.75 } } } },
          experience: { type: 'object', properties: { level: { const: 'senior' } }, required: ['level'] },
        },
      },
    },
  },
  'exclusive bounds and multipleOf': {
    type: 'object',
    properties: {
      a: { type: 'integer', exclusiveMinimum: 10, exclusiveMaximum: 12 },
      b: { type: 'number', exclusiveMinimum: 0, maximum: 0.01 },
      c: { type: 'integer', minimum: 7, multipleOf: 5, maximum: 14 },
      d: { type: 'number', minimum: -5, maximum: -4 },
      e: { type: 'integer', maximum: -1000 },
      f: { type: 'number', multipleOf: 0.5, minimum: 1, maximum: 2 },
    },
    required: ['a', 'b', 'c', 'd', 'e', 'f'],
  },
  '$defs, $ref and a recursive tree': {
    $defs: {
      node: {
        type: 'object',
        required: ['label'],
        properties: { label: { type: 'string', minLength: 1 }, children: { type: 'array', items: { $ref: '#/$defs/node' } } },
      },
    },
    $ref: '#/$defs/node',
  },
  'allOf, anyOf and type lists': {
    allOf: [
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
      { properties: { b: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 3, maximum: 3 }] } }, required: ['b'] },
    ],
    properties: { c: { type: ['null', 'boolean'] } },
    required: ['c'],
  },
  'minProperties over a map': {
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1, maximum: 9 },
    minProperties: 3,
  },
  'a bare string': { type: 'string', minLength: 100 },
  'an empty schema': {},
  'an array that must contain a value': { type: 'array', items: { type: 'integer', minimum: 0, maximum: 3 }, contains: { const: 2 } },
};

describe('generateInstance', () => {
  it.each(Object.entries(schemas))('satisfies %s', (_name, schema) => {
    for (const seed of ['a', 'b', 'lead: ACME Corp, 50 seats', '']) {
      expectValid(schema, generateInstance(schema, seed));
    }
  });

  it('satisfies every schema for any prompt', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...Object.values(schemas)), (seed, schema) => {
        expectValid(schema, generateInstance(schema, seed));
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic per seed and varies between seeds', () => {
    const schema = schemas['zod 4 output with formats, patterns, tuples and nullables'];
    expect(generateInstance(schema, 'same')).toEqual(generateInstance(schema, 'same'));
    const distinct = new Set(['1', '2', '3', '4', '5'].map((s) => JSON.stringify(generateInstance(schema, s))));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('returns const and enum values as given', () => {
    expect(generateInstance({ const: { fixed: [1, 2] } }, 'x')).toEqual({ fixed: [1, 2] });
    expect(['x', 'y']).toContain(generateInstance({ enum: ['x', 'y'] }, 'x'));
  });

  it.each([
    ['unsatisfiable integer bounds', { type: 'integer', minimum: 5, maximum: 4 }, /no integer within/],
    ['an exclusive range with no room', { type: 'number', exclusiveMinimum: 1, exclusiveMaximum: 1 }, /no number/],
    ['a pattern it cannot meet', { type: 'string', pattern: '^zz[0-9]{40}$' }, /cannot generate a string matching pattern/],
    ['a remote $ref', { $ref: 'https://example.com/schema.json' }, /only local \$ref/],
    ['a dangling $ref', { $ref: '#/$defs/missing' }, /does not resolve/],
    ['a required infinite recursion', { $defs: { n: { type: 'object', required: ['n'], properties: { n: { $ref: '#/$defs/n' } } } }, $ref: '#/$defs/n' }, /recurses without end/],
    ['minLength above maxLength', { type: 'string', minLength: 5, maxLength: 2 }, /minLength exceeds maxLength/],
    ['too few distinct items', { type: 'array', items: { type: 'boolean' }, minItems: 3, uniqueItems: true }, /distinct items/],
  ])('fails clearly on %s', (_name, schema, message) => {
    expect(() => generateInstance(schema, 'seed')).toThrow(SchemaInstanceError);
    expect(() => generateInstance(schema, 'seed')).toThrow(message);
  });
});
