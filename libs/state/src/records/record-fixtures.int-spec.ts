import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TaskSubmitted } from '@baton/contracts';
import { AuditTrail } from '../audit/audit-trail';
import { BudgetLedger, type BudgetScope } from '../budget/budget-ledger';
import { EscalationStore } from '../escalations/escalation.store';
import type { NewEscalation } from '../escalations/escalation-record';
import { KeySpace } from '../keys';
import { ModelBreakers } from '../breakers/model-breakers';
import { RateLimiter, type RateScope } from '../rate/rate-limiter';
import { RedriveLog } from '../redrive/redrive-log';
import { SpendLedger } from '../spend/spend-ledger';
import { type StateDeps, stateDeps } from '../state-deps';
import { TaskStateRepository } from '../task/task-state.repository';
import { RECORD_FIXTURES_DIR, recordFixtureFile } from '../testing/record-fixtures';
import { useStateTestEnv } from '../testing/redis-test-env';
import { ToolCallCounter } from '../tools/tool-call-counter';
import { ToolLedger, type ToolLedgerRecord } from '../tools/tool-ledger';
import { WorkLeases } from '../leases/work-leases';
import { currentRecordVersion } from './registry';

/*
 * The saved fixtures are what the stores write to Redis. Each scenario below drives the
 * current code with a fixed clock and fixed ids and reads back the stored value; it must
 * equal the fixture of the record's current version. A change to what is written fails
 * here: it is a compatibility decision (a new version, its own fixture, readers that still
 * accept the old one), not a fixture to overwrite.
 *
 * BATON_SAVE_STATE_FIXTURES=1 saves a fixture that does not exist yet (never overwrites one).
 */
const SAVE = process.env['BATON_SAVE_STATE_FIXTURES'] === '1';

