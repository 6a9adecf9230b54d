import { randomUUID } from 'node:crypto';
import { AUDIT_TRAIL_TTL_SECONDS, type AuditTrailEntry } from './audit-trail';
import { useStateTestEnv } from '../testing/redis-test-env';

describe('AuditTrail and ToolCallCounter (real Redis)', () => {
  const env = useStateTestEnv('audit-int');

  const entry = (taskId: string, at: string, over: Partial<AuditTrailEntry> = {}): AuditTrailEntry => ({
    eventId: randomUUID(),
    at,
    tenantId: 'acme',
    taskId,
    category: 'tool',
    actor: 'guardrails',
    decision: 'deny',
    reason: 'role sales may not call issue_refund',
    subject: 'issue_refund',
    ...over,
  });

  it('lists a task entries oldest first, keeps one copy of a redelivered entry (the same member), and expires the index', async () => {
    const taskId = randomUUID();
    const late = entry(taskId, '2026-11-24T10:00:02.000Z', { decision: 'allow' });
    const early = entry(taskId, '2026-11-24T10:00:01.000Z', { category: 'input', decision: 'admit' });
    await env.store.audit.append(late);
    await env.store.audit.append(early);
    await env.store.audit.append(late);
    expect(await env.store.audit.list(taskId)).toEqual([early, late]);
    expect(await env.store.audit.list(randomUUID())).toEqual([]);
    const ttl = await env.raw.ttl(`${env.prefix}audit:${taskId}`);
    expect(ttl).toBeGreaterThan(AUDIT_TRAIL_TTL_SECONDS - 60);
  });

  it('refuses an entry without a readable time', async () => {
    await expect(env.store.audit.append(entry(randomUUID(), 'yesterday'))).rejects.toThrow(/bad time/);
  });

  it('numbers each call of a tool once, atomically, also under concurrency', async () => {
    const taskId = randomUUID();
    const ordinals = await Promise.all(Array.from({ length: 20 }, (_, i) => env.store.toolCalls.ordinal(taskId, 'issue_refund', `call-${i}`)));
    expect([...ordinals].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // The same call asked again keeps its number; another tool counts on its own.
    expect(await env.store.toolCalls.ordinal(taskId, 'issue_refund', 'call-3')).toBe(ordinals[3]);
    expect(await env.store.toolCalls.ordinal(taskId, 'send_email', 'call-3')).toBe(1);
    // A new call comes after all twenty.
    expect(await env.store.toolCalls.ordinal(taskId, 'issue_refund', 'call-20')).toBe(21);
  });
});
