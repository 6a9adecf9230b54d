import { z } from 'zod';
import { TaskId } from './envelope';
import { EVENT_DEFINITIONS, type BatonEvent } from './events';
import {
  EventParseError,
  causedBy,
  decisionOrigin,
  createEvent,
  deriveEventId,
  describeIssues,
  eventJsonSchemas,
  isEventType,
  parseEvent,
  topicOf,
  topicsOfType,
  type EventOrigin,
} from './registry';
import { AGENT_ROLES } from './common';
import { Topics, allTopics, stepRequestedTopic } from './topics';

const TENANT = 'acme';
const TASK = '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b';
const CAUSE = '6f1c1f4e-9a52-4a8e-8a57-2f7f3c1d9b10';
const OCCURRED = '2025-03-01T12:00:00.000Z';

/** A raw (wire-shaped) event; the envelope fields can be overridden per test. */
function raw(type: string, data: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: 'a3bb189e-8bf9-4888-9912-ace4e6543002',
    type,
    version: 1,
    tenantId: TENANT,
    taskId: TASK,
    causationId: null,
    occurredAt: OCCURRED,
    data,
    ...overrides,
  };
}

const submittedData = { taskType: 'lead.qualify', input: { text: 'Met Dana at the expo; budget approved.' } };
const stepData = {
  stepId: 'main',
  attempt: 1,
  role: 'sales' as const,
  model: 'sim-small',
  instruction: 'Qualify the lead.',
  input: { text: 'notes' },
};

/** Calls parseEvent and returns what it threw; fails the test when it did not throw. */
function parseError(value: unknown): EventParseError {
  try {
    parseEvent(value);
  } catch (err) {
    expect(err).toBeInstanceOf(EventParseError);
    return err as EventParseError;
  }
  throw new Error('parseEvent did not throw');
}

describe('parseEvent', () => {
  it('accepts a valid task.submitted and keeps envelope and payload', () => {
    const event = parseEvent(raw('task.submitted', submittedData, { causationId: CAUSE }));
    expect(event).toEqual(raw('task.submitted', submittedData, { causationId: CAUSE }));
    expect(event.type).toBe('task.submitted');
  });

  it('accepts a step.requested and applies the payload defaults (feedback = [])', () => {
    const event = parseEvent(raw('step.requested', stepData));
    expect(event.type).toBe('step.requested');
    if (event.type !== 'step.requested') throw new Error('unreachable');
    expect(event.data.feedback).toEqual([]);
    expect(event.data.role).toBe('sales');
  });

  it('accepts payloads of other types: spend.recorded, task.completed with any result, task.escalated', () => {
    const spend = {
      usageEventId: CAUSE,
      model: 'sim-small',
      costMicros: 750,
      taskTotalMicros: 1500,
      tenantTotalMicros: 90_000,
    };
    expect(parseEvent(raw('spend.recorded', spend)).data).toEqual(spend);

    const completed = { result: { qualified: true, score: 82 }, attempts: 2 };
    expect(parseEvent(raw('task.completed', completed)).data).toEqual(completed);

    const history = [{ attempt: 1, outcome: 'blocked', reason: 'not JSON' }];
    const escalated = {
      escalationId: 'esc-1',
      reason: { kind: 'policy', code: 'attempts_exhausted', message: 'a human must decide' },
      attempts: 3,
      history,
      allowed: ['approve', 'reject', 'edit', 'answer'],
      bundle: { stepId: 'main', question: 'a human must decide', history, stepOutputs: {}, spentMicros: 1200, stepsRun: 1 },
      expiresAt: '2026-01-02T00:00:00.000Z',
      onTimeout: 'fail',
    };
    expect(parseEvent(raw('task.escalated', escalated)).data).toEqual(escalated);
  });

  it('accepts what createEvent produced after a JSON round trip (the wire format)', () => {
    const created = createEvent('step.requested', { tenantId: TENANT, taskId: TASK, causationId: CAUSE }, stepData);
    const parsed = parseEvent(JSON.parse(JSON.stringify(created)));
    expect(parsed).toEqual(created);
  });

  it('names the bad envelope field', () => {
    const err = parseError(raw('task.submitted', submittedData, { taskId: 'not-a-uuid' }));
    expect(err.message).toMatch(/^invalid envelope: /);
    expect(err.message).toContain('taskId');
    expect(err.issues.map((i) => i.path)).toEqual([['taskId']]);
  });

  it('names every bad envelope field at once', () => {
    const err = parseError(raw('task.submitted', submittedData, { tenantId: 'ACME', occurredAt: 'yesterday' }));
    const paths = err.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['tenantId', 'occurredAt']));
    expect(err.message).toContain('tenantId');
    expect(err.message).toContain('occurredAt');
  });

  it('refuses a missing field and a value that is not an object, as envelope errors', () => {
    const { eventId: _dropped, ...noId } = raw('task.submitted', submittedData);
    expect(parseError(noId).message).toMatch(/^invalid envelope: .*eventId/);
    expect(parseError(null).message).toMatch(/^invalid envelope: \(root\)/);
    expect(parseError('{"type":"task.submitted"}').message).toMatch(/^invalid envelope/);
  });

  it('refuses an unknown type', () => {
    const err = parseError(raw('task.exploded', {}));
    expect(err.message).toBe('unknown event type task.exploded v1');
    expect(err.issues).toEqual([]);
  });

  it('refuses an unknown version of a known type', () => {
    const err = parseError(raw('task.submitted', submittedData, { version: 2 }));
    expect(err.message).toBe('unknown event type task.submitted v2');
  });

  it('names the path of an invalid payload field', () => {
    const err = parseError(raw('task.submitted', { taskType: 'lead.qualify', input: { text: '' } }));
    expect(err.message).toMatch(/^invalid task\.submitted v1: /);
    expect(err.message).toContain('data.input.text');
    expect(err.issues.map((i) => i.path)).toEqual([['data', 'input', 'text']]);
  });

  it('names the path of an invalid payload field of another type', () => {
    const err = parseError(raw('step.requested', { ...stepData, attempt: 0, role: 'pirate' }));
    expect(err.message).toMatch(/^invalid step\.requested v1: /);
    expect(err.message).toContain('data.attempt');
    expect(err.message).toContain('data.role');
  });
});

