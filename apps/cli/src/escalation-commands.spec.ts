import { UsageError } from './commands';
import { buildDecisionBody, decideCommand, escalationCommand, escalationsCommand, type EscalationDeps } from './escalation-commands';
import type { DecisionAnswer, DecisionBody, EscalationView } from './escalation-view';
import { GatewayError } from './gateway-client';

const TASK = '0b6a4f0e-3c1d-4f6e-9a2b-5d7c8e9f0a1b';
const ESC = '9b2f7c1e-5a4d-5e3f-8a1b-2c3d4e5f6a7b';

const view: EscalationView = {
  taskId: TASK,
  escalationId: ESC,
  taskType: 'lead.qualify',
  question: 'Approve, edit or reject?',
  allowed: ['approve', 'reject', 'edit'],
  createdAt: '2025-01-01T10:00:00.000Z',
  expiresAt: '2025-01-02T10:00:00.000Z',
  status: 'open',
  reason: { kind: 'model', code: 'attempts_exhausted', message: 'output failed the schema 3 times' },
  bundle: { question: 'Approve, edit or reject?', history: [], stepOutputs: {}, spentMicros: 0, stepsRun: 1 },
  onTimeout: 'fail',
};

function harness() {
  const out: string[] = [];
  const err: string[] = [];
  const decided: Array<{ taskId: string; body: DecisionBody }> = [];
  const listed: Array<number | undefined> = [];
  const deps: EscalationDeps = {
    io: { out: (s) => out.push(s), err: (s) => err.push(s) },
    client: {
      listEscalations: async (limit) => {
        listed.push(limit);
        return { escalations: [view] };
      },
      getEscalation: async () => view,
      decide: async (taskId, body) => {
        decided.push({ taskId, body });
        return {
          status: 'accepted',
          duplicate: false,
          taskId,
          escalationId: ESC,
          decision: { ...body, decidedBy: 'key:acme-dana', decidedAt: '2025-01-01T11:00:00.000Z' },
        } satisfies DecisionAnswer;
      },
    },
  };
  return { deps, out, err, decided, listed };
}

describe('escalationsCommand', () => {
  it('prints the table, passing the limit on', async () => {
    const h = harness();
    expect(await escalationsCommand({ limit: 5 }, h.deps)).toBe(0);
    expect(h.listed).toEqual([5]);
    expect(h.out[0]).toContain(TASK);
  });

  it('prints raw JSON with --json', async () => {
    const h = harness();
    await escalationsCommand({ json: true }, h.deps);
    expect(JSON.parse(h.out[0]!)).toEqual({ escalations: [view] });
  });
});

describe('escalationCommand', () => {
  it('prints the bundle', async () => {
    const h = harness();
    expect(await escalationCommand(TASK, {}, h.deps)).toBe(0);
    expect(h.out[0]).toContain('Question:\n  Approve, edit or reject?');
  });

  it('exits 1 with the gateway message for an unknown task', async () => {
    const h = harness();
    h.deps.client.getEscalation = async () => {
      throw new GatewayError(`not found (404): no escalation for task ${TASK}`, 404);
    };
    expect(await escalationCommand(TASK, {}, h.deps)).toBe(1);
    expect(h.err).toEqual([`baton: not found (404): no escalation for task ${TASK}`]);
  });
});

describe('decideCommand', () => {
  it('sends the decision and reports it recorded', async () => {
    const h = harness();
    expect(await decideCommand(TASK, 'edit', { output: '{"score":2}', comment: 'fixed' }, h.deps)).toBe(0);
    expect(h.decided).toEqual([{ taskId: TASK, body: { action: 'edit', output: { score: 2 }, comment: 'fixed' } }]);
    expect(h.out[0]).toMatch(/^Decision on task 0b6a.* recorded: edit by key:acme-dana at .* \(fixed\)/);
  });

  it('refuses --decided-by, saying the gateway records the key and where a name goes, and sends nothing', async () => {
    const h = harness();
    expect(await decideCommand(TASK, 'approve', { decidedBy: 'cfo' }, h.deps)).not.toBe(0);
    expect(h.err.join('\n')).toMatch(/--decided-by is no longer accepted: the gateway records the API key that decides \(key:<id>\); put a name in --comment/);
    expect(h.decided).toEqual([]);
  });

  it('reports a conflict from the gateway and exits 1', async () => {
    const h = harness();
    h.deps.client.decide = async () => {
      throw new GatewayError('gateway rejected POST /v1/escalations/x/decision (409): escalation e was already decided differently', 409);
    };
    expect(await decideCommand(TASK, 'reject', {}, h.deps)).toBe(1);
    expect(h.err[0]).toMatch(/409\): escalation e was already decided differently/);
  });

  it('refuses bad flags before calling the gateway', async () => {
    const h = harness();
    expect(await decideCommand(TASK, 'edit', {}, h.deps)).toBe(1);
    expect(h.err).toEqual(['baton: edit needs --output <json>: the output to use instead']);
    expect(h.decided).toEqual([]);
  });
});

describe('buildDecisionBody', () => {
  it('builds each action with only the fields given', () => {
    expect(buildDecisionBody('approve', {})).toEqual({ action: 'approve' });
    expect(buildDecisionBody('answer', { answer: 'Use the EU list', escalationId: ESC })).toEqual({
      action: 'answer',
      answer: 'Use the EU list',
      escalationId: ESC,
    });
    expect(buildDecisionBody('edit', { output: 'null' })).toEqual({ action: 'edit', output: null });
    expect(buildDecisionBody('edit', { output: '"plain text"' })).toEqual({ action: 'edit', output: 'plain text' });
  });

  it.each([
    ['edit without --output', 'edit', {}, /edit needs --output/],
    ['answer without --answer', 'answer', {}, /answer needs --answer/],
    ['answer with a blank --answer', 'answer', { answer: '  ' }, /answer needs --answer/],
    ['--output with approve', 'approve', { output: '{}' }, /--output goes with edit, not approve/],
    ['--answer with reject', 'reject', { answer: 'x' }, /--answer goes with answer, not reject/],
    ['--output that is not JSON', 'edit', { output: 'plain text' }, /--output is not valid JSON .*quote a plain string/],
  ] as const)('refuses %s', (_name, action, opts, message) => {
    expect(() => buildDecisionBody(action, opts)).toThrow(UsageError);
    expect(() => buildDecisionBody(action, opts)).toThrow(message);
  });
});
