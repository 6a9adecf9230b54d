import { FAKE_SECRETS } from '@baton/guard/testing';
import { ErrorInfo, type OutputProposed } from '@baton/contracts';
import { OutputRulesConfig } from '@baton/guard';
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
  it('blocks an output that repeats the task canary, also spelled out letter by letter', () => {
    const canary = 'BTN-0123456789abcdef0123';
    for (const leak of [`My marker is ${canary}`, `Marker: ${[...canary].join(' ')}`]) {
      const v = screenOutput(proposal(leak), { canary });
      expect(v).toMatchObject({ approve: false, reason: { code: 'output_blocked' } });
    }
    expect(screenOutput(proposal('A plain answer.'), { canary })).toMatchObject({ approve: true });
  });

  it('approves output that satisfies the schema, with the parsed JSON as output', () => {
    expect(screenOutput(proposal('{"qualified": true, "score": 82}', schema))).toEqual({
      approve: true,
      output: { qualified: true, score: 82 },
      findings: [],
    });
  });

  it('approves plain text when no schema was declared, as the text', () => {
    expect(screenOutput(proposal('  The lead looks qualified.  '))).toEqual({ approve: true, output: 'The lead looks qualified.', findings: [] });
  });

  it('blocks output that is not JSON as the model\'s fault', () => {
    const verdict = screenOutput(proposal('Sure! The lead is qualified.', schema));
    expect(verdict).toEqual({
      approve: false,
      findings: [],
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

  describe('output rules', () => {
    const rules = OutputRulesConfig.parse({
      leaks: { pii: 'redact', secrets: 'block' },
      links: { action: 'reask', allowedHosts: ['docs.acme.test'] },
      canaries: { action: 'escalate', values: ['CANARY-7f3a9c'] },
    });

    it('redacts personal data and approves the redacted output', () => {
      const v = screenOutput(proposal('Write to ana.lopez@example.com about the order.'), { rules });
      expect(v).toMatchObject({ approve: true, output: 'Write to [EMAIL_1] about the order.' });
      expect(v.findings).toEqual([expect.objectContaining({ rule: 'pii', kind: 'email', action: 'redact' })]);
    });

    it('blocks a secret for good, and the reason never repeats it', () => {
      const v = screenOutput(proposal(`Use the key ${FAKE_SECRETS.openaiOther} to call it.`), { rules });
      expect(v).toMatchObject({ approve: false, reason: { kind: 'policy', code: 'output_blocked' } });
      expect(JSON.stringify(v)).not.toContain(FAKE_SECRETS.openaiOther);
    });

    it('asks again for a link to a host that is not allowed, and lets an allowed one through', () => {
      expect(screenOutput(proposal('See [the policy](https://evil.example/p?d=1).'), { rules })).toMatchObject({ approve: false, reason: { code: 'output_policy' } });
      expect(screenOutput(proposal('See [the policy](https://docs.acme.test/refunds).'), { rules })).toMatchObject({ approve: true });
    });

    it('holds an output with a canary for a human, redacted', () => {
      const v = screenOutput(proposal('The hidden marker is CANARY-7f3a9c.'), { rules });
      expect(v).toMatchObject({ approve: false, reason: { kind: 'policy', code: 'output_escalated' } });
    });
  });
});
