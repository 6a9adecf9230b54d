import type { z } from 'zod';
import type { Connection } from './cli-config';
import { DeadLetterList, DeadLetterView, RedriveAnswer } from './dlq-view';
import { DecisionAnswer, type DecisionBody, EscalationList, EscalationView } from './escalation-view';
import { AuditView, SpendView } from './governance-view';
import { SubmitAnswer, TaskView } from './task-view';

/** Body of `POST /v1/tasks`. */
export interface SubmitBody {
  taskType: string;
  instruction?: string;
  input: { text: string };
  outputSchema?: Record<string, unknown>;
}

/**
 * The gateway could not be used: not reachable, too slow, or it refused the request.
 * `status` is set when the gateway answered.
 */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** A single request must not hang the CLI; polling spaces requests out anyway. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The gateway's task API over HTTP. */
export class GatewayClient {
  constructor(
    private readonly conn: Connection,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Submits a task; resolves with the gateway's acceptance. */
  submit(body: SubmitBody, idempotencyKey?: string): Promise<SubmitAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    return this.request('POST', '/v1/tasks', SubmitAnswer, { headers, body: JSON.stringify(body) });
  }

  /** Reads a task's current state. */
  get(taskId: string): Promise<TaskView> {
    return this.request('GET', `/v1/tasks/${encodeURIComponent(taskId)}`, TaskView);
  }

  /** A task's audit trail, oldest entry first. */
  audit(taskId: string): Promise<AuditView> {
    return this.request('GET', `/v1/tasks/${encodeURIComponent(taskId)}/audit`, AuditView);
  }

  /** The tenant's spend (per model, per day, budgets), and one task's when `taskId` is given. */
  spend(opts: { day?: string; taskId?: string } = {}): Promise<SpendView> {
    const query = new URLSearchParams({ ...(opts.day ? { day: opts.day } : {}), ...(opts.taskId ? { taskId: opts.taskId } : {}) }).toString();
    return this.request('GET', `/v1/spend${query ? `?${query}` : ''}`, SpendView);
  }

  /** Lists the tenant's open escalations, oldest first. */
  listEscalations(limit?: number): Promise<EscalationList> {
    return this.request('GET', `/v1/escalations${limit === undefined ? '' : `?limit=${limit}`}`, EscalationList);
  }

  /** Reads a task's current escalation with its review bundle. */
  getEscalation(taskId: string): Promise<EscalationView> {
    return this.request('GET', `/v1/escalations/${encodeURIComponent(taskId)}`, EscalationView);
  }

  /** Decides a task's current escalation. */
  decide(taskId: string, body: DecisionBody): Promise<DecisionAnswer> {
    return this.request('POST', `/v1/escalations/${encodeURIComponent(taskId)}/decision`, DecisionAnswer, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** The tenant's latest dead letters, newest first. */
  listDeadLetters(opts: { topic?: string; limit?: number } = {}): Promise<DeadLetterList> {
    const query = new URLSearchParams({ ...(opts.topic ? { topic: opts.topic } : {}), ...(opts.limit !== undefined ? { limit: String(opts.limit) } : {}) }).toString();
    return this.request('GET', `/v1/dead-letters${query ? `?${query}` : ''}`, DeadLetterList);
  }

  /** One dead letter by its address. */
  getDeadLetter(at: { topic: string; partition: number; offset: string }): Promise<DeadLetterView> {
    return this.request('GET', deadLetterPath(at), DeadLetterView);
  }

  /** Sends a dead letter's original back to its topic. */
  redriveDeadLetter(at: { topic: string; partition: number; offset: string }): Promise<RedriveAnswer> {
    return this.request('POST', `${deadLetterPath(at)}/redrive`, RedriveAnswer);
  }

  private async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<z.infer<S>> {
    const url = `${this.conn.gatewayUrl}${path}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers: { ...init.headers, 'x-api-key': this.conn.apiKey, accept: 'application/json' },
        body: init.body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      throw new GatewayError(describeTransportFailure(err, this.conn.gatewayUrl));
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) throw new GatewayError(describeHttpFailure(res.status, method, path, json, text), res.status);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw new GatewayError(`gateway sent an unexpected answer to ${method} ${path}: ${issues}`, res.status);
    }
    return parsed.data;
  }
}

function deadLetterPath(at: { topic: string; partition: number; offset: string }): string {
  return `/v1/dead-letters/${encodeURIComponent(at.topic)}/${at.partition}/${encodeURIComponent(at.offset)}`;
}

function describeTransportFailure(err: unknown, gatewayUrl: string): string {
  const name = (err as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `gateway at ${gatewayUrl} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const detail = cause?.code ?? cause?.message ?? (err as Error | undefined)?.message ?? String(err);
  return `gateway not reachable at ${gatewayUrl} (${detail}) — is \`npm start\` running?`;
}

function describeHttpFailure(status: number, method: string, path: string, json: unknown, text: string): string {
  const detail = errorMessage(json) ?? (text.trim().slice(0, 200) || 'no details');
  if (status === 401) return `gateway refused the API key (401): ${detail} — pass --api-key or set BATON_API_KEY`;
  if (status === 403) return `the API key may not do this (403): ${detail} — use a key with that role (--api-key or BATON_API_KEY)`;
  if (status === 404) return `not found (404): ${detail}`;
  if (status >= 400 && status < 500) return `gateway rejected ${method} ${path} (${status}): ${detail}`;
  return `gateway failed on ${method} ${path} (${status}): ${detail}`;
}

/** Finds the human message in the error bodies Nest and the gateway send. */
function errorMessage(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const body = json as { message?: unknown; error?: unknown };
  if (typeof body.message === 'string') return body.message;
  if (Array.isArray(body.message)) return body.message.join('; ');
  if (typeof body.error === 'object' && body.error !== null) {
    const inner = (body.error as { message?: unknown }).message;
    if (typeof inner === 'string') return inner;
  }
  return typeof body.error === 'string' ? body.error : undefined;
}