describe('describeIssues', () => {
  it('joins path: message pairs and shows (root) for an empty path', () => {
    const r = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    expect(r.success).toBe(false);
    expect(describeIssues(r.error!.issues)).toMatch(/^a\.b: /);
    const root = z.number().safeParse('x');
    expect(describeIssues(root.error!.issues)).toMatch(/^\(root\): /);
  });
});

describe('createEvent', () => {
  const origin: EventOrigin = { tenantId: TENANT, taskId: TASK, causationId: null };

  afterEach(() => jest.useRealTimers());

  it('fills the envelope: fresh UUID, type, current version, origin and the current time', () => {
    jest.useFakeTimers({ now: new Date(OCCURRED) });
    const event = createEvent('task.submitted', origin, submittedData);
    expect(TaskId.safeParse(event.eventId).success).toBe(true);
    expect(event).toEqual({
      eventId: event.eventId,
      type: 'task.submitted',
      version: 1,
      tenantId: TENANT,
      taskId: TASK,
      causationId: null,
      occurredAt: OCCURRED,
      data: submittedData,
    });
  });

  it('mints a different event id each time when the origin fixes none', () => {
    const a = createEvent('task.submitted', origin, submittedData);
    const b = createEvent('task.submitted', origin, submittedData);
    expect(a.eventId).not.toBe(b.eventId);
  });

  it('honours origin.eventId', () => {
    const fixed = '9d2f0c55-1b7e-4c3a-8f00-0123456789ab';
    const event = createEvent('task.failed', { ...origin, causationId: CAUSE, eventId: fixed }, {
      reason: { kind: 'system', code: 'unknown_role', message: 'no such role' },
    });
    expect(event.eventId).toBe(fixed);
    expect(event.causationId).toBe(CAUSE);
  });

  it('applies payload defaults', () => {
    const event = createEvent('step.requested', origin, stepData);
    expect(event.data.feedback).toEqual([]);
  });

  it('throws on invalid data, naming the field', () => {
    expect(() => createEvent('task.submitted', origin, { taskType: 'Lead Qualify', input: { text: 'x' } })).toThrow(z.ZodError);
    try {
      createEvent('task.submitted', origin, { taskType: 'lead.qualify', input: { text: '' } });
      throw new Error('createEvent did not throw');
    } catch (err) {
      expect(err).toBeInstanceOf(z.ZodError);
      expect((err as z.ZodError).issues.map((i) => i.path.join('.'))).toEqual(['data.input.text']);
    }
  });

  it('throws on an invalid origin (bad tenant, task id or fixed event id)', () => {
    expect(() => createEvent('task.submitted', { ...origin, tenantId: 'Not A Tenant' }, submittedData)).toThrow(/tenantId/);
    expect(() => createEvent('task.submitted', { ...origin, taskId: 'task-1' }, submittedData)).toThrow(/taskId/);
    expect(() => createEvent('task.submitted', { ...origin, eventId: 'evt-1' }, submittedData)).toThrow(/eventId/);
  });

  it('refuses an unknown type', () => {
    const untyped = createEvent as unknown as (type: string, o: EventOrigin, data: unknown) => unknown;
    expect(() => untyped('task.exploded', origin, {})).toThrow(new EventParseError('unknown event type task.exploded'));
  });
});

