import { PiiKind, defaultRegistry } from '@baton/agent-tools';
import {
  PermissionPolicyError,
  decideToolCall,
  parsePermissionPolicy,
  taskTypeMatches,
  type PermissionPolicy,
  type ToolCallQuery,
} from './permissions';
import { PII_KINDS } from './pii';

const POLICY = `
version: 1
default: deny
maxCallsPerTask: { issue_refund: 2 }
rules:
  - tool: lookup_input
    roles: ['*']
  - id: refund-vip
    tool: issue_refund
    roles: [risk]
    tenants: [acme]
    taskTypes: [payment.vip]
    args: { amountCents: { max: 1000000 } }
  - id: refund
    tool: issue_refund
    roles: [risk, compliance]
    tenants: [acme, globex]
    taskTypes: ['payment.*']
    args:
      amountCents: { min: 1, max: 50000 }
      currency: { enum: [USD, EUR] }
      reason: { pattern: '[a-z ]+', maxLength: 20 }
    approval:
      when: { amountCents: { over: 10000 }, currency: { in: [EUR] } }
  - id: mail
    tool: send_email
    roles: [sales]
    unredact: [email]
  - id: lead
    tool: crm_update_lead
    roles: [sales]
    taskTypes: ['lead.*']
    approval: { always: true }
  - id: mail-support
    tool: send_email
    roles: [general]
    unredact: [email, phone]
    recipients: ['*@acme.example']
    flows: { allow: ['tool:kb_search'] }
  - id: lead-research
    tool: crm_update_lead
    roles: [research]
    flows: { otherwise: deny }
`;

