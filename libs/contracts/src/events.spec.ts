import { EVENT_DEFINITIONS, TaskAdmitted, TaskRouted, TaskSubmitted } from './events';

describe('EVENT_DEFINITIONS', () => {
  it('has one definition per type@version', () => {
    const keys = EVENT_DEFINITIONS.map((d) => `${d.type}@${d.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('names types in dotted lowercase and versions from 1', () => {
    for (const d of EVENT_DEFINITIONS) {
      expect(d.type).toMatch(/^[a-z]+(\.[a-z]+)+$/);
      expect(Number.isInteger(d.version) && d.version >= 1).toBe(true);
    }
  });
});

describe('payload schemas', () => {
  const spec = { taskType: 'lead.qualify', input: { text: 'notes' } };
  const decision = { policy: 'cheapest', candidates: [{ model: 'sim-small', eligible: true, estimatedCostMicros: 12 }], reason: 'only one' };

  it('task.submitted takes a task spec with an optional idempotency key', () => {
    expect(TaskSubmitted.data.parse({ ...spec, idempotencyKey: 'k1' })).toEqual({ ...spec, idempotencyKey: 'k1' });
    expect(TaskSubmitted.data.safeParse({ ...spec, idempotencyKey: 'k'.repeat(201) }).success).toBe(false);
  });

  it('task.submitted refuses a task type that is not dotted lowercase', () => {
    const r = TaskSubmitted.data.safeParse({ ...spec, taskType: 'Lead Qualify' });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['taskType']);
  });

  it('task.admitted requires positive redaction counts', () => {
    expect(TaskAdmitted.data.safeParse({ ...spec, redactions: [{ kind: 'email', count: 2 }] }).success).toBe(true);
    expect(TaskAdmitted.data.safeParse({ ...spec, redactions: [{ kind: 'email', count: 0 }] }).success).toBe(false);
  });

  it('task.routed requires the resolved instruction even though a submitted task may omit it', () => {
    const routed = { ...spec, pattern: 'single', role: 'sales', model: 'sim-small', decision };
    expect(TaskRouted.data.safeParse({ ...routed, instruction: 'Qualify.' }).success).toBe(true);
    const r = TaskRouted.data.safeParse(routed);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['instruction']);
  });
});