describe('deriveEventId', () => {
  const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is deterministic', () => {
    expect(deriveEventId(CAUSE, 'agent.output')).toBe(deriveEventId(CAUSE, 'agent.output'));
  });

  it('has the UUID v5 layout (version nibble 5, RFC 4122 variant) and passes the envelope check', () => {
    for (const label of ['a', 'agent.output', 'planner.step.2', '']) {
      const id = deriveEventId(CAUSE, label);
      expect(id).toMatch(UUID_V5);
      expect(TaskId.safeParse(id).success).toBe(true);
    }
  });

  it('is the SHA-1 of "cause:label" (a stable formula: redeploys must re-derive the same ids)', () => {
    // Computed independently with Python's hashlib, version and variant bits set by hand.
    expect(deriveEventId(CAUSE, 'agent.output')).toBe('7063bb09-2ecf-5cfd-8df9-8999c8d86215');
  });

  it('differs for different labels and different causes', () => {
    const other = 'c0ffee00-0000-4000-8000-000000000001';
    const ids = [
      deriveEventId(CAUSE, 'agent.output'),
      deriveEventId(CAUSE, 'agent.usage'),
      deriveEventId(other, 'agent.output'),
      deriveEventId(other, 'agent.usage'),
    ];
    expect(new Set(ids).size).toBe(4);
  });
});

describe('causedBy', () => {
  const cause = { tenantId: TENANT, taskId: TASK, eventId: CAUSE };

  it('copies tenant and task and makes the cause the causation, with no fixed id without a label', () => {
    const origin = causedBy(cause);
    expect(origin).toEqual({ tenantId: TENANT, taskId: TASK, causationId: CAUSE });
    expect('eventId' in origin).toBe(false);
  });

  it('derives the event id from the cause and the label', () => {
    expect(causedBy(cause, 'agent.output')).toEqual({
      tenantId: TENANT,
      taskId: TASK,
      causationId: CAUSE,
      eventId: deriveEventId(CAUSE, 'agent.output'),
    });
  });

  it('makes handling the same cause twice publish the same event id', () => {
    const data = { reason: { kind: 'user' as const, code: 'too_large', message: 'input too large' } };
    const first = createEvent('task.failed', causedBy(cause, 'guard.reject'), data);
    const again = createEvent('task.failed', causedBy(cause, 'guard.reject'), data);
    expect(again.eventId).toBe(first.eventId);
    expect(first.causationId).toBe(CAUSE);
  });
});

