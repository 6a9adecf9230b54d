import { GatewayClient, Stack } from '@baton/stack';
import { resetModelBreakers } from '../support/breakers';

// Declarative workflows and the planner's stopping conditions, every service a process on
// the real Kafka and Redis, the model simulator scripted over HTTP.

jest.setTimeout(240000);

const KEY = 'dev-key-acme';

interface SimLogEntry {
  at: string;
  body?: { messages?: Array<{ content?: string }> };
}

let stack: Stack;
let simBase: string;

let gw: GatewayClient;
const submit = async (body: unknown) => (await gw.submit(body)).taskId;
const untilTerminal = (id: string, timeoutMs?: number) => gw.untilTerminal(id, timeoutMs);

async function addRule(rule: unknown): Promise<void> {
  const res = await fetch(`${simBase}/_sim/rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  expect(res.ok).toBe(true);
}

async function simRequestsContaining(text: string): Promise<SimLogEntry[]> {
  const res = await fetch(`${simBase}/_sim/requests`);
  const { requests } = (await res.json()) as { requests: SimLogEntry[] };
  return requests.filter((r) => (r.body?.messages ?? []).some((m) => m.content?.includes(text)));
}

beforeAll(async () => {
  await resetModelBreakers();
  stack = await Stack.start({ basePort: 20080, modelsOnSimulator: true, env: { PLANNER_DEADLINE_SWEEP_MS: '200', LLM_TIMEOUT_MS: '3000', LLM_MAX_RETRIES: '0' } });
  simBase = stack.simulatorUrl!.replace(/\/v1$/, '');
  gw = new GatewayClient(stack.gatewayUrl, KEY);
}, 180000);

afterAll(async () => {
  await stack?.stop();
  // The hanging-model test opens the breakers of every model it fell back to.
  await resetModelBreakers();
}, 60000);

describe('workflows', () => {
  it('runs the resume-screening workflow, its two middle steps in parallel, to a shortlist decision', async () => {
    const marker = 'CANDIDATE-PARALLEL-7';
    // Both middle steps answer slowly: if they ran one after the other, the second request
    // would arrive only after the first answer.
    await addRule({ id: 'slow-score', match: { contains: 'Score how well' }, replies: [{ json: { fit: 81, gaps: ['no PostgreSQL'] }, latencyMs: 1500 }], repeat: true });
    await addRule({ id: 'slow-fairness', match: { contains: 'no age, gender, origin' }, replies: [{ json: { compliant: true, concerns: [] }, latencyMs: 1500 }], repeat: true });
    const id = await submit({ taskType: 'resume.shortlist', workflow: 'resume-screening', input: { text: `${marker}: 7 years of Node.js and Kafka; role needs TypeScript, Kafka, PostgreSQL.` } });
    const done = await untilTerminal(id);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'completed', error: undefined });
    expect(typeof (done.result as Record<string, unknown>).shortlist).toBe('boolean');
    expect(typeof (done.result as Record<string, unknown>).rationale).toBe('string');
    const score = (await simRequestsContaining('Score how well')).filter((r) => JSON.stringify(r.body).includes(marker));
    const fairness = (await simRequestsContaining('no age, gender, origin')).filter((r) => JSON.stringify(r.body).includes(marker));
    expect(score).toHaveLength(1);
    expect(fairness).toHaveLength(1);
    const gap = Math.abs(Date.parse(score[0].at) - Date.parse(fairness[0].at));
    expect(gap).toBeLessThan(1500);
    // The final step saw both branch outputs.
    const shortlist = (await simRequestsContaining('Decide whether to shortlist')).find((r) => JSON.stringify(r.body).includes(marker));
    expect(JSON.stringify(shortlist?.body)).toContain('no PostgreSQL');
  });

  it('runs every sample workflow to completion', async () => {
    const samples = [
      { workflow: 'lead-qualification', taskType: 'lead.route', text: 'Inbound demo request from a 200-person logistics firm, consent given, wants pricing this month.' },
      { workflow: 'fraud-hold', taskType: 'fraud.signal', text: 'Card used in two countries within 20 minutes; amount 4,900 EUR; new device.' },
      { workflow: 'research-report', taskType: 'report.research', text: 'How are mid-size logistics companies adopting AI dispatch tools?' },
    ];
    const ids = await Promise.all(samples.map((s) => submit({ taskType: s.taskType, workflow: s.workflow, input: { text: s.text } })));
    for (const id of ids) expect((await untilTerminal(id)).status).toBe('completed');
  });

  it('fails a task that names an unknown workflow, with the reason', async () => {
    const done = await untilTerminal(await submit({ taskType: 'report.research', workflow: 'no-such-flow', input: { text: 'x' } }));
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('unknown_workflow');
  });
});

describe('stopping conditions', () => {
  it('stops a plan longer than the step limit with max_steps', async () => {
    const done = await untilTerminal(await submit({ taskType: 'report.research', workflow: 'research-report', input: { text: 'q' }, limits: { maxSteps: 2 } }));
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('max_steps');
  });

  it('stops a task whose model never answers in time with deadline_exceeded, though no event arrives', async () => {
    // The model holds the request open far longer than the task's deadline.
    await addRule({ id: 'hang', match: { contains: 'NEVER-ANSWERS-42' }, replies: [{ fault: 'timeout' }], repeat: true });
    const done = await untilTerminal(await submit({ taskType: 'support.triage', input: { text: 'NEVER-ANSWERS-42 please help' }, limits: { deadlineSeconds: 2 } }), 30000);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('deadline_exceeded');
  });

  it('escalates a workflow step whose answers keep failing the check, naming the step', async () => {
    await addRule({ id: 'bad-assess', match: { contains: 'FRAUD-BAD-OUTPUT' }, replies: [{ content: 'cannot say' }], repeat: true });
    const done = await untilTerminal(await submit({ taskType: 'fraud.signal', workflow: 'fraud-hold', input: { text: 'FRAUD-BAD-OUTPUT signal' } }));
    expect(done.status).toBe('escalated');
    expect(done.error?.code).toBe('attempts_exhausted');
    expect(done.error?.message).toContain('step assess');
    expect(done.attempts).toBe(3);
  });
});
