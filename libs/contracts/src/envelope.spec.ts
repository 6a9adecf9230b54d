import { Envelope, TaskId, TenantId } from './envelope';

describe('TenantId', () => {
  it.each(['acme', 'a', 'acme-eu-1', '0tenant', 'a'.repeat(63)])('accepts %s', (id) => {
    expect(TenantId.safeParse(id).success).toBe(true);
  });

  it.each(['', 'Acme', '-acme', 'acme_eu', 'acme eu', 'a'.repeat(64)])('refuses "%s"', (id) => {
    expect(TenantId.safeParse(id).success).toBe(false);
  });
});

describe('TaskId', () => {
  it('accepts a UUID and refuses anything else', () => {
    expect(TaskId.safeParse('0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b').success).toBe(true);
    expect(TaskId.safeParse('task-1').success).toBe(false);
  });
});

describe('Envelope', () => {
  const envelope = {
    eventId: 'a3bb189e-8bf9-4888-9912-ace4e6543002',
    type: 'anything.at.all',
    version: 3,
    tenantId: 'acme',
    taskId: '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b',
    causationId: null,
    occurredAt: '2025-03-01T12:00:00.000Z',
    data: { whatever: [1, 2] },
  };

  it('reads any type and payload, leaving the payload unparsed', () => {
    expect(Envelope.parse(envelope)).toEqual(envelope);
  });

  it('requires a positive integer version, an ISO UTC time and a UUID or null causation', () => {
    const paths = (v: Record<string, unknown>) => Envelope.safeParse({ ...envelope, ...v }).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ version: 0 })).toEqual(['version']);
    expect(paths({ version: 1.5 })).toEqual(['version']);
    expect(paths({ occurredAt: '2025-03-01 12:00' })).toEqual(['occurredAt']);
    expect(paths({ causationId: 'cause' })).toEqual(['causationId']);
    expect(paths({ causationId: undefined })).toEqual(['causationId']);
  });
});