describe('topicOf', () => {
  const origin: EventOrigin = { tenantId: TENANT, taskId: TASK, causationId: null };

  it('gives the fixed topic of fixed-topic events', () => {
    expect(topicOf(createEvent('task.submitted', origin, submittedData))).toBe(Topics.taskSubmitted);
    expect(topicOf(createEvent('task.completed', origin, { result: 'ok', attempts: 1 }))).toBe('baton.task.completed');
    expect(
      topicOf(createEvent('output.blocked', origin, { stepId: 'main', attempt: 1, reason: { kind: 'model', code: 'not_json', message: 'x' } })),
    ).toBe('baton.output.blocked');
  });

  it('gives step.requested the topic of its role', () => {
    for (const role of ['general', 'sales', 'recruiting'] as const) {
      const event = createEvent('step.requested', origin, { ...stepData, role });
      expect(topicOf(event)).toBe(`baton.step.requested.${role}`);
    }
  });

  it('refuses an unknown version', () => {
    const event = { ...createEvent('task.submitted', origin, submittedData), version: 7 } as unknown as BatonEvent;
    expect(() => topicOf(event)).toThrow(new EventParseError('unknown event type task.submitted v7'));
  });
});

describe('topicsOfType', () => {
  it('gives a fixed-topic type its one topic', () => {
    expect(topicsOfType('task.admitted')).toEqual([Topics.taskAdmitted]);
    expect(topicsOfType('audit.recorded')).toEqual([Topics.audit]);
  });

  it('gives step.requested the step topic of every role', () => {
    expect(topicsOfType('step.requested')).toEqual(AGENT_ROLES.map(stepRequestedTopic));
  });

  it('names only topics of allTopics(), and every one of them for some type', () => {
    const all = EVENT_DEFINITIONS.flatMap((d) => topicsOfType(d.type));
    expect(new Set(all)).toEqual(new Set(allTopics()));
  });

  it('refuses an unknown type', () => {
    expect(() => topicsOfType('task.teleported')).toThrow(new EventParseError('unknown event type task.teleported'));
    expect([isEventType('task.routed'), isEventType('task.teleported'), isEventType(7)]).toEqual([true, false, false]);
  });
});

describe('eventJsonSchemas', () => {
  const schemas = eventJsonSchemas() as Record<string, { type?: unknown; properties?: Record<string, { type?: unknown; required?: unknown; const?: unknown }>; required?: unknown }>;

  it('has one schema per event definition, keyed type@version', () => {
    expect(Object.keys(schemas).sort()).toEqual(EVENT_DEFINITIONS.map((d) => `${d.type}@${d.version}`).sort());
    expect(Object.keys(schemas)).toHaveLength(EVENT_DEFINITIONS.length);
  });

  it('describes each event as an object with the envelope properties and an object data', () => {
    for (const def of EVENT_DEFINITIONS) {
      const s = schemas[`${def.type}@${def.version}`]!;
      expect(s.type).toBe('object');
      expect(Object.keys(s.properties ?? {})).toEqual(
        expect.arrayContaining(['eventId', 'type', 'version', 'tenantId', 'taskId', 'causationId', 'occurredAt', 'data']),
      );
      expect(s.required).toEqual(expect.arrayContaining(['eventId', 'type', 'data']));
      expect(s.properties!.type!.const).toBe(def.type);
      expect(s.properties!.data!.type).toBe('object');
    }
  });

  it('describes the input side: a field with a default is not required', () => {
    const data = schemas['step.requested@1']!.properties!.data!;
    expect(data.required).toEqual(expect.arrayContaining(['stepId', 'attempt', 'role']));
    expect(data.required).not.toContain('feedback');
  });
});

describe('decisionOrigin', () => {
  it('gives every publisher of a decision the same event id, caused by the escalation', () => {
    const escalationId = deriveEventId(CAUSE, 'escalation');
    const a = decisionOrigin({ tenantId: TENANT, taskId: TASK, escalationId });
    const b = decisionOrigin({ tenantId: TENANT, taskId: TASK, escalationId });
    expect(a).toEqual(b);
    expect(a.causationId).toBe(escalationId);
    expect(a.eventId).not.toBe(escalationId);
    expect(decisionOrigin({ tenantId: TENANT, taskId: TASK, escalationId: deriveEventId(CAUSE, 'other') }).eventId).not.toBe(a.eventId);
  });
});
