import { randomUUID } from 'node:crypto';
import { DeadLetterRecord, createEvent } from '@baton/contracts';
import type { StoredDeadLetter } from '@baton/messaging';
import { toDeadLetterSummary, toDeadLetterView, visibleTo } from './dead-letters-view';

function stored(value: string | null, extra: Partial<DeadLetterRecord> = {}): StoredDeadLetter {
  const record = DeadLetterRecord.parse({
    originalTopic: 'baton.task.submitted',
    partition: 1,
    offset: '7',
    key: 'k',
    value,
    valueEncoding: 'utf8',
    consumerGroup: 'router',
    reason: 'handler_failed',
    error: 'boom',
    attempts: 3,
    eventId: null,
    failedAt: '2026-01-02T03:04:05.000Z',
    ...extra,
  });
  return { topic: 'baton.task.submitted.dlt', partition: 2, offset: '11', record };
}

const event = createEvent('task.submitted', { tenantId: 'acme', taskId: randomUUID(), causationId: null }, { taskType: 'lead.qualify', input: { text: 'x' } });

describe('dead letters over HTTP', () => {
  it("shows a tenant only its own events' dead letters", () => {
    const own = stored(JSON.stringify(event));
    expect(visibleTo('acme', own)).toBe(true);
    expect(visibleTo('globex', own)).toBe(false);
  });

  it('shows nobody a record with no tenant (not JSON, no envelope, binary)', () => {
    expect(visibleTo('acme', stored('{not json'))).toBe(false);
    expect(visibleTo('acme', stored('{"tenantId": 7}'))).toBe(false);
    expect(visibleTo('acme', stored(null))).toBe(false);
    expect(visibleTo('acme', stored(Buffer.from('acme').toString('base64'), { valueEncoding: 'base64' }))).toBe(false);
  });

  it('finds the tenant in the kept prefix of a truncated record', () => {
    const prefix = JSON.stringify(event).slice(0, 200);
    expect(visibleTo('acme', stored(prefix, { truncated: true, originalBytes: 2_000_000 }))).toBe(true);
  });

  it('addresses a dead letter by its original topic and its place on the twin, old records without kind included', () => {
    expect(toDeadLetterSummary(stored('{}'))).toEqual({
      topic: 'baton.task.submitted',
      partition: 2,
      offset: '11',
      reason: 'handler_failed',
      kind: null,
      eventId: null,
      consumerGroup: 'router',
      error: 'boom',
      attempts: 3,
      failedAt: '2026-01-02T03:04:05.000Z',
      truncated: false,
    });
    expect(toDeadLetterView(stored('{}', { kind: 'transient' }), null)).toMatchObject({ kind: 'transient', redrive: null, record: { value: '{}' } });
  });
});