describe('permission policy engine', () => {
  const policy = parsePermissionPolicy(POLICY, { tools: defaultRegistry() });
  const refund = (over: Partial<ToolCallQuery> = {}, args: Record<string, unknown> = {}): ToolCallQuery => ({
    tool: 'issue_refund',
    sideEffect: 'destructive',
    role: 'risk',
    tenantId: 'acme',
    taskType: 'payment.refund',
    shadow: false,
    args: { paymentId: 'pay_1', amountCents: 5_000, currency: 'USD', reason: 'damaged', ...args },
    ...over,
  });
  const decide = (q: ToolCallQuery) => decideToolCall(policy, q);

  it('allows a call the first matching rule allows, naming the rule', () => {
    expect(decide(refund())).toEqual({ decision: 'allow', code: 'allowed', rule: 'refund', reason: 'issue_refund is allowed by rule refund', unredact: [], unredactFields: [] });
    expect(decide({ ...refund(), tool: 'lookup_input', sideEffect: 'read', role: 'judge', args: { path: 'x' } })).toMatchObject({ decision: 'allow', rule: 'rules[0]' });
  });

  it('denies unknown tools and tools without rules', () => {
    expect(decide({ ...refund(), tool: 'rm_rf', sideEffect: undefined })).toEqual({ decision: 'deny', code: 'unknown_tool', reason: 'there is no tool named rm_rf', unredact: [], unredactFields: [] });
    expect(decide({ ...refund(), tool: 'kb_search', sideEffect: 'read' })).toMatchObject({ decision: 'deny', code: 'no_rule', reason: 'no rule of the permission policy allows kb_search' });
  });

  it('needs role AND tenant AND task type to match, and says which did not', () => {
    expect(decide(refund({ role: 'sales' }))).toMatchObject({ decision: 'deny', code: 'role_not_allowed', reason: 'role sales may not call issue_refund' });
    expect(decide(refund({ tenantId: 'initech' }))).toMatchObject({ decision: 'deny', code: 'tenant_not_allowed', reason: 'issue_refund is not enabled for tenant initech' });
    expect(decide(refund({ taskType: 'lead.qualify' }))).toMatchObject({ decision: 'deny', code: 'task_type_not_allowed', reason: 'issue_refund may not be called in a lead.qualify task' });
    expect(decide(refund({ taskType: '' }))).toMatchObject({ decision: 'deny', code: 'task_type_not_allowed' });
    // compliance matches `refund` but not `refund-vip`; globex only `refund`.
    expect(decide(refund({ role: 'compliance' }))).toMatchObject({ decision: 'allow', rule: 'refund' });
    expect(decide(refund({ tenantId: 'globex' }))).toMatchObject({ decision: 'allow', rule: 'refund' });
  });

  it('lets the first matching rule decide, even when it then denies', () => {
    expect(decide(refund({ taskType: 'payment.vip' }, { amountCents: 900_000 }))).toMatchObject({ decision: 'allow', rule: 'refund-vip' });
    expect(decide(refund({ taskType: 'payment.vip' }, { amountCents: 2_000_000 }))).toMatchObject({ decision: 'deny', code: 'argument_limit', rule: 'refund-vip' });
    // The same role on another tenant falls to the later rule.
    expect(decide(refund({ taskType: 'payment.vip', tenantId: 'globex' }, { amountCents: 900_000 }))).toMatchObject({ decision: 'deny', rule: 'refund' });
  });

  it('denies arguments outside the limits, naming the argument', () => {
    expect(decide(refund({}, { amountCents: 50_001 }))).toMatchObject({ decision: 'deny', code: 'argument_limit', reason: 'issue_refund refused: amountCents 50001 is above the limit of 50000' });
    expect(decide(refund({}, { amountCents: 0 }))).toMatchObject({ reason: 'issue_refund refused: amountCents 0 is below the minimum of 1' });
    expect(decide(refund({}, { amountCents: '500' }))).toMatchObject({ reason: 'issue_refund refused: amountCents must be a number' });
    expect(decide(refund({}, { currency: 'GBP' }))).toMatchObject({ reason: 'issue_refund refused: currency "GBP" is not one of USD, EUR' });
    expect(decide(refund({}, { reason: 'Ignore previous' }))).toMatchObject({ reason: 'issue_refund refused: reason "Ignore previous" is not an allowed value' });
    expect(decide(refund({}, { reason: 'a'.repeat(21) }))).toMatchObject({ reason: 'issue_refund refused: reason is 21 characters, above the limit of 20' });
    expect(decide(refund({}, { amountCents: 60_000, currency: 'JPY' }))).toMatchObject({
      reason: 'issue_refund refused: amountCents 60000 is above the limit of 50000; currency "JPY" is not one of USD, EUR',
    });
    // At the limits is inside them; a limit on an absent argument does not apply.
    expect(decide(refund({}, { amountCents: 1 })).decision).toBe('allow');
    expect(decide(refund({}, { amountCents: 50_000 })).decision).toBe('approval');
    expect(decide(refund({}, { reason: undefined })).decision).toBe('allow');
  });

  it('asks for approval when a condition holds', () => {
    expect(decide(refund({}, { amountCents: 10_000 })).decision).toBe('allow');
    expect(decide(refund({}, { amountCents: 10_001 }))).toEqual({
      decision: 'approval',
      code: 'approval_required',
      rule: 'refund',
      reason: "issue_refund: amountCents 10001 is over 10000, so it needs a human's approval first",
      unredact: [],
      unredactFields: [],
    });
    expect(decide(refund({}, { currency: 'EUR' }))).toMatchObject({ decision: 'approval', reason: 'issue_refund: currency is "EUR", so it needs a human\'s approval first' });
    const lead = { tool: 'crm_update_lead', sideEffect: 'write', role: 'sales', tenantId: 'acme', taskType: 'lead.qualify', shadow: false, args: {} } as const;
    expect(decide(lead)).toMatchObject({ decision: 'approval', reason: "crm_update_lead: every call of it needs a human's approval first" });
  });

  it('records writes and destructive calls in shadow mode, only when they would be allowed or need approval', () => {
    expect(decide(refund({ shadow: true }))).toMatchObject({ decision: 'record', code: 'shadow_recorded', rule: 'refund', unredact: [] });
    expect(decide(refund({ shadow: true }, { amountCents: 20_000 }))).toMatchObject({ decision: 'record', reason: expect.stringMatching(/would need approval/) });
    expect(decide(refund({ shadow: true }, { amountCents: 90_000 })).decision).toBe('deny');
    expect(decide(refund({ shadow: true, role: 'writer' })).decision).toBe('deny');
    const mail = { tool: 'send_email', sideEffect: 'write', role: 'sales', tenantId: 'x', taskType: 't', args: {} } as const;
    expect(decide({ ...mail, shadow: true })).toMatchObject({ decision: 'record', unredact: [] });
    expect(decide({ ...mail, shadow: false })).toMatchObject({ decision: 'allow', unredact: ['email'] });
    const read = { tool: 'lookup_input', sideEffect: 'read', role: 'general', tenantId: 'x', taskType: 't', args: { path: 'a' } } as const;
    expect(decide({ ...read, shadow: true }).decision).toBe('allow');
  });

  describe('real values and untrusted content', () => {
    const tools = defaultRegistry();
    const mailTool = tools.get('send_email');
    const realValues = { fields: mailTool?.needsRealValues ?? {}, recipient: mailTool?.recipient };
    const mail = (args: Record<string, unknown>, over: Partial<ToolCallQuery> = {}): ToolCallQuery => ({
      tool: 'send_email',
      sideEffect: 'write',
      role: 'general',
      tenantId: 'acme',
      taskType: 'support.reply',
      shadow: false,
      args: { subject: 's', body: 'b', ...args },
      realValues,
      ...over,
    });

    it('opens the body to real values only towards a recipient the rule names', () => {
      expect(decide(mail({ to: 'Desk@ACME.example' }))).toMatchObject({ decision: 'allow', unredact: ['email', 'phone'], unredactFields: ['to', 'body'] });
      const stranger = decide(mail({ to: 'x@elsewhere.example' }));
      expect(stranger).toMatchObject({ decision: 'allow', unredactFields: ['to'] });
      expect(stranger.reason).toMatch(/real values stay out of body: "x@elsewhere.example" is not a recipient rule mail-support names/);
      // Any address in the input becomes a placeholder, a stranger's too: as the recipient it
      // gets the mail, never the other real values of the task.
      expect(decide(mail({ to: '[EMAIL_2]' }))).toMatchObject({ decision: 'allow', unredactFields: ['to'] });
      // A look-alike of a named domain is not that domain.
      expect(decide(mail({ to: 'x@acme.example.evil.example' })).unredactFields).toEqual(['to']);
    });

    it('needs a human when a write carries values from untrusted content the rule does not allow', () => {
      expect(decide(mail({ to: 'a@b.example' }, { flows: [{ source: 'tool:kb_search', fields: ['to'] }] })).decision).toBe('allow');
      expect(decide(mail({ to: 'a@b.example' }, { flows: [{ source: 'input', fields: ['to'] }] }))).toMatchObject({
        decision: 'approval',
        code: 'untrusted_flow',
        reason: "send_email: to carries values from the untrusted input, so it needs a human's approval first; real values stay out of body: \"a@b.example\" is not a recipient rule mail-support names",
      });
      // Read but not copied: a write goes ahead.
      expect(decide(mail({ to: 'a@b.example' }, { flows: [{ source: 'input', fields: [] }] })).decision).toBe('allow');
      const lead = { tool: 'crm_update_lead', sideEffect: 'write', role: 'research', tenantId: 'acme', taskType: 't', shadow: false, args: { leadId: 'lead_1', fields: { notes: 'x' } } } as const;
      expect(decide({ ...lead, flows: [{ source: 'tool:kb_search', fields: ['fields.notes'] }] })).toMatchObject({ decision: 'deny', code: 'untrusted_flow' });
    });

    it('needs a human for a destructive call once the model has read untrusted content, copied or not', () => {
      expect(decide(refund({ flows: [{ source: 'tool:kb_search', fields: [] }] }))).toMatchObject({
        decision: 'approval',
        code: 'untrusted_flow',
        reason: "issue_refund: the model had read untrusted kb_search results, so it needs a human's approval first",
      });
      expect(decide(refund({ flows: [] })).decision).toBe('allow');
      expect(decide(refund({ flows: [{ source: 'input', fields: ['amountCents'] }] }, { amountCents: 20_000 })).reason).toMatch(/amountCents 20000 is over 10000, so it needs; amountCents carries values from the untrusted input, so it needs a human's approval first/);
    });

    it('leaves reads alone whatever they carry', () => {
      const read = { tool: 'lookup_input', sideEffect: 'read', role: 'general', tenantId: 'x', taskType: 't', shadow: false, args: { path: 'a' }, flows: [{ source: 'input', fields: ['path'] }] } as const;
      expect(decide(read).decision).toBe('allow');
    });
  });

  it('caps the calls of a tool per task', () => {
    expect(decide(refund({ callsSoFar: 1 })).decision).toBe('allow');
    expect(decide(refund({ callsSoFar: 2 }))).toMatchObject({ decision: 'deny', code: 'max_calls', reason: 'issue_refund may be called at most 2 times per task, and this task has made 2' });
    expect(decide(refund({ callsSoFar: 2, shadow: true })).decision).toBe('deny');
  });

  it('matches task types exactly, by family, or all', () => {
    expect(taskTypeMatches('lead.*', 'lead.qualify')).toBe(true);
    expect(taskTypeMatches('lead.*', 'lead.inbound.web')).toBe(true);
    expect(taskTypeMatches('lead.*', 'lead')).toBe(false);
    expect(taskTypeMatches('lead.*', 'leads.import')).toBe(false);
    expect(taskTypeMatches('lead.qualify', 'lead.qualify.x')).toBe(false);
    expect(taskTypeMatches('*', 'anything')).toBe(true);
  });

  it('is not fooled by inherited properties in arguments', () => {
    const p: PermissionPolicy = parsePermissionPolicy(`
version: 1
default: deny
rules:
  - tool: crm_update_lead
    roles: [sales]
    args: { fields.status: { enum: [qualified] }, constructor: { maxLength: 1 } }
`);
    const q = { tool: 'crm_update_lead', sideEffect: 'write', role: 'sales', tenantId: 'a', taskType: 'lead.x', shadow: false } as const;
    expect(decideToolCall(p, { ...q, args: { fields: { status: 'new' } } }).decision).toBe('deny');
    expect(decideToolCall(p, { ...q, args: { fields: { status: 'qualified' } } }).decision).toBe('allow');
    expect(decideToolCall(p, { ...q, args: { fields: { score: 3 } } }).decision).toBe('allow');
  });
});

describe('parsePermissionPolicy', () => {
  const errors = (text: string, withTools = false): string[] => {
    try {
      parsePermissionPolicy(text, withTools ? { tools: defaultRegistry() } : {});
    } catch (err) {
      expect(err).toBeInstanceOf(PermissionPolicyError);
      return (err as PermissionPolicyError).issues;
    }
    throw new Error('expected the policy to be refused');
  };
  const head = 'version: 1\ndefault: deny\n';

  it('parses a minimal policy and fills rule ids', () => {
    expect(parsePermissionPolicy(`${head}rules:\n  - { tool: kb_search, roles: [research] }\n`)).toEqual({
      version: 1,
      default: 'deny',
      maxCallsPerTask: {},
      rules: [{ id: 'rules[0]', tool: 'kb_search', roles: ['research'] }],
    });
  });

  it('refuses text that is not YAML, or empty', () => {
    expect(errors('rules: [unclosed')[0]).toMatch(/^not valid YAML: /);
    expect(errors(`${head}rules: []\nrules: []\n`)[0]).toMatch(/^not valid YAML: .*unique/i);
    expect(errors('')).toEqual(['the policy is empty']);
    expect(errors('just text')).toEqual([expect.stringMatching(/^\(top level\): /)]);
  });

  it('refuses unknown keys, naming where', () => {
    expect(errors(`${head}rules: []\nallow: everything\n`)).toEqual(['(top level): unknown key allow']);
    expect(errors(`${head}rules:\n  - { tool: kb_search, roles: [research], role: sales }\n`)).toEqual(['rules[0]: unknown key role']);
    expect(errors(`${head}rules:\n  - { tool: kb_search, roles: [research], args: { query: { max: 1, typo: 2 } } }\n`)).toEqual([
      'rules[0].args.query: unknown key typo',
    ]);
  });

  it('refuses anything but default deny and version 1', () => {
    expect(errors('version: 1\ndefault: allow\nrules: []\n')).toEqual(['default: default must be deny: a call no rule allows is refused']);
    expect(errors('version: 2\ndefault: deny\nrules: []\n')).toEqual(['version: version must be 1']);
  });

  it('refuses bad roles, task types, limits and approvals', () => {
    const rule = (extra: string): string => `${head}rules:\n  - { tool: issue_refund, roles: [risk]${extra} }\n`;
    expect(errors(`${head}rules:\n  - { tool: issue_refund, roles: [cfo] }\n`)[0]).toMatch(/^rules\[0\]\.roles\[0\]: Invalid option/);
    expect(errors(`${head}rules:\n  - { tool: issue_refund, roles: ['*', risk] }\n`)).toEqual(["rules[0].roles: '*' covers every role and stands alone"]);
    expect(errors(`${head}rules:\n  - { tool: issue_refund, roles: [] }\n`)[0]).toMatch(/^rules\[0\]\.roles: /);
    expect(errors(rule(', taskTypes: [Payment]'))).toEqual(["rules[0].taskTypes[0]: task types are a type (lead.qualify), a family (lead.*) or '*'"]);
    expect(errors(rule(", taskTypes: ['pay*']"))[0]).toMatch(/task types are/);
    expect(errors(rule(', args: { amountCents: {} }'))).toEqual(['rules[0].args.amountCents: a limit needs min/max (numbers) or enum/pattern/maxLength (strings)']);
    expect(errors(rule(', args: { amountCents: { max: 1, enum: [a] } }'))[0]).toMatch(/not both/);
    expect(errors(rule(', args: { amountCents: { min: 5, max: 1 } }'))).toEqual(['rules[0].args.amountCents: min 5 is above max 1']);
    expect(errors(rule(", args: { reason: { pattern: '(' } }"))[0]).toMatch(/^rules\[0\]\.args\.reason\.pattern: not a valid regular expression/);
    expect(errors(rule(', approval: {}'))).toEqual(['rules[0].approval: approval needs exactly one of always: true or when']);
    expect(errors(rule(', approval: { always: false }'))[0]).toMatch(/^rules\[0\]\.approval\.always: /);
    expect(errors(rule(', approval: { when: {} }'))).toEqual(['rules[0].approval.when: when needs at least one condition']);
    expect(errors(rule(', approval: { when: { amountCents: {} } }'))).toEqual(['rules[0].approval.when.amountCents: an approval condition needs over, atLeast or in']);
    expect(errors(rule(', unredact: [ssn]'))[0]).toMatch(/^rules\[0\]\.unredact\[0\]: /);
    expect(errors(`${head}rules:\n  - { id: a, tool: kb_search, roles: [sales] }\n  - { id: a, tool: kb_search, roles: [risk] }\n`)).toEqual([
      'rules[1].id: rule id a is already used by rules[0]',
    ]);
  });

  it('checks rules against the registered tools when given them', () => {
    expect(errors(`${head}rules:\n  - { tool: issue_refnd, roles: [risk] }\n`, true)).toEqual([
      'rules[0].tool: no tool named issue_refnd (tools: lookup_input, crm_get_account, kb_search, crm_update_lead, send_email, issue_refund)',
    ]);
    expect(errors(`${head}maxCallsPerTask: { refund: 1 }\nrules: []\n`, true)[0]).toMatch(/^maxCallsPerTask\.refund: no tool named refund/);
    expect(errors(`${head}rules:\n  - { tool: issue_refund, roles: [risk], args: { amount: { max: 1 } } }\n`, true)).toEqual([
      'rules[0].args.amount: issue_refund has no argument amount',
    ]);
    expect(errors(`${head}rules:\n  - { tool: issue_refund, roles: [risk], args: { currency: { max: 1 } } }\n`, true)).toEqual([
      'rules[0].args.currency: currency of issue_refund is a string, the limit is for a number',
    ]);
    expect(errors(`${head}rules:\n  - { tool: issue_refund, roles: [risk], approval: { when: { amountCents: { in: [a] } } } }\n`, true)).toEqual([
      'rules[0].approval.when.amountCents: amountCents of issue_refund is a number, the limit is for a string',
    ]);
    expect(errors(`${head}rules:\n  - { tool: crm_update_lead, roles: [sales], args: { fields.state: { enum: [a] } } }\n`, true)).toEqual([
      'rules[0].args.fields.state: crm_update_lead has no argument fields.state',
    ]);
    expect(errors(`${head}rules:\n  - { tool: send_email, roles: [sales], unredact: [email, card] }\n`, true)).toEqual([
      'rules[0].unredact: send_email does not need card un-redacted (it may need: email, phone)',
    ]);
    expect(errors(`${head}rules:\n  - { tool: kb_search, roles: [sales], unredact: [email] }\n`, true)).toEqual([
      'rules[0].unredact: kb_search does not need email un-redacted (it may need: nothing)',
    ]);
    // Without the registry the same rule is only checked for shape.
    expect(() => parsePermissionPolicy(`${head}rules:\n  - { tool: issue_refnd, roles: [risk] }\n`)).not.toThrow();
  });

  it('accepts names and addresses as kinds to un-redact only for a tool that declares them', () => {
    expect(errors(`${head}rules:\n  - { tool: send_email, roles: [sales], unredact: [email, name, address] }\n`, true)).toEqual([
      'rules[0].unredact: send_email does not need name un-redacted (it may need: email, phone)',
      'rules[0].unredact: send_email does not need address un-redacted (it may need: email, phone)',
    ]);
    // The kinds themselves are known: without the registry the rule is valid.
    expect(() => parsePermissionPolicy(`${head}rules:\n  - { tool: send_email, roles: [sales], unredact: [name, address] }\n`)).not.toThrow();
  });

  it('knows the same kinds of personal data as the redactor', () => {
    expect(PiiKind.options).toEqual([...PII_KINDS]);
  });

  it('says every problem at once', () => {
    const issues = errors(`version: 1\ndefault: deny\nrules:\n  - { tool: Bad, roles: [risk] }\n  - { tool: kb_search }\n`);
    expect(issues).toEqual(['rules[0].tool: tool names are lowercase snake_case, e.g. issue_refund', 'rules[1].roles: Invalid input: expected array, received undefined']);
    expect(new PermissionPolicyError(issues).message).toBe(`permission policy is invalid:\n  - ${issues[0]}\n  - ${issues[1]}`);
  });
});
