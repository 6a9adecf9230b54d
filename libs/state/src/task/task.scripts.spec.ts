import { submitTaskScript, transitionScript } from './task.scripts';

const submission = {
  taskKey: 'p:{t1}:task',
  opKey: 'p:{t1}:op:o1',
  submissionKey: 'p:{t1}:submission',
  unpublishedKey: 'p:submissions:unpublished',
  opTtlSeconds: 3600,
  taskId: 't1',
  tenantId: 'acme',
  taskType: 'support.triage',
  traceId: null,
  rootSpanId: null,
  at: '2026-11-24T09:30:00.000Z',
  historyEntry: '{"status":"submitted","at":"2026-11-24T09:30:00.000Z"}',
  submittedEventId: 'e1',
  submission: '{}',
  nowMs: 1795512600000,
  staleHolder: null,
};

describe('submitTaskScript', () => {
  it('claims the idempotency key for its TTL', () => {
    const { keys, argv } = submitTaskScript.call({ ...submission, idempotency: { key: 'p:idem:{acme}:k', ttlSeconds: 60 }, staleHolder: 't0' });
    expect(keys[2]).toBe('p:idem:{acme}:k');
    expect(argv.slice(11)).toEqual([60, 't0']);
  });

  it('without a key passes the task key in its place and a TTL of 0, which the script reads as "no key"', () => {
    const { keys, argv } = submitTaskScript.call({ ...submission, idempotency: null });
    expect(keys).toEqual(['p:{t1}:task', 'p:{t1}:op:o1', 'p:{t1}:task', 'p:{t1}:submission', 'p:submissions:unpublished']);
    expect(argv).toEqual([3600, 't1', 'acme', 'support.triage', '', submission.at, submission.historyEntry, '', 'e1', '{}', 1795512600000, 0, '']);
  });
});

describe('transitionScript', () => {
  const base = {
    taskKey: 'p:{t1}:task',
    opKey: 'p:{t1}:op:o2',
    opTtlSeconds: 3600,
    to: 'running' as const,
    at: '2026-11-24T09:30:00.000Z',
    historyEntry: '{"status":"running","at":"2026-11-24T09:30:00.000Z"}',
    terminal: ['completed', 'failed', 'rejected'] as const,
  };

  it('counts the terminal statuses, then the allowed ones, then passes the field pairs', () => {
    expect(transitionScript.call({ ...base, from: ['routed'], fields: ['attempts', '1'] }).argv).toEqual([
      3600, 'running', base.at, base.historyEntry, 3, 'completed', 'failed', 'rejected', 1, 'routed', 'attempts', '1',
    ]);
  });

  it('marks "from any status" with -1', () => {
    expect(transitionScript.call({ ...base, from: undefined, fields: [] }).argv).toEqual([3600, 'running', base.at, base.historyEntry, 3, 'completed', 'failed', 'rejected', -1]);
  });
});