const T0 = Date.parse('2026-11-24T09:30:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const TASK_ID = '11111111-1111-4111-8111-111111111111';
const TENANT = 'acme';

interface Scenario {
  /** Record kind (see STATE_RECORDS); its current version's fixture is the expected value. */
  record: string;
  /** Which state of it, when not the main fixture's. */
  variant?: string;
  /** Writes through the stores and returns what Redis holds (a hash as an object, JSON text parsed). */
  write(deps: StateDeps): Promise<unknown>;
}

const submittedEvent = (taskId: string): TaskSubmitted => ({
  eventId: 'eeeeeeee-eeee-4eee-8eee-000000000001',
  type: 'task.submitted',
  version: 1,
  tenantId: TENANT,
  taskId,
  causationId: null,
  occurredAt: iso(T0),
  data: {
    taskType: 'support.triage',
    input: { text: 'The March invoice was charged twice; the customer wants one charge refunded.' },
    idempotencyKey: 'crm-ticket-4711',
  },
});

const escalation: NewEscalation = {
  escalationId: 'esc-1',
  taskId: TASK_ID,
  tenantId: TENANT,
  taskType: 'lead.qualify',
  stopReason: 'attempts_exhausted',
  reason: { kind: 'model', code: 'attempts_exhausted', message: 'output failed the schema 3 times' },
  allowed: ['approve', 'reject', 'edit', 'answer'],
  bundle: {
    stepId: 'qualify',
    role: 'sales',
    question: 'The output failed the schema 3 times. Approve, edit or reject?',
    history: [{ attempt: 1, outcome: 'blocked', reason: 'missing score' }],
    stepOutputs: { research: { company: 'Initech' } },
    pendingOutput: { qualified: true },
    spentMicros: 1234,
    stepsRun: 2,
  },
  createdAt: iso(T0),
  expiresAt: iso(T0 + 3_600_000),
  onTimeout: 'fail',
};

const budgetScopes: BudgetScope[] = [
  { id: `task:${TASK_ID}`, limitMicros: 1_000_000 },
  { id: `tenant:${TENANT}:day:2026-11-24`, limitMicros: 5_000_000, ttlSeconds: 172_800 },
];
const reserve = (reservationId: string, amountMicros = 850_000) => ({
  reservationId,
  taskId: TASK_ID,
  tenantId: TENANT,
  model: 'sim-small',
  amountMicros,
  scopes: budgetScopes,
  ttlMs: 120_000,
});
const settle = (reservationId: string) => ({
  reservationId,
  actualMicros: 420_000,
  usageEventId: 'eeeeeeee-eeee-4eee-8eee-000000000002',
  model: 'sim-small',
  taskId: TASK_ID,
  tenantId: TENANT,
  scopes: budgetScopes,
});

const rateScopes: RateScope[] = [
  { id: `tenant:${TENANT}:tpm`, limit: 100_000, windowMs: 60_000 },
  { id: 'model:sim-small:tpm', limit: 400_000, windowMs: 60_000 },
];

const toolRecord: ToolLedgerRecord = {
  tool: 'send_email',
  sideEffect: 'write',
  tenantId: TENANT,
  taskId: TASK_ID,
  stepId: 'reply',
  attempt: 1,
  role: 'support',
  callId: 'call-1',
  args: { to: 'customer@example.com', subject: 'Your refund' },
  argsHash: 'sha256:4f2a',
};

/** A hash as an object, fields sorted (Redis keeps no meaningful order), so a saved fixture reads well. */
const hash = async (deps: StateDeps, key: string): Promise<Record<string, string>> =>
  Object.fromEntries(Object.entries(await deps.redis.hgetall(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const json = async (deps: StateDeps, key: string): Promise<unknown> => JSON.parse((await deps.redis.get(key)) ?? 'null');

const scenarios: Scenario[] = [
  {
    record: 'task',
    async write(deps) {
      const tasks = new TaskStateRepository(deps);
      await tasks.submit({
        taskId: TASK_ID,
        tenantId: TENANT,
        taskType: 'support.triage',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        rootSpanId: 'b7ad6b7169203331',
        event: submittedEvent(TASK_ID),
        idempotency: { key: 'crm-ticket-4711', ttlSeconds: 86_400 },
      });
      await tasks.settleSubmission(TASK_ID, true);
      await tasks.transition(TASK_ID, 'admitted', { from: ['submitted'] });
      await tasks.transition(TASK_ID, 'routed', { fields: { role: 'support', model: 'sim-small' } });
      await tasks.transition(TASK_ID, 'running', { fields: { attempts: 1 } });
      await tasks.transition(TASK_ID, 'completed', { fields: { result: { category: 'billing', refund: true } } });
      return hash(deps, deps.keys.task(TASK_ID));
    },
  },
  {
    record: 'task',
    variant: 'failed',
    async write(deps) {
      const tasks = new TaskStateRepository(deps);
      await tasks.create({
        taskId: TASK_ID,
        tenantId: TENANT,
        taskType: 'support.triage',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        rootSpanId: 'b7ad6b7169203331',
        submittedEventId: 'eeeeeeee-eeee-4eee-8eee-000000000001',
      });
      await tasks.transition(TASK_ID, 'failed', { fields: { error: { kind: 'model', code: 'bad_output', message: 'no JSON in the reply' } } });
      return hash(deps, deps.keys.task(TASK_ID));
    },
  },
  {
    record: 'task-submission',
    async write(deps) {
      await new TaskStateRepository(deps).submit({
        taskId: TASK_ID,
        tenantId: TENANT,
        taskType: 'support.triage',
        traceId: null,
        event: submittedEvent(TASK_ID),
      });
      return json(deps, deps.keys.taskSubmission(TASK_ID));
    },
  },
  {
    record: 'escalation',
    async write(deps) {
      const store = new EscalationStore(deps);
      await store.open(escalation);
      await store.decide(TASK_ID, 'esc-1', { action: 'edit', decidedBy: 'dana', comment: 'score it 0.7', output: { qualified: true, score: 0.7 } });
      await store.markResumed(TASK_ID, 'esc-1');
      return hash(deps, deps.keys.escalation(TASK_ID, 'esc-1'));
    },
  },
  {
    record: 'escalation',
    variant: 'open',
    async write(deps) {
      await new EscalationStore(deps).open({ ...escalation, stopReason: undefined });
      return hash(deps, deps.keys.escalation(TASK_ID, 'esc-1'));
    },
  },
  {
    record: 'budget-reservation',
    async write(deps) {
      const ledger = new BudgetLedger(deps);
      await ledger.reserve(reserve('res-1'));
      await ledger.settle(settle('res-1'));
      return hash(deps, deps.keys.budgetReservation('res-1'));
    },
  },
  {
    record: 'budget-reservation',
    variant: 'reserved',
    async write(deps) {
      await new BudgetLedger(deps).reserve(reserve('res-1'));
      return hash(deps, deps.keys.budgetReservation('res-1'));
    },
  },
  {
    record: 'budget-reservation',
    variant: 'refused',
    async write(deps) {
      await new BudgetLedger(deps).reserve(reserve('res-1', 1_500_000));
      return hash(deps, deps.keys.budgetReservation('res-1'));
    },
  },
  {
    record: 'budget-reservation',
    variant: 'released',
    async write(deps) {
      const ledger = new BudgetLedger(deps);
      await ledger.reserve(reserve('res-1'));
      await ledger.release('res-1');
      return hash(deps, deps.keys.budgetReservation('res-1'));
    },
  },
  {
    record: 'budget-reservation',
    variant: 'released-then-settled',
    async write(deps) {
      const ledger = new BudgetLedger(deps);
      await ledger.reserve(reserve('res-1'));
      await ledger.release('res-1');
      await ledger.settle(settle('res-1'));
      return hash(deps, deps.keys.budgetReservation('res-1'));
    },
  },
  {
    record: 'budget-reservation',
    variant: 'closed',
    async write(deps) {
      await new BudgetLedger(deps).release('res-1');
      return hash(deps, deps.keys.budgetReservation('res-1'));
    },
  },
  {
    record: 'budget-reservation',
    variant: 'settled-uncovered',
    async write(deps) {
      await new BudgetLedger(deps).settle(settle('res-1'));
      return hash(deps, deps.keys.budgetReservation('res-1'));
    },
  },
  {
    record: 'budget-scope',
    async write(deps) {
      const ledger = new BudgetLedger(deps);
      await ledger.reserve(reserve('res-1'));
      await ledger.settle(settle('res-1'));
      await ledger.reserve(reserve('res-2', 100_000));
      return hash(deps, deps.keys.budgetScope(`task:${TASK_ID}`));
    },
  },
  {
    record: 'budget-holds',
    async write(deps) {
      const ledger = new BudgetLedger(deps);
      await ledger.reserve(reserve('res-1', 300_000));
      await ledger.reserve(reserve('res-2', 200_000));
      return hash(deps, deps.keys.budgetScopeHolds(`task:${TASK_ID}`));
    },
  },
  {
    record: 'task-usage',
    async write(deps) {
      await new SpendLedger(deps).record({ usageEventId: 'eeeeeeee-eeee-4eee-8eee-000000000003', taskId: TASK_ID, tenantId: TENANT, model: 'sim-small', costMicros: 1200 });
      await new BudgetLedger(deps).settle(settle('res-1'));
      return hash(deps, deps.keys.taskUsageEvents(TASK_ID));
    },
  },
  {
    record: 'tenant-spend-by-model',
    async write(deps) {
      const spend = new SpendLedger(deps);
      await spend.record({ usageEventId: 'u-1', taskId: TASK_ID, tenantId: TENANT, model: 'sim-small', costMicros: 1200 });
      await spend.record({ usageEventId: 'u-2', taskId: TASK_ID, tenantId: TENANT, model: 'sim-large', costMicros: 25_000 });
      return hash(deps, deps.keys.tenantSpendByModel(TENANT));
    },
  },
  {
    record: 'tenant-spend-by-day',
    async write(deps) {
      const spend = new SpendLedger(deps);
      await spend.record({ usageEventId: 'u-1', taskId: TASK_ID, tenantId: TENANT, model: 'sim-small', costMicros: 1200 });
      await spend.record({ usageEventId: 'u-2', taskId: TASK_ID, tenantId: TENANT, model: 'sim-small', costMicros: 800, at: new Date(T0 - 86_400_000) });
      return hash(deps, deps.keys.tenantSpendByDay(TENANT));
    },
  },
  {
    record: 'breaker',
    async write(deps) {
      const breakers = new ModelBreakers(deps, { failureThreshold: 2, openMs: 30_000 });
      await breakers.recordFailure('sim-small', new Date(T0));
      await breakers.recordFailure('sim-small', new Date(T0 + 1000));
      await breakers.tryProbe('sim-small', new Date(T0 + 31_000));
      return hash(deps, deps.keys.modelBreaker('sim-small'));
    },
  },
  {
    record: 'breaker',
    variant: 'closed',
    async write(deps) {
      const breakers = new ModelBreakers(deps, { failureThreshold: 3, openMs: 30_000 });
      await breakers.recordFailure('sim-small', new Date(T0));
      await breakers.recordFailure('sim-small', new Date(T0 + 1000));
      return hash(deps, deps.keys.modelBreaker('sim-small'));
    },
  },
  {
    record: 'rate-op',
    async write(deps) {
      const rates = new RateLimiter(deps);
      await rates.take({ opId: 'take-1', scopes: rateScopes, costs: [1500, 1500], now: T0 });
      await rates.refund({ opId: 'take-1', scopes: rateScopes, amounts: [700, 700], now: T0 + 2000 });
      return hash(deps, deps.keys.rateOp('take-1'));
    },
  },
  {
    record: 'rate-op',
    variant: 'admitted',
    async write(deps) {
      await new RateLimiter(deps).take({ opId: 'take-1', scopes: rateScopes, costs: [1500, 1500], now: T0 });
      return hash(deps, deps.keys.rateOp('take-1'));
    },
  },
  {
    record: 'work-lease',
    async write(deps) {
      const leases = new WorkLeases(deps);
      await leases.acquire(TASK_ID, 'step-1', 'agent-7f3c', 30_000);
      await leases.finish(TASK_ID, 'step-1', 'agent-7f3c');
      return hash(deps, deps.keys.workLease(TASK_ID, 'step-1'));
    },
  },
  {
    record: 'work-lease',
    variant: 'running',
    async write(deps) {
      await new WorkLeases(deps).acquire(TASK_ID, 'step-1', 'agent-7f3c', 30_000);
      return hash(deps, deps.keys.workLease(TASK_ID, 'step-1'));
    },
  },
  {
    record: 'tool-run',
    async write(deps) {
      const ledger = new ToolLedger(deps);
      await ledger.execute('reply:1', toolRecord, async () => ({ messageId: 'msg-1' }));
      return deps.redis.get(ledger.keys.run(TENANT, 'reply:1'));
    },
  },
  {
    record: 'tool-run',
    variant: 'running',
    async write(deps) {
      const ledger = new ToolLedger(deps);
      let running: string | null = null;
      await ledger.execute('reply:1', toolRecord, async () => {
        running = await deps.redis.get(ledger.keys.run(TENANT, 'reply:1'));
        return null;
      });
      return running;
    },
  },
  {
    record: 'tool-ledger-entry',
    async write(deps) {
      const ledger = new ToolLedger(deps);
      await ledger.execute('reply:1', toolRecord, async () => ({ messageId: 'msg-1' }));
      return JSON.parse((await deps.redis.lindex(ledger.keys.task(TASK_ID), 0)) ?? 'null');
    },
  },
  {
    record: 'tool-ledger-entry',
    variant: 'error',
    async write(deps) {
      const ledger = new ToolLedger(deps);
      const minimal: ToolLedgerRecord = { tool: 'crm_update_lead', tenantId: TENANT, taskId: TASK_ID, args: { leadId: 'L-9' }, argsHash: 'sha256:77c1' };
      await ledger
        .execute('lead:L-9', minimal, async () => {
          throw new Error('CRM refused the update');
        })
        .catch(() => undefined);
      return JSON.parse((await deps.redis.lindex(ledger.keys.tenant(TENANT), 0)) ?? 'null');
    },
  },
  {
    record: 'tool-calls',
    async write(deps) {
      const counter = new ToolCallCounter(deps);
      await counter.ordinal(TASK_ID, 'send_email', 'sha256:4f2a');
      await counter.ordinal(TASK_ID, 'send_email', 'sha256:9b01');
      await counter.ordinal(TASK_ID, 'send_email', 'sha256:4f2a');
      return hash(deps, `${deps.keys.taskContext(TASK_ID)}:toolcalls:send_email`);
    },
  },
  {
    record: 'redrive',
    async write(deps) {
      const log = new RedriveLog(deps);
      await log.begin('baton.dlt', 0, '41', 'key:ops-1');
      await log.finish('baton.dlt', 0, '41', 'key:ops-1', { topic: 'baton.task.submitted', partition: 2, offset: '1067' });
      return json(deps, `${deps.keys.prefix}dlq:redrive:{baton.dlt}:0:41`);
    },
  },
  {
    record: 'redrive',
    variant: 'pending',
    async write(deps) {
      await new RedriveLog(deps).begin('baton.dlt', 0, '41', 'key:ops-1');
      return json(deps, `${deps.keys.prefix}dlq:redrive:{baton.dlt}:0:41`);
    },
  },
  {
    record: 'audit-entry',
    async write(deps) {
      const trail = new AuditTrail(deps);
      await trail.append({
        eventId: 'eeeeeeee-eeee-4eee-8eee-000000000004',
        at: iso(T0),
        tenantId: TENANT,
        taskId: TASK_ID,
        category: 'tool',
        actor: 'guardrails',
        decision: 'allow',
        reason: 'send_email is allowed for role support',
        subject: 'send_email',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        details: { role: 'support', callsSoFar: 1 },
      });
      return JSON.parse((await deps.redis.zrange(`${deps.keys.prefix}audit:${TASK_ID}`, 0, 0))[0] ?? 'null');
    },
  },
];

describe('what the stores write equals the saved fixture of its current version (real Redis)', () => {
  const env = useStateTestEnv('record-fixtures-int');

  it.each(scenarios.map((s) => [recordFixtureFile(s.record, currentRecordVersion(s.record).version, s.variant), s] as const))('%s', async (file, scenario) => {
    // Every scenario writes under a prefix of its own, with the clock at T0 and op ids op-1, op-2, ...
    let op = 0;
    const deps = stateDeps(env.raw, {
      keys: new KeySpace(`${env.prefix}${file}:`),
      now: () => new Date(T0),
      newOpId: () => `op-${++op}`,
    });
    const written = await scenario.write(deps);
    const where = path.join(RECORD_FIXTURES_DIR, file);
    if (!existsSync(where) && SAVE) writeFileSync(where, `${JSON.stringify(written, null, 2)}\n`);
    expect(existsSync(where)).toBe(true);
    expect(written).toEqual(JSON.parse(readFileSync(where, 'utf8')));
  });
});
