import { z } from 'zod';
import { ToolRegistry } from './registry';
import { canonicalHash } from '@baton/contracts';
import { ToolError, defineTool, type ToolContext } from './tool';

/** Collections of tenant records the sample tools read. */
export const COLLECTIONS = { accounts: 'accounts', leads: 'leads', payments: 'payments', kb: 'kb' } as const;

/** Key of a read: every call runs (a redelivered call with the same id replays). */
function perCall(tool: string, ctx: ToolContext): string {
  return `${tool}:${ctx.taskId}:${ctx.stepId}:${ctx.attempt}:${ctx.callId}`;
}

const RecordId = (what: string) =>
  z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, `${what} must be 1 to 64 letters, digits, underscores or dashes`);

// ---------------------------------------------------------------- lookup_input

/** Reads one field of the step's structured input by dotted path. */
export const lookupInput = defineTool({
  name: 'lookup_input',
  description: "Read one field of the task's structured input by dotted path, e.g. `customer.country` or `steps.assess.riskScore`.",
  sideEffect: 'read',
  args: z.object({ path: z.string().min(1, 'path must be a non-empty string').max(500) }),
  result: z.json(),
  idempotencyKey: (_args, ctx) => perCall('lookup_input', ctx),
  run: async ({ path }, ctx) => {
    let value: unknown = ctx.input.data;
    for (const key of path.split('.')) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) throw new ToolError(`no field ${path} in the input`);
      value = (value as Record<string, unknown>)[key];
    }
    return value as z.infer<ReturnType<typeof z.json>>;
  },
});

// ---------------------------------------------------------------- crm_get_account

/** A CRM account as the sample CRM holds it. */
export const Account = z.object({
  id: z.string(),
  name: z.string(),
  industry: z.string(),
  tier: z.enum(['smb', 'mid-market', 'enterprise']),
  country: z.string().length(2),
  contactEmail: z.string(),
  openOpportunities: z.number().int().min(0),
});
export type Account = z.infer<typeof Account>;

/** Reads one of the tenant's CRM accounts; another tenant's id is not found. */
export const crmGetAccount = defineTool({
  name: 'crm_get_account',
  description: 'Read a CRM account by its id (e.g. `acc_1001`): name, industry, tier, country, contact and open opportunities.',
  sideEffect: 'read',
  args: z.object({ accountId: RecordId('accountId') }),
  result: Account,
  idempotencyKey: (_args, ctx) => perCall('crm_get_account', ctx),
  run: async ({ accountId }, ctx) => {
    // Scoped by the envelope's tenant: an id of another tenant's account is simply not there.
    const found = await ctx.backend.getRecord(ctx.tenantId, COLLECTIONS.accounts, accountId);
    if (!found) throw new ToolError(`no account ${accountId}`);
    return found as Account;
  },
});

// ---------------------------------------------------------------- kb_search

/** A knowledge-base article. Its text is written by third parties (customers, vendors). */
export const KbDocument = z.object({ id: z.string(), title: z.string(), body: z.string(), source: z.string() });
export type KbDocument = z.infer<typeof KbDocument>;

const KbResult = z.object({ documents: z.array(KbDocument.extend({ score: z.number() })) });

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
}

/** Searches the tenant's knowledge base by words; results may carry injected instructions. */
export const kbSearch = defineTool({
  name: 'kb_search',
  description: "Search the tenant's knowledge base (policies, help articles, customer notes) by keywords; returns the best matching articles.",
  sideEffect: 'read',
  untrustedResult: true,
  args: z.object({
    query: z.string().min(2).max(200),
    limit: z.number().int().min(1).max(5).default(3),
  }),
  result: KbResult,
  idempotencyKey: (_args, ctx) => perCall('kb_search', ctx),
  run: async ({ query, limit }, ctx) => {
    const terms = new Set(words(query));
    // A malformed article is skipped rather than failing every search.
    const docs = (await ctx.backend.listRecords(ctx.tenantId, COLLECTIONS.kb)).flatMap((r) => {
      const doc = KbDocument.safeParse(r);
      return doc.success ? [doc.data] : [];
    });
    const scored = docs
      .map((doc) => {
        const title = words(doc.title);
        const body = words(doc.body);
        let score = 0;
        for (const t of terms) score += 2 * title.filter((w) => w === t).length + body.filter((w) => w === t).length;
        return { ...doc, score };
      })
      .filter((d) => d.score > 0)
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return { documents: scored.slice(0, limit) };
  },
});

// ---------------------------------------------------------------- crm_update_lead

