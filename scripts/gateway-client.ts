/** A small HTTP client for the gateway, used by the demo and the bench. */
export interface TaskView {
  taskId: string;
  status: string;
  result?: unknown;
  error?: { kind: string; code: string; message: string };
  costMicros: number;
  attempts: number;
  role?: string;
  model?: string;
  traceId: string | null;
}

export const TERMINAL = new Set(['completed', 'failed', 'rejected', 'escalated']);

export class GatewayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async submit(body: unknown): Promise<{ taskId: string; traceId: string | null }> {
    const res = await fetch(`${this.baseUrl}/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { taskId?: string; traceId?: string | null; message?: string };
    if (res.status !== 202 || !json.taskId) throw new Error(`submit failed (${res.status}): ${json.message ?? JSON.stringify(json)}`);
    return { taskId: json.taskId, traceId: json.traceId ?? null };
  }

  async get(taskId: string): Promise<TaskView> {
    const res = await fetch(`${this.baseUrl}/v1/tasks/${taskId}`, { headers: { 'x-api-key': this.apiKey } });
    if (!res.ok) throw new Error(`status of ${taskId} failed (${res.status})`);
    return (await res.json()) as TaskView;
  }

  /** Polls until the task ends; spend is recorded asynchronously, so a completed task gets up to 3 s more for its cost. */
  async waitForEnd(taskId: string, timeoutMs = 60000): Promise<TaskView> {
    const deadline = Date.now() + timeoutMs;
    let t = await this.get(taskId);
    while (!TERMINAL.has(t.status)) {
      if (Date.now() > deadline) throw new Error(`task ${taskId} did not end within ${timeoutMs} ms (status ${t.status})`);
      await sleep(100);
      t = await this.get(taskId);
    }
    const costDeadline = Date.now() + 3000;
    while (t.status === 'completed' && t.costMicros === 0 && Date.now() < costDeadline) {
      await sleep(100);
      t = await this.get(taskId);
    }
    return t;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
