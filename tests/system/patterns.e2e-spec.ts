import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GatewayClient, Stack, repoRoot, type TaskView } from '@baton/stack';
import { resetModelBreakers } from '../support/breakers';
import { simulatorApi } from '../support/simulator';

// The orchestration patterns end to end: debate + consensus, hand-offs, plans from the
// planner agent with replanning, the tool-call budget, and humans in the loop (a decision
// sent twice resumes the task once; an unanswered escalation times out). Every service is
// a process on the real Kafka and Redis; the model simulator is scripted over HTTP.

jest.setTimeout(240000);

const KEY = 'dev-key-acme';
const PERSONA = {
  risk: 'You are a fraud and risk analyst',
  compliance: 'You are a compliance officer',
  general: 'You are a careful assistant inside a business workflow',
  sales: 'You are a sales operations specialist',
  judge: 'You are an impartial reviewer',
  planner: 'You are a planner',
};

/** Workflows only these tests use, written next to copies of the shipped ones. */
const TEST_WORKFLOWS: Record<string, string> = {
  't-debate': `name: t-debate
description: Three specialists vote on a hold.
plan:
  steps:
    - id: vote
      role: judge
      instruction: DEBATE-MAJORITY Should the payment be held?
      debate:
        participants: [{ role: risk }, { role: compliance }, { role: general }]
        choices: [hold, release]
        rule: majority
`,
  't-debate-judge': `name: t-debate-judge
description: Two specialists; a judge breaks a tie.
plan:
  steps:
    - id: vote
      role: judge
      instruction: DEBATE-JUDGE Should the payment be held?
      debate:
        participants: [{ role: risk }, { role: compliance }]
        choices: [hold, release]
        onTie: judge
`,
  't-debate-human': `name: t-debate-human
description: Two specialists; a human breaks a tie.
plan:
  steps:
    - id: vote
      role: judge
      instruction: DEBATE-HUMAN Should the payment be held?
      debate:
        participants: [{ role: risk }, { role: compliance }]
        choices: [hold, release]
        onTie: human
`,
  't-review': `name: t-review
description: Assess, then act once a human approves.
plan:
  steps:
    - id: assess
      role: risk
      instruction: Score the risk of REVIEW-ASSESS.
      outputSchema:
        type: object
        properties: { score: { type: integer, minimum: 0, maximum: 100 } }
        required: [score]
        additionalProperties: false
    - id: act
      role: general
      dependsOn: [assess]
      approval: true
      instruction: Carry out REVIEW-ACT given the risk score.
`,
  't-handoff': `name: t-handoff
description: A generalist who may hand the work to sales.
plan:
  steps:
    - id: main
      role: general
      instruction: Answer the customer HANDOFF-CASE.
      handoffs: [{ role: sales }]
`,
};

let stack: Stack;
let simBase: string;
let gw: GatewayClient;
let workflowsDir: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sim = simulatorApi(() => simBase);
const addRule = (rule: unknown) => sim('POST', '/_sim/rules', rule);

interface SimLogEntry {
  body?: { messages?: Array<{ role?: string; content?: string }> };
}
async function requestsContaining(text: string): Promise<SimLogEntry[]> {
  const { requests } = (await sim('GET', '/_sim/requests')) as { requests: SimLogEntry[] };
  return requests.filter((r) => (r.body?.messages ?? []).some((m) => m.content?.includes(text)));
}

