import { ErrorInfo, type OutputProposed } from '@baton/contracts';
import { screenOutput } from './output-screen';

const schema = {
  type: 'object',
  properties: { qualified: { type: 'boolean' }, score: { type: 'integer', minimum: 0, maximum: 100 } },
  required: ['qualified', 'score'],
};

const proposal = (content: string, outputSchema?: Record<string, unknown>): OutputProposed['data'] => ({
  stepId: 'main',
  attempt: 1,
  role: 'sales',
  model: 'sim-mini',
  content,
  ...(outputSchema ? { outputSchema } : {}),
});

describe('screenOutput', () => {
  it('approves output that satisfies the schema, with the parsed JSON as output', () => {
    expect(screenOutput(proposal('{"qualified": true, "score": 82}', schema))).toEqual({
      approve: true,
      output: { qualified: true, score: 82 },
    });
  });

  it('approves plain text when no schema was declared, as the text', () => {
    expect(screenOutput(proposal('  The lead looks qualified.  '))).toEqual({ approve: true, output: 'The lead looks qualified.' });
  });

  it('blocks output that is not JSON as the model\'s fault', () => {
    const verdict = screenOutput(proposal('Sure! The lead is qualified.', schema));
    expect(verdict).toEqual({
      approve: false,
      reason: { kind: 'model', code: 'output_not_json', message: expect.stringMatching(/^output is not JSON/) },
    });
    if (verdict.approve) throw new Error('unreachable');
    expect('details' in verdict.reason).toBe(false);
    expect(ErrorInfo.safeParse(verdict.reason).success).toBe(true);
  });

  it('blocks output that breaks the schema and passes the issues on as details', () => {
    const verdict = screenOutput(proposal('{"qualified": "yes", "score": 82}', schema));
    expect(verdict.approve).toBe(false);
    if (verdict.approve) throw new Error('unreachable');
    expect(verdict.reason.kind).toBe('model');
    expect(verdict.reason.code).toBe('output_schema_mismatch');
    expect(verdict.reason.details).toEqual({ issues: [expect.stringContaining('/qualified')] });
    expect(ErrorInfo.safeParse(verdict.reason).success).toBe(true);
  });

  it('blocks an empty answer even without a schema', () => {
    expect(screenOutput(proposal('   '))).toMatchObject({ approve: false, reason: { kind: 'model', code: 'output_empty' } });
  });
});
