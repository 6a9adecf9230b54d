import { cachedSchemaCount, checkOutput } from './output-check';

const lead = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    qualified: { type: 'boolean' },
    score: { type: 'number', minimum: 0, maximum: 1 },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['qualified', 'score'],
  additionalProperties: false,
};

describe('checkOutput without a schema', () => {
  it('passes non-blank text, trimmed', () => {
    expect(checkOutput('  The lead looks promising.\n')).toEqual({ ok: true, output: 'The lead looks promising.' });
    expect(checkOutput('{"not":"parsed"}')).toEqual({ ok: true, output: '{"not":"parsed"}' });
  });

  it.each(['', '   ', '\n\t\n', '\uFEFF'])('rejects blank output %j', (content) => {
    expect(checkOutput(content)).toEqual({ ok: false, code: 'output_empty', message: expect.any(String) });
  });
});

describe('checkOutput with a schema', () => {
  it('returns the parsed value when it matches', () => {
    expect(checkOutput('{"qualified":true,"score":0.8}', lead)).toEqual({ ok: true, output: { qualified: true, score: 0.8 } });
  });

  it.each([
    ['a ```json block', 'Here you go:\n```json\n{"qualified":false,"score":0.1}\n```\nAnything else?'],
    ['a bare ``` block', '```\n{"qualified":false,"score":0.1}\n```'],
    ['a ```JSON block with CRLF', '```JSON\r\n{"qualified":false,"score":0.1}\r\n```'],
    ['surrounding whitespace', '\n\n  {"qualified":false,"score":0.1}  \n'],
    ['a first block that is not JSON', '```\nnot json\n```\n```json\n{"qualified":false,"score":0.1}\n```'],
  ])('accepts JSON in %s', (_name, content) => {
    expect(checkOutput(content, lead)).toEqual({ ok: true, output: { qualified: false, score: 0.1 } });
  });

  it.each([
    ['prose', 'The lead is qualified with a score of 0.8.'],
    ['truncated JSON', '{"qualified":true,"score":'],
    ['a fenced block with bad JSON', '```json\n{qualified: true}\n```'],
    ['single quotes', "{'qualified': true, 'score': 0.5}"],
  ])('rejects %s as output_not_json', (_name, content) => {
    const r = checkOutput(content, lead);
    expect(r).toMatchObject({ ok: false, code: 'output_not_json', message: expect.stringContaining('not JSON') });
  });

  it('lists every schema issue with its path', () => {
    const r = checkOutput('{"qualified":"yes","score":2,"extra":1,"tags":[1]}', lead);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('output_schema_mismatch');
    expect(r.issues).toEqual(
      expect.arrayContaining([
        '/qualified must be boolean',
        '/score must be <= 1',
        "(root) must not have property 'extra'",
        '/tags/0 must be string',
      ]),
    );
    expect(r.message).toMatch(/^output does not match the schema: /);
  });

  it('reports a missing required property at the root', () => {
    const r = checkOutput('{"qualified":true}', lead);
    expect(r).toMatchObject({ ok: false, code: 'output_schema_mismatch', issues: ["(root) must have required property 'score'"] });
  });

  it('validates non-object JSON values too', () => {
    expect(checkOutput('null', lead)).toMatchObject({ ok: false, code: 'output_schema_mismatch' });
    expect(checkOutput('42', { type: 'integer' })).toEqual({ ok: true, output: 42 });
  });

  it('caps the issue list', () => {
    const schema = { type: 'array', items: { type: 'string' } };
    const r = checkOutput(JSON.stringify(Array.from({ length: 50 }, (_, i) => i)), schema);
    expect(r.ok || r.issues).toHaveLength(21);
    expect(r.ok || r.issues![20]).toBe('…and 30 more');
  });

  it('supports draft-07 schemas', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { name: { type: 'string', minLength: 1 } },
      type: 'object',
      properties: { name: { $ref: '#/definitions/name' } },
      required: ['name'],
    };
    expect(checkOutput('{"name":"Ada"}', schema)).toEqual({ ok: true, output: { name: 'Ada' } });
    expect(checkOutput('{"name":""}', schema)).toMatchObject({ code: 'output_schema_mismatch' });
  });

  it('checks common formats and ignores unknown ones and keywords', () => {
    const schema = {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        when: { type: 'string', format: 'date-time' },
        other: { type: 'string', format: 'phone-ish', example: 'x', 'x-ui': 1 },
      },
    };
    expect(checkOutput('{"email":"a@b.co","when":"2025-01-01T10:00:00Z","other":"?"}', schema)).toMatchObject({ ok: true });
    expect(checkOutput('{"email":"nope"}', schema)).toMatchObject({ issues: ['/email must match format "email"'] });
    expect(checkOutput('{"when":"yesterday"}', schema)).toMatchObject({ code: 'output_schema_mismatch' });
  });

  it.each([
    ['an unknown type', { type: 'strnig' }],
    ['a non-schema value for properties', { type: 'object', properties: 5 }],
    ['an unresolvable $ref', { $ref: '#/$defs/missing' }],
    ['an unsupported draft', { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' }],
  ])('turns %s into output_schema_mismatch instead of throwing', (_name, schema) => {
    const r = checkOutput('{}', schema);
    expect(r).toMatchObject({ ok: false, code: 'output_schema_mismatch', message: expect.stringMatching(/^the output schema is invalid: /) });
  });

  it('never throws on a schema that is not JSON', () => {
    const schema: Record<string, unknown> = { type: 'object' };
    schema['self'] = schema;
    expect(checkOutput('{}', schema)).toMatchObject({ ok: false, code: 'output_schema_mismatch' });
  });

  it('compiles each distinct schema once and keeps different schemas with the same $id apart', () => {
    const a = { $id: 'https://baton.example/out', type: 'object', required: ['a'] };
    const b = { $id: 'https://baton.example/out', type: 'object', required: ['b'] };
    const before = cachedSchemaCount();
    expect(checkOutput('{"a":1}', a).ok).toBe(true);
    expect(checkOutput('{"a":1}', b).ok).toBe(false);
    expect(checkOutput('{"b":1}', b).ok).toBe(true);
    expect(checkOutput('{"a":1}', { ...a }).ok).toBe(true);
    expect(cachedSchemaCount()).toBe(before + 2);
  });

  it('is not affected by later mutation of the caller’s schema object', () => {
    const schema: Record<string, unknown> = { type: 'object', required: ['x'] };
    expect(checkOutput('{}', schema).ok).toBe(false);
    schema['required'] = [];
    expect(checkOutput('{}', schema).ok).toBe(true);
  });

  it('bounds the cache', () => {
    for (let i = 0; i < 300; i++) checkOutput('1', { type: 'integer', minimum: -i });
    expect(cachedSchemaCount()).toBeLessThanOrEqual(256);
  });

  it('rejects blank output before looking at the schema', () => {
    expect(checkOutput('  ', lead)).toMatchObject({ ok: false, code: 'output_empty' });
  });
});