async function api(method: string, route: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${stack.gatewayUrl}${route}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function untilStatus(id: string, wanted: string[], timeoutMs = 60000): Promise<TaskView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = await gw.get(id);
    if (wanted.includes(t.status)) return t;
    if (Date.now() > deadline) throw new Error(`task ${id} is ${t.status}, not ${wanted.join('/')}, after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The task's current escalation once the task waits on one (of `stopReason`, when given). */
async function escalationOf(id: string, stopReason?: string, timeoutMs = 60000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = await gw.get(id);
    if (t.status === 'escalated') {
      const { status, json } = await api('GET', `/v1/escalations/${id}`);
      expect(status).toBe(200);
      if (!stopReason || json.stopReason === stopReason) return json;
    }
    if (Date.now() > deadline) throw new Error(`task ${id} has no ${stopReason ?? ''} escalation after ${timeoutMs} ms (status ${t.status})`);
    await sleep(100);
  }
}

beforeAll(async () => {
  await resetModelBreakers();
  workflowsDir = mkdtempSync(path.join(tmpdir(), 'baton-workflows-'));
  cpSync(path.join(repoRoot(), 'workflows'), workflowsDir, { recursive: true });
  for (const [name, yaml] of Object.entries(TEST_WORKFLOWS)) writeFileSync(path.join(workflowsDir, `${name}.yaml`), yaml);
  stack = await Stack.start({
    basePort: 23080,
    modelsOnSimulator: true,
    env: { BATON_WORKFLOWS_DIR: workflowsDir, PLANNER_DEADLINE_SWEEP_MS: '200', LLM_TIMEOUT_MS: '3000', LLM_MAX_RETRIES: '0' },
  });
  simBase = stack.simulatorUrl!.replace(/\/v1$/, '');
  gw = new GatewayClient(stack.gatewayUrl, KEY);
}, 180000);

afterEach(async () => {
  await sim('DELETE', '/_sim/rules');
});

afterAll(async () => {
  await stack?.stop();
  rmSync(workflowsDir, { recursive: true, force: true });
  await resetModelBreakers();
}, 60000);

describe('debate + consensus', () => {
  it('asks every participant, decides by majority and records the dissent', async () => {
    await addRule({ match: { contains: PERSONA.risk }, replies: [{ json: { vote: 'hold', rationale: 'new device, two countries' } }], repeat: true });
    await addRule({ match: { contains: PERSONA.compliance }, replies: [{ json: { vote: 'release', rationale: 'documented merchant' } }], repeat: true });
    await addRule({ match: { contains: PERSONA.general }, replies: [{ json: { vote: 'hold', rationale: 'amount is unusual' } }], repeat: true });
    const done = await gw.untilTerminal((await gw.submit({ taskType: 'fraud.review', workflow: 't-debate', input: { text: 'payment 4,900 EUR' } })).taskId);
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({ decision: 'hold', decidedBy: 'vote', rule: 'majority', counts: { hold: 2, release: 1 } });
    expect((done.result as { dissent: unknown[] }).dissent).toEqual([{ participant: 'vote.p2', role: 'compliance', vote: 'release', rationale: 'documented merchant' }]);
    expect(await requestsContaining('DEBATE-MAJORITY')).toHaveLength(3);
  });

  it('sends a tie to the judge, who sees every vote and decides', async () => {
    await addRule({ match: { contains: PERSONA.risk }, replies: [{ json: { vote: 'hold', rationale: 'velocity' } }], repeat: true });
    await addRule({ match: { contains: PERSONA.compliance }, replies: [{ json: { vote: 'release', rationale: 'known customer' } }], repeat: true });
    await addRule({ match: { contains: PERSONA.judge }, replies: [{ json: { choice: 'release', reason: 'the customer is known' } }], repeat: true });
    const done = await gw.untilTerminal((await gw.submit({ taskType: 'fraud.review', workflow: 't-debate-judge', input: { text: 'payment' } })).taskId);
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({ decision: 'release', decidedBy: 'judge', tieBreak: 'the customer is known' });
    const judge = await requestsContaining(PERSONA.judge);
    expect(JSON.stringify(judge.at(-1)?.body)).toContain('velocity');
  });

  it('sends a tie to a human when the debate says so; the human picks', async () => {
    await addRule({ match: { contains: PERSONA.risk }, replies: [{ json: { vote: 'hold', rationale: 'a' } }], repeat: true });
    await addRule({ match: { contains: PERSONA.compliance }, replies: [{ json: { vote: 'release', rationale: 'b' } }], repeat: true });
    const { taskId } = await gw.submit({ taskType: 'fraud.review', workflow: 't-debate-human', input: { text: 'payment' } });
    const esc = await escalationOf(taskId);
    expect(esc).toMatchObject({ stopReason: 'debate_tie', bundle: { choices: ['hold', 'release'] } });
    const decided = await api('POST', `/v1/escalations/${taskId}/decision`, { action: 'answer', answer: 'hold', comment: 'policy says hold' });
    expect(decided.status).toBe(202);
    const done = await untilStatus(taskId, ['completed', 'failed']);
    expect(done.result).toMatchObject({ decision: 'hold', decidedBy: 'human' });
  });
});

describe('router + specialist hand-offs', () => {
  it('hands the work to sales with the note and nothing of the first conversation', async () => {
    await addRule({ match: { contains: PERSONA.general }, replies: [{ toolCalls: [{ name: 'handoff', arguments: { role: 'sales', reason: 'pricing', note: 'NOTE-FOR-SALES wants volume pricing' } }] }], repeat: true });
    await addRule({ match: { contains: 'NOTE-FOR-SALES' }, replies: [{ content: 'Volume pricing starts at 50 seats.' }], repeat: true });
    const done = await gw.untilTerminal((await gw.submit({ taskType: 'support.question', workflow: 't-handoff', input: { text: 'How much for 80 seats?' } })).taskId);
    expect({ status: done.status, result: done.result }).toEqual({ status: 'completed', result: 'Volume pricing starts at 50 seats.' });
    const [toSales] = await requestsContaining('NOTE-FOR-SALES');
    // A fresh conversation: the sales persona and the task, no turn of the generalist's.
    expect(toSales.body?.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(toSales.body?.messages?.[0].content).toContain(PERSONA.sales);
  });

  it('stops specialists handing the work back and forth as no progress', async () => {
    await addRule({ match: { contains: PERSONA.general }, replies: [{ toolCalls: [{ name: 'handoff', arguments: { role: 'sales', reason: 'r', note: 'yours' } }] }], repeat: true });
    await addRule({ match: { contains: PERSONA.sales }, replies: [{ toolCalls: [{ name: 'handoff', arguments: { role: 'general', reason: 'r', note: 'no, yours' } }] }], repeat: true });
    const done = await gw.untilTerminal((await gw.submit({ taskType: 'support.question', workflow: 't-handoff', input: { text: 'ping pong' } })).taskId);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('no_progress');
  });
});

describe('every task ends', () => {
  it('stops a model that calls tools forever at the task tool-call budget', async () => {
    await addRule({ match: { contains: 'TOOLS-FOREVER' }, replies: [{ toolCalls: [{ name: 'lookup_input', arguments: { path: 'account' } }] }], repeat: true });
    // The task needs a model that can call tools; others get no tools offered.
    const { taskId } = await gw.submit({ taskType: 'support.triage', input: { text: 'TOOLS-FOREVER', data: { account: 7 } }, needs: { capabilities: ['tools'] }, limits: { maxToolCalls: 3 } });
    const done = await gw.untilTerminal(taskId);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('max_tool_calls');
    // Three tool calls answered, then the fourth request was refused: four model calls.
    expect(await requestsContaining('TOOLS-FOREVER')).toHaveLength(4);
  });
});

describe('planner + executor with a plan from the planner agent', () => {
  it('runs the plan the planner agent wrote, and replans around a step that fails for good', async () => {
    const first = {
      steps: [
        { id: 'gather', role: 'research', instruction: 'Gather the facts PLAN-DOOMED.' },
        { id: 'write', role: 'writer', instruction: 'Write the brief.', dependsOn: ['gather'] },
      ],
      resultStep: 'write',
    };
    const second = { steps: [{ id: 'write', role: 'writer', instruction: 'Write the brief from what is known PLAN-SECOND.' }] };
    await addRule({ match: { contains: PERSONA.planner }, replies: [{ json: first }, { json: second }] });
    // A request the provider refuses (400): no fallback, no breaker, the attempt fails.
    await addRule({ match: { contains: 'PLAN-DOOMED' }, replies: [{ fault: 400 }], repeat: true });
    await addRule({ match: { contains: 'PLAN-SECOND' }, replies: [{ content: 'The brief.' }], repeat: true });
    const { taskId } = await gw.submit({ taskType: 'report.brief', pattern: 'plan', input: { text: 'Brief on AI dispatch tools' } });
    const done = await gw.untilTerminal(taskId);
    expect({ status: done.status, result: done.result, error: done.error }).toEqual({ status: 'completed', result: 'The brief.', error: undefined });
    const planning = (await requestsContaining('Brief on AI dispatch tools')).filter((r) => JSON.stringify(r.body).includes(PERSONA.planner));
    expect(planning).toHaveLength(2);
    expect(JSON.stringify(planning[1].body)).toContain('Step gather (research) failed after 3 attempts');
    expect(await requestsContaining('PLAN-DOOMED')).toHaveLength(3);
  });
});

describe('stop reasons of planned tasks', () => {
  const doomed = { steps: [{ id: 'gather', role: 'research', instruction: 'Gather the facts PLAN-DOOMED.' }] };

  it('stops a planner agent that proposes the same plan again with loop_detected', async () => {
    await addRule({ match: { contains: PERSONA.planner }, replies: [{ json: doomed }], repeat: true });
    await addRule({ match: { contains: 'PLAN-DOOMED' }, replies: [{ fault: 400 }], repeat: true });
    const done = await gw.untilTerminal((await gw.submit({ taskType: 'report.brief', pattern: 'plan', input: { text: 'Brief' } })).taskId);
    expect({ status: done.status, code: done.error?.code }).toEqual({ status: 'failed', code: 'loop_detected' });
  });

  it('escalates with max_replans when a step fails for good and no replan is left', async () => {
    await addRule({ match: { contains: PERSONA.planner }, replies: [{ json: doomed }], repeat: true });
    await addRule({ match: { contains: 'PLAN-DOOMED' }, replies: [{ fault: 400 }], repeat: true });
    const { taskId } = await gw.submit({ taskType: 'report.brief', pattern: 'plan', input: { text: 'Brief NO-REPLAN-5' }, limits: { maxReplans: 0 } });
    const esc = await escalationOf(taskId, 'max_replans');
    expect(esc).toMatchObject({ bundle: { stepId: 'gather', role: 'research' } });
    // One plan, never a second: the simulator's log holds every earlier test's requests too.
    const planning = (await requestsContaining('NO-REPLAN-5')).filter((r) => JSON.stringify(r.body).includes(PERSONA.planner));
    expect(planning).toHaveLength(1);
  });
});

describe('humans in the loop', () => {
  it('resumes an escalated task exactly once though the decision is sent twice, then asks for approval', async () => {
    await addRule({ match: { contains: 'REVIEW-ASSESS' }, replies: [{ content: 'cannot say' }], repeat: true });
    await addRule({ match: { contains: 'A human reviewer said: Score it 40' }, replies: [{ json: { score: 40 } }], repeat: true });
    await addRule({ match: { contains: 'REVIEW-ACT' }, replies: [{ content: 'Hold placed on payment 7.' }], repeat: true });
    const { taskId } = await gw.submit({ taskType: 'fraud.review', workflow: 't-review', input: { text: 'payment 7' } });
    const esc = await escalationOf(taskId, 'attempts_exhausted');
    expect(esc).toMatchObject({ allowed: ['approve', 'answer', 'edit', 'reject'], bundle: { stepId: 'assess', role: 'risk' } });
    expect((esc.bundle as { history: unknown[] }).history).toHaveLength(3);
    const open = await api('GET', '/v1/escalations');
    expect(JSON.stringify(open.json)).toContain(taskId);

    const decision = { action: 'answer', answer: 'Score it 40', comment: 'ana' };
    const [a, b] = await Promise.all([
      api('POST', `/v1/escalations/${taskId}/decision`, decision),
      api('POST', `/v1/escalations/${taskId}/decision`, decision),
    ]);
    // One request records the decision (202). The other finds the same decision recorded (200,
    // duplicate), or, when the planner already acted on it in between, acted on: 409 with the
    // stored decision, which is this same one. Either way the task resumes once (below).
    const [first, second] = [a, b].sort((x, y) => (x.status === 202 ? -1 : y.status === 202 ? 1 : 0));
    expect(first.status).toBe(202);
    expect(first.json.duplicate).toBe(false);
    if (second.status === 200) expect(second.json.duplicate).toBe(true);
    else expect({ status: second.status, escalationStatus: second.json.escalationStatus, decision: second.json.decision }).toMatchObject({ status: 409, escalationStatus: 'resumed', decision: { action: 'answer', answer: 'Score it 40' } });

    // The step resumed with the answer, then the approval step holds its output for a human.
    const approval = await escalationOf(taskId, 'approval_required');
    expect(approval).toMatchObject({ stopReason: 'approval_required', bundle: { stepId: 'act', pendingOutput: 'Hold placed on payment 7.', stepOutputs: { assess: { score: 40 } } } });
    expect(await requestsContaining('A human reviewer said: Score it 40')).toHaveLength(1);
    // A decision naming the escalation already decided is refused: it is no longer the one the task waits on.
    expect((await api('POST', `/v1/escalations/${taskId}/decision`, { action: 'reject', escalationId: esc.escalationId })).status).toBe(400);

    expect((await api('POST', `/v1/escalations/${taskId}/decision`, { action: 'approve' })).status).toBe(202);
    const done = await untilStatus(taskId, ['completed', 'failed']);
    expect({ status: done.status, result: done.result }).toEqual({ status: 'completed', result: 'Hold placed on payment 7.' });
    // A different decision after the fact conflicts with the one applied.
    expect((await api('POST', `/v1/escalations/${taskId}/decision`, { action: 'reject' })).status).toBe(409);
    expect(await requestsContaining('REVIEW-ACT')).toHaveLength(1);
  });

  it('applies the declared outcome to an escalation nobody answers', async () => {
    await addRule({ match: { contains: 'REVIEW-ASSESS' }, replies: [{ content: 'cannot say' }], repeat: true });
    const { taskId } = await gw.submit({ taskType: 'fraud.review', workflow: 't-review', input: { text: 'payment 8' }, escalation: { timeoutSeconds: 2, onTimeout: 'fail' } });
    await escalationOf(taskId);
    const done = await untilStatus(taskId, ['failed', 'completed'], 30000);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('escalation_timeout');
  });
});
