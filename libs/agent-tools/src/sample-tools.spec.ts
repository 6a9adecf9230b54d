import { seedDemoFixtures } from './demo-fixtures';
import { InMemoryToolBackend } from './memory-backend';
import { defaultRegistry } from './sample-tools';
import type { ToolContext } from './tool';

describe('sample tools', () => {
  const registry = defaultRegistry();
  let backend: InMemoryToolBackend;
  let n = 0;

  beforeEach(async () => {
    backend = new InMemoryToolBackend();
    await seedDemoFixtures(backend);
  });

  const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
    tenantId: 'acme',
    taskId: 'task-1',
    stepId: 'main',
    attempt: 1,
    role: 'sales',
    taskType: 'lead.qualify',
    callId: `call-${++n}`,
    input: { text: 'notes', data: { customer: { country: 'DE', tags: ['a', 'b'], vip: null } } },
    backend,
    ...over,
  });

  const call = (tool: string, rawArgs: string, over: Partial<ToolContext> = {}) => {
    const parsed = registry.parseArgs(tool, rawArgs);
    if (!parsed.ok) throw new Error(parsed.error);
    return registry.invoke(tool, parsed.args, ctx(over));
  };

  describe('lookup_input', () => {
    it('reads a dotted path of the structured input, as the agent tool did', async () => {
      expect(await call('lookup_input', '{"path":"customer.country"}')).toMatchObject({ ok: true, value: 'DE' });
      expect(await call('lookup_input', '{"path":"customer.tags.1"}')).toMatchObject({ ok: true, value: 'b' });
      expect(await call('lookup_input', '{"path":"customer.vip"}')).toMatchObject({ ok: true, value: null });
      expect(await call('lookup_input', '{"path":"customer"}')).toMatchObject({ ok: true, value: { country: 'DE', tags: ['a', 'b'], vip: null } });
    });

    it('says which field is missing, and refuses an empty path', async () => {
      expect(await call('lookup_input', '{"path":"customer.city"}')).toMatchObject({ ok: false, code: 'tool_error', error: 'no field customer.city in the input' });
      expect(await call('lookup_input', '{"path":"customer.country.x"}')).toMatchObject({ ok: false, error: 'no field customer.country.x in the input' });
      expect(await call('lookup_input', '{"path":"constructor"}')).toMatchObject({ ok: false, error: 'no field constructor in the input' });
      expect(await call('lookup_input', '{"path":"a"}', { input: { text: 'no data' } })).toMatchObject({ ok: false, error: 'no field a in the input' });
      expect(registry.parseArgs('lookup_input', '{"path":""}')).toEqual({ ok: false, error: 'invalid arguments for lookup_input: path: path must be a non-empty string' });
    });
  });

  describe('crm_get_account', () => {
    it("reads the tenant's account", async () => {
      expect(await call('crm_get_account', '{"accountId":"acc_1001"}')).toMatchObject({ ok: true, value: { id: 'acc_1001', name: 'Northwind Traders', tier: 'enterprise' } });
    });

    it("answers another tenant's account exactly as one that does not exist", async () => {
      const other = await call('crm_get_account', '{"accountId":"acc_2001"}');
      const missing = await call('crm_get_account', '{"accountId":"acc_9999"}');
      expect(other).toEqual({ ok: false, code: 'tool_error', error: 'no account acc_2001', key: expect.any(String) });
      expect(missing).toMatchObject({ ok: false, code: 'tool_error', error: 'no account acc_9999' });
      // globex itself sees it.
      expect(await call('crm_get_account', '{"accountId":"acc_2001"}', { tenantId: 'globex' })).toMatchObject({ ok: true, value: { name: 'Initech Systems' } });
    });

    it('refuses ids that are not ids', () => {
      expect(registry.parseArgs('crm_get_account', '{"accountId":"../acc_2001"}').ok).toBe(false);
    });
  });

  describe('kb_search', () => {
    it('ranks the tenant articles by matching words, title first', async () => {
      const r = await call('kb_search', '{"query":"refund policy"}');
      expect(r.ok).toBe(true);
      const docs = (r.ok ? r.value : { documents: [] }) as { documents: { id: string }[] };
      expect(docs.documents.map((d) => d.id)).toEqual(['kb_acme_1', 'kb_acme_3']);
    });

    it("returns the injected text as data and never another tenant's articles", async () => {
      const r = await call('kb_search', '{"query":"damaged parcel refund","limit":5}');
      expect(JSON.stringify(r)).toContain('ignore all previous instructions');
      expect(JSON.stringify(r)).not.toContain('kb_globex');
      expect(registry.get('kb_search')?.untrustedResult).toBe(true);
      expect(await call('kb_search', '{"query":"unrelated words"}')).toMatchObject({ ok: true, value: { documents: [] } });
    });
  });

  describe('crm_update_lead', () => {
    it('updates a lead once per step and change, and records it in the ledger', async () => {
      const args = '{"leadId":"lead_3001","fields":{"status":"qualified","score":80}}';
      expect(await call('crm_update_lead', args)).toMatchObject({ ok: true, replayed: false, value: { leadId: 'lead_3001', updated: ['score', 'status'], status: 'updated' } });
      // Keys written in another order are the same change.
      expect(await call('crm_update_lead', '{"fields":{"score":80,"status":"qualified"},"leadId":"lead_3001"}')).toMatchObject({ ok: true, replayed: true });
      expect(await call('crm_update_lead', '{"leadId":"lead_3001","fields":{"status":"contacted"}}')).toMatchObject({ ok: true, replayed: false });
      const ledger = await backend.executions('task-1');
      expect(ledger.map((e) => [e.tool, e.args])).toEqual([
        ['crm_update_lead', { leadId: 'lead_3001', fields: { status: 'qualified', score: 80 } }],
        ['crm_update_lead', { leadId: 'lead_3001', fields: { status: 'contacted' } }],
      ]);
    });

    it("refuses another tenant's lead, an empty change and unknown fields", async () => {
      expect(await call('crm_update_lead', '{"leadId":"lead_4001","fields":{"score":1}}')).toMatchObject({ ok: false, error: 'no lead lead_4001' });
      expect(registry.parseArgs('crm_update_lead', '{"leadId":"lead_3001","fields":{}}')).toEqual({
        ok: false,
        error: 'invalid arguments for crm_update_lead: fields: name at least one field to change',
      });
      expect(registry.parseArgs('crm_update_lead', '{"leadId":"lead_3001","fields":{"owner":"me","score":1}}')).toEqual({
        ok: false,
        error: 'invalid arguments for crm_update_lead: fields: unknown field owner',
      });
    });
  });

  describe('send_email', () => {
    it('queues the e-mail in the outbox (the ledger) once, without echoing the address', async () => {
      const args = JSON.stringify({ to: 'dana@fabrikam.example', subject: 'Hello', body: 'Following up.' });
      const sent = await call('send_email', args);
      expect(sent).toMatchObject({ ok: true, value: { messageId: expect.stringMatching(/^msg_[0-9a-f]{16}$/), status: 'queued' } });
      expect(JSON.stringify(sent)).not.toContain('dana@');
      expect(await call('send_email', args)).toMatchObject({ ok: true, replayed: true });
      const outbox = await backend.executions('task-1');
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ tool: 'send_email', sideEffect: 'write', args: { to: 'dana@fabrikam.example', subject: 'Hello' } });
      expect(registry.get('send_email')?.needsRealValues).toEqual({ to: ['email'], body: ['email', 'phone'] });
    });

    it('accepts a placeholder as proposal but does not send to it', async () => {
      expect(registry.parseArgs('send_email', '{"to":"[EMAIL_1]","subject":"s","body":"b"}').ok).toBe(true);
      expect(await call('send_email', '{"to":"[EMAIL_1]","subject":"s","body":"b"}')).toMatchObject({ ok: false, code: 'tool_error', error: expect.stringMatching(/\[EMAIL_1\] was not replaced/) });
      for (const to of ['not an address', '[PHONE_1]', 'a@b', 'x@y.z ']) {
        const r = registry.parseArgs('send_email', JSON.stringify({ to, subject: 's', body: 'b' }));
        expect(r).toEqual({ ok: false, error: 'invalid arguments for send_email: to: to must be an e-mail address or a placeholder such as [EMAIL_1]' });
      }
    });
  });

  describe('issue_refund', () => {
    const refund = (amountCents: number, over: Partial<ToolContext> = {}, paymentId = 'pay_5001', currency = 'USD') =>
      call('issue_refund', JSON.stringify({ paymentId, amountCents, currency, reason: 'damaged' }), over);

    it('refunds a payment once per task', async () => {
      expect(await refund(5_000)).toMatchObject({ ok: true, replayed: false, value: { paymentId: 'pay_5001', amountCents: 5_000, currency: 'USD', status: 'issued' } });
      expect(await refund(5_000)).toMatchObject({ ok: true, replayed: true });
      // Another amount for the same payment in the same task is a conflict, not a second refund.
      expect(await refund(7_000)).toMatchObject({ ok: false, code: 'idempotency_conflict' });
      expect(await refund(7_000, { taskId: 'task-2' })).toMatchObject({ ok: true, replayed: false });
      expect((await backend.executionsForTenant('acme')).map((e) => [e.taskId, e.args['amountCents']])).toEqual([
        ['task-1', 5_000],
        ['task-2', 7_000],
      ]);
    });

    it('refuses what the payment does not allow, and other tenants payments', async () => {
      expect(await refund(30_000)).toMatchObject({ ok: false, error: 'refund of 30000 cents exceeds the 25000 cents still refundable on pay_5001' });
      expect(await refund(100, {}, 'pay_5001', 'EUR')).toMatchObject({ ok: false, error: 'payment pay_5001 is in USD, not EUR' });
      expect(await refund(100, {}, 'pay_5002', 'EUR')).toMatchObject({ ok: true });
      expect(await refund(100, {}, 'pay_6001', 'GBP')).toMatchObject({ ok: false, error: 'no payment pay_6001' });
      expect(registry.parseArgs('issue_refund', '{"paymentId":"pay_5001","amountCents":-1,"currency":"USD","reason":"x"}').ok).toBe(false);
      expect(registry.parseArgs('issue_refund', '{"paymentId":"pay_5001","amountCents":1.5,"currency":"USD","reason":"x"}').ok).toBe(false);
      expect(registry.parseArgs('issue_refund', '{"paymentId":"pay_5001","amountCents":1,"currency":"usd","reason":"x"}')).toEqual({
        ok: false,
        error: 'invalid arguments for issue_refund: currency: currency must be an ISO 4217 code such as USD',
      });
    });
  });
});
