import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentRole } from '@baton/contracts';
import { defaultRegistry } from '@baton/agent-tools';
import { decideToolCall, decisionRank, parsePermissionPolicy, type PermissionPolicy, type ToolCallDecision } from './permissions';

/*
 * Every role × every tool × tenants × task types × shadow on/off × argument values around
 * each limit and approval threshold × calls already made, decided by the engine against the
 * SHIPPED config/permissions.yaml and compared with the table below. The table is written
 * from what the policy is meant to say, one plain function per tool; it does not look at
 * the policy file.
 */

const registry = defaultRegistry();
const SHIPPED = readFileSync(join(__dirname, '..', '..', '..', 'config', 'permissions.yaml'), 'utf8');

type Role = AgentRole;
type Decision = ToolCallDecision['decision'];
interface Case {
  tool: string;
  role: Role;
  tenantId: string;
  taskType: string;
  shadow: boolean;
  args: Record<string, unknown>;
  callsSoFar: number;
}
interface Expected {
  decision: Decision;
  unredact?: string[];
}

// ---------------------------------------------------------------- conditions

const TENANTS = ['acme', 'globex', 'initech', 'tenant-nobody-knows'];
const TASK_TYPES = [
  'lead.qualify',
  'lead.inbound.web',
  'lead',
  'leads.import',
  'resume.screen',
  'resume',
  'payment.refund',
  'payment.dispute.chargeback',
  'payment',
  'payments.refund',
  'support.refund',
  'support.refund.partial',
  'support.triage',
  'fraud.review',
  'research.market',
  '',
];

const CALL_LIMITS: Record<string, number> = { crm_update_lead: 5, send_email: 3, issue_refund: 1 };
const callCounts = (tool: string): number[] => {
  const max = CALL_LIMITS[tool];
  return max === undefined ? [0, 1000] : [0, max - 1, max, max + 1];
};

const AMOUNTS = [1, 9_999, 10_000, 10_001, 49_999, 50_000, 50_001, 199_999, 200_000, 200_001, 100_000_000];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY'];
const subject = (n: number): string => 'S'.repeat(n);

/** Argument sets per tool, every one valid under the tool's own schema. */
const ARGS: Record<string, Record<string, unknown>[]> = {
  lookup_input: [{ path: 'customer.country' }],
  crm_get_account: [{ accountId: 'acc_1001' }, { accountId: 'acc_2001' }],
  kb_search: [{ query: 'refund policy', limit: 3 }],
  crm_update_lead: [undefined, 'new', 'contacted', 'qualified', 'disqualified'].map((status) => ({
    leadId: 'lead_3001',
    fields: status === undefined ? { score: 70 } : { score: 70, status },
  })),
  send_email: ['[EMAIL_1]', 'dana@fabrikam.example'].flatMap((to) => [1, 149, 150, 151, 200].map((n) => ({ to, subject: subject(n), body: 'Hello' }))),
  issue_refund: AMOUNTS.flatMap((amountCents) => CURRENCIES.map((currency) => ({ paymentId: 'pay_5001', amountCents, currency, reason: 'damaged parcel' }))),
};

// ---------------------------------------------------------------- expected table

const LEAD_TASKS = ['lead.qualify', 'lead.inbound.web'];
const RESUME_TASKS = ['resume.screen'];
const REFUND_TASKS = ['payment.refund', 'payment.dispute.chargeback', 'support.refund'];

const deny: Expected = { decision: 'deny' };
/** A write or destructive call the policy lets through is only recorded in shadow mode. */
const sideEffectCall = (c: Case, decision: 'allow' | 'approval', unredact: string[] = []): Expected =>
  c.shadow ? { decision: 'record' } : { decision, unredact };

const EXPECTED: Record<string, (c: Case) => Expected> = {
  // Every role, every tenant, every task type; a read, so shadow mode changes nothing.
  lookup_input: () => ({ decision: 'allow' }),

  // Read by the customer-facing roles only; which account is asked for is the tool's business.
  crm_get_account: (c) => (['general', 'sales', 'research', 'compliance', 'risk'].includes(c.role) ? { decision: 'allow' } : deny),

  // Everyone but the judge and the planner.
  kb_search: (c) => (c.role === 'judge' || c.role === 'planner' ? deny : { decision: 'allow' }),

  // Sales, on lead tasks; never back to `new`; at most 5 per task.
  crm_update_lead: (c) => {
    if (c.role !== 'sales' || !LEAD_TASKS.includes(c.taskType)) return deny;
    if (c.callsSoFar >= 5) return deny;
    const status = (c.args['fields'] as { status?: string }).status;
    if (status === 'new') return deny;
    return sideEffectCall(c, 'allow');
  },

  // Sales on lead tasks (subject at most 150 characters), recruiting on resume tasks with a
  // human's approval; both get the real address; at most 3 per task.
  send_email: (c) => {
    if (c.callsSoFar >= 3) return deny;
    if (c.role === 'sales' && LEAD_TASKS.includes(c.taskType)) {
      return (c.args['subject'] as string).length > 150 ? deny : sideEffectCall(c, 'allow', ['email', 'phone']);
    }
    if (c.role === 'recruiting' && RESUME_TASKS.includes(c.taskType)) return sideEffectCall(c, 'approval', ['email']);
    return deny;
  },

  // Risk at acme and globex on payment and support.refund tasks: up to 500.00 in USD, EUR or
  // GBP, approval above 100.00. Compliance at acme on fraud reviews: up to 2,000.00, always
  // approved by a human. One refund per task.
  issue_refund: (c) => {
    if (c.callsSoFar >= 1) return deny;
    const amount = c.args['amountCents'] as number;
    const currency = c.args['currency'] as string;
    if (c.role === 'risk' && ['acme', 'globex'].includes(c.tenantId) && REFUND_TASKS.includes(c.taskType)) {
      if (amount > 50_000 || !['USD', 'EUR', 'GBP'].includes(currency)) return deny;
      return sideEffectCall(c, amount > 10_000 ? 'approval' : 'allow');
    }
    if (c.role === 'compliance' && c.tenantId === 'acme' && c.taskType === 'fraud.review') {
      return amount > 200_000 ? deny : sideEffectCall(c, 'approval');
    }
    return deny;
  },
};