const LeadFields = z
  .object({
    status: z.enum(['new', 'contacted', 'qualified', 'disqualified']).optional(),
    score: z.number().int().min(0).max(100).optional(),
    notes: z.string().min(1).max(2000).optional(),
    nextStep: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((f) => Object.values(f).some((v) => v !== undefined), 'name at least one field to change');

/** Changes fields of one of the tenant's leads; the same change in one step runs once. */
export const crmUpdateLead = defineTool({
  name: 'crm_update_lead',
  description: 'Update fields of a CRM lead by its id (e.g. `lead_3001`): status, score (0-100), notes, next step.',
  sideEffect: 'write',
  args: z.object({ leadId: RecordId('leadId'), fields: LeadFields }),
  result: z.object({ leadId: z.string(), updated: z.array(z.string()), status: z.literal('updated') }),
  idempotencyKey: ({ leadId, fields }, ctx) => `crm_update_lead:${ctx.taskId}:${ctx.stepId}:${leadId}:${canonicalHash(fields)}`,
  run: async ({ leadId, fields }, ctx) => {
    if (!(await ctx.backend.getRecord(ctx.tenantId, COLLECTIONS.leads, leadId))) throw new ToolError(`no lead ${leadId}`);
    const updated = Object.keys(fields)
      .filter((k) => fields[k as keyof typeof fields] !== undefined)
      .sort();
    // The ledger entry is the change: the sample CRM is the execution ledger.
    return { leadId, updated, status: 'updated' as const };
  },
});

// ---------------------------------------------------------------- send_email

/** A practical e-mail address (the guard's redactor matches the same shape). */
const EMAIL_ADDRESS = '[A-Za-z0-9_%+-]+(?:\\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}';
/** What a redacted address looks like to the model. */
const EMAIL_PLACEHOLDER = /^\[EMAIL_\d{1,4}\]$/;

/** Queues an e-mail in the outbox (the ledger); nothing leaves Baton. */
export const sendEmail = defineTool({
  name: 'send_email',
  description:
    'Send an e-mail. `to` is an address or the placeholder that stands for it in your input (e.g. `[EMAIL_1]`); it is replaced by the real address if policy allows.',
  sideEffect: 'write',
  // The recipient may be a placeholder of the task; the body may carry real details only to a
  // recipient the policy names.
  needsRealValues: { to: ['email'], body: ['email', 'phone'] },
  recipient: 'to',
  args: z.object({
    to: z
      .string()
      .max(254)
      .regex(new RegExp(`^(?:${EMAIL_ADDRESS}|\\[EMAIL_\\d{1,4}\\])$`), 'to must be an e-mail address or a placeholder such as [EMAIL_1]'),
    subject: z.string().min(1).max(200),
    body: z.string().min(1).max(10_000),
  }),
  result: z.object({ messageId: z.string(), status: z.literal('queued') }),
  idempotencyKey: ({ to, subject, body }, ctx) => `send_email:${ctx.taskId}:${ctx.stepId}:${canonicalHash({ to, subject, body })}`,
  run: async ({ to, subject, body }, ctx) => {
    if (EMAIL_PLACEHOLDER.test(to)) throw new ToolError(`recipient ${to} was not replaced by a real address, so the e-mail cannot be sent`);
    // The result does not echo the address: it would put personal data back into the conversation.
    return { messageId: `msg_${canonicalHash({ taskId: ctx.taskId, stepId: ctx.stepId, to, subject, body })}`, status: 'queued' as const };
  },
});

// ---------------------------------------------------------------- issue_refund

/** A captured card payment of the sample payment system. */
export const Payment = z.object({
  id: z.string(),
  amountCents: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  refundedCents: z.number().int().min(0).default(0),
});
export type Payment = z.infer<typeof Payment>;

/** Refunds part or all of one of the tenant's payments; a task refunds a payment once. */
export const issueRefund = defineTool({
  name: 'issue_refund',
  description: 'Refund a payment by its id (e.g. `pay_5001`): amount in cents of the payment currency, ISO 4217 currency code, and the reason.',
  sideEffect: 'destructive',
  args: z.object({
    paymentId: RecordId('paymentId'),
    amountCents: z.number().int().positive().max(100_000_000),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD'),
    reason: z.string().min(1).max(500),
  }),
  result: z.object({
    refundId: z.string(),
    paymentId: z.string(),
    amountCents: z.number().int().positive(),
    currency: z.string(),
    status: z.literal('issued'),
  }),
  // Task and payment only: a second refund of the same payment in one task replays the first.
  idempotencyKey: ({ paymentId }, ctx) => `issue_refund:${ctx.taskId}:${paymentId}`,
  run: async ({ paymentId, amountCents, currency }, ctx) => {
    const found = await ctx.backend.getRecord(ctx.tenantId, COLLECTIONS.payments, paymentId);
    if (!found) throw new ToolError(`no payment ${paymentId}`);
    const payment = Payment.parse(found);
    if (payment.currency !== currency) throw new ToolError(`payment ${paymentId} is in ${payment.currency}, not ${currency}`);
    const refundable = payment.amountCents - payment.refundedCents;
    if (amountCents > refundable) throw new ToolError(`refund of ${amountCents} cents exceeds the ${refundable} cents still refundable on ${paymentId}`);
    return { refundId: `re_${canonicalHash({ taskId: ctx.taskId, paymentId })}`, paymentId, amountCents, currency, status: 'issued' as const };
  },
});

/** The sample tools, in the order they are offered. */
export const SAMPLE_TOOLS = [lookupInput, crmGetAccount, kbSearch, crmUpdateLead, sendEmail, issueRefund] as const;

/** A fresh registry holding the sample tools. */
export function defaultRegistry(): ToolRegistry {
  return new ToolRegistry(SAMPLE_TOOLS);
}
