import { SETTLED_STATUSES } from '@baton/contracts';

/** What `GET /v1/tasks/:id` answers, as the demo, the bench and the system tests read it. */
export interface TaskView {
  taskId: string;
  status: string;
  result?: unknown;
  error?: { kind: string; code: string; message: string; details?: unknown };
  costMicros: number;
  attempts: number;
  role?: string;
  model?: string;
  traceId: string | null;
}

/** Statuses after which a task does nothing more on its own (escalated: waiting for a human). */
const TERMINAL: ReadonlySet<string> = new Set<string>(SETTLED_STATUSES);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small HTTP client for the gateway of a local stack, with one tenant's API key. */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {}

  /** POST /v1/tasks, whatever the answer. */
  async post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  /** Submits a task; throws unless the gateway accepted it (202). */
  async submit(body: unknown): Promise<{ taskId: string; traceId: string | null }> {
    const { status, json } = await this.post(body);
    if (status !== 202 || typeof json.taskId !== 'string') {
      throw new Error(`submit failed (${status}): ${typeof json.message === 'string' ? json.message : JSON.stringify(json)}`);
    }
    return { taskId: json.taskId, traceId: typeof json.traceId === 'string' ? json.traceId : null };
  }

  async get(taskId: string): Promise<TaskView> {
    const res = await fetch(`${this.baseUrl}/v1/tasks/${taskId}`, { headers: { 'x-api-key': this.apiKey } });
    if (!res.ok) throw new Error(`status of ${taskId} failed (${res.status})`);
    return (await res.json()) as TaskView;
  }

  /** Polls until the task is completed, failed, rejected or escalated. */
  async untilTerminal(taskId: string, timeoutMs = 60000): Promise<TaskView> {
    const deadline = Date.now() + timeoutMs;
    let t = await this.get(taskId);
    while (!TERMINAL.has(t.status)) {
      if (Date.now() > deadline) throw new Error(`task ${taskId} did not end within ${timeoutMs} ms (status ${t.status})`);
      await sleep(100);
      t = await this.get(taskId);
    }
    return t;
  }

  /** Like untilTerminal; spend is recorded asynchronously, so a completed task gets up to 3 s more for its cost. */
  async waitForEnd(taskId: string, timeoutMs = 60000): Promise<TaskView> {
    let t = await this.untilTerminal(taskId, timeoutMs);
    const costDeadline = Date.now() + 3000;
    while (t.status === 'completed' && t.costMicros === 0 && Date.now() < costDeadline) {
      await sleep(100);
      t = await this.get(taskId);
    }
    return t;
  }
}