// ---------------------------------------------------------------- runner

function* cases(): Generator<Case> {
  for (const role of AgentRole.options)
    for (const tool of registry.names())
      for (const tenantId of TENANTS)
        for (const taskType of TASK_TYPES)
          for (const shadow of [false, true])
            for (const args of ARGS[tool]!) for (const callsSoFar of callCounts(tool)) yield { tool, role, tenantId, taskType, shadow, args, callsSoFar };
}

interface Tally {
  cases: number;
  falseAllows: number;
  falseDenials: number;
  otherMismatches: number;
  byDecision: Record<Decision, number>;
  examples: string[];
}

function runMatrix(policy: PermissionPolicy): Tally {
  const t: Tally = { cases: 0, falseAllows: 0, falseDenials: 0, otherMismatches: 0, byDecision: { allow: 0, approval: 0, record: 0, deny: 0 }, examples: [] };
  for (const c of cases()) {
    t.cases += 1;
    const got = decideToolCall(policy, { ...c, sideEffect: registry.get(c.tool)?.sideEffect });
    const want = EXPECTED[c.tool]!(c);
    t.byDecision[got.decision] += 1;
    const wantUnredact = [...(want.unredact ?? [])].sort();
    const gotUnredact = [...got.unredact].sort();
    const diff = decisionRank(got.decision) - decisionRank(want.decision);
    if (diff > 0) t.falseAllows += 1;
    else if (diff < 0) t.falseDenials += 1;
    else if (JSON.stringify(gotUnredact) !== JSON.stringify(wantUnredact)) t.otherMismatches += 1;
    else continue;
    if (t.examples.length < 10) {
      const { args, ...rest } = c;
      t.examples.push(`${JSON.stringify(rest)} args=${JSON.stringify(args)}: expected ${want.decision} [${wantUnredact}], got ${got.decision} [${gotUnredact}] (${got.reason})`);
    }
  }
  return t;
}

describe('permission matrix of the shipped policy', () => {
  const policy = parsePermissionPolicy(SHIPPED, { tools: registry });

  it('uses only argument values the tools themselves accept', () => {
    for (const [tool, sets] of Object.entries(ARGS)) for (const args of sets) expect(registry.get(tool)!.args.safeParse(args).success).toBe(true);
    expect(Object.keys(EXPECTED).sort()).toEqual(registry.names().sort());
    expect(Object.keys(policy.maxCallsPerTask).sort()).toEqual(Object.keys(CALL_LIMITS).sort());
  });

  it('decides every case as the expected table says: 0 false allows, 0 false denials', () => {
    const t = runMatrix(policy);
    console.log(
      `permission matrix: ${t.cases} cases (${AgentRole.options.length} roles x ${registry.names().length} tools x ${TENANTS.length} tenants x ${TASK_TYPES.length} task types x shadow on/off x arguments x calls so far); ` +
        `false allows ${t.falseAllows}, false denials ${t.falseDenials}, other mismatches ${t.otherMismatches}; decisions ${JSON.stringify(t.byDecision)}`,
    );
    expect(t.examples).toEqual([]);
    expect(t.falseAllows).toBe(0);
    expect(t.falseDenials).toBe(0);
    expect(t.otherMismatches).toBe(0);
    expect(t.cases).toBe(281_088);
    // Every kind of decision occurs, so the matrix exercises the whole policy.
    for (const n of Object.values(t.byDecision)) expect(n).toBeGreaterThan(100);
  });

  it('would catch a loosened or tightened policy', () => {
    const loosened = SHIPPED.replace('    tenants: [acme, globex]\n', '');
    expect(loosened).not.toBe(SHIPPED);
    expect(runMatrix(parsePermissionPolicy(loosened)).falseAllows).toBeGreaterThan(0);

    const noApproval = SHIPPED.replace('    approval: { always: true }\n    unredact: [email]\n', '    unredact: [email]\n');
    expect(noApproval).not.toBe(SHIPPED);
    expect(runMatrix(parsePermissionPolicy(noApproval)).falseAllows).toBeGreaterThan(0);

    const higherCap = SHIPPED.replace('amountCents: { min: 1, max: 50000 }', 'amountCents: { min: 1, max: 50001 }');
    expect(runMatrix(parsePermissionPolicy(higherCap)).falseAllows).toBeGreaterThan(0);

    const tightened = SHIPPED.replace('roles: [general, sales, research, compliance, risk]', 'roles: [general, sales, research, compliance]');
    expect(tightened).not.toBe(SHIPPED);
    expect(runMatrix(parsePermissionPolicy(tightened)).falseDenials).toBeGreaterThan(0);
  });
});
