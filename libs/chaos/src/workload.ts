import type { TaskKind } from './options';

/** Marks the scripted model obeys (`CALL <tool> {args}` lines): only the tools and escalate tasks carry it. */
export const OBEY_MARK = '[chaos-obey]';

/** The simulator rule that makes the model call the tools a task's input asks for. */
export const OBEY_RULE = { id: 'chaos-obey', match: { contains: OBEY_MARK }, replies: [{ obey: true }], repeat: true };

const LEAD_SCHEMA = {
  type: 'object',
  properties: {
    qualified: { type: 'boolean' },
    score: { type: 'integer', minimum: 0, maximum: 100 },
    nextAction: { type: 'string', minLength: 1 },
  },
  required: ['qualified', 'score', 'nextAction'],
  additionalProperties: false,
};

/** The text every task of a run carries, so its model calls can be told apart: `[chaos:<run>:<n>]`. */
export function taskMarker(runId: string, n: number): string {
  return `[chaos:${runId}:${n}]`;
}

/** The pattern GET /_sim/served?tag= takes to find the task number in a call. */
export function markerPattern(runId: string): string {
  return `\\[chaos:${runId}:(\\d+)\\]`;
}

/** The body of the n-th task of a run, of the given kind. */
export function taskBody(kind: TaskKind, runId: string, n: number): Record<string, unknown> {
  const mark = taskMarker(runId, n);
  switch (kind) {
    case 'single':
      return {
        taskType: 'lead.qualify',
        input: { text: `${mark} Lead ${n}: operations team of ${10 + (n % 90)} people, budget approved, wants to start next quarter.` },
        outputSchema: LEAD_SCHEMA,
      };
    case 'workflow':
      return {
        taskType: 'lead.route',
        workflow: 'lead-qualification',
        input: { text: `${mark} Web form: Contoso Retail, ${100 + n} staff, asked for a demo of route planning, marketing consent ticked, budget planned for Q2.` },
      };
    case 'debate':
      return {
        taskType: 'fraud.review',
        input: { text: `${mark} Card payment pay_${n} of 940 USD from a new device in another country, two failed attempts before. Hold or release?` },
      };
    case 'tools':
      // Side effects through the guardrails' policy: sales updates a lead and e-mails it; risk refunds a small amount.
      return n % 2 === 0
        ? {
            taskType: 'lead.followup',
            input: {
              text: [
                `${mark} ${OBEY_MARK} Follow up lead lead_3002 after the demo.`,
                `CALL crm_update_lead {"leadId":"lead_3002","fields":{"status":"qualified","notes":"chaos task ${n}"}}`,
                `CALL send_email {"to":"sam.okafor@contoso.example","subject":"Next steps ${n}","body":"Thanks for the demo, here are the next steps."}`,
              ].join('\n'),
            },
            limits: { maxToolCalls: 10 },
          }
        : {
            taskType: 'payment.dispute',
            input: { text: `${mark} ${OBEY_MARK} Customer disputes payment pay_5001, parcel arrived damaged.\nCALL issue_refund {"paymentId":"pay_5001","amountCents":${500 + n},"currency":"USD","reason":"damaged parcel ${n}"}` },
            limits: { maxToolCalls: 10 },
          };
    case 'escalate':
      // Over the approval threshold: the task waits for the scripted reviewer, then refunds once.
      return {
        taskType: 'payment.dispute',
        input: { text: `${mark} ${OBEY_MARK} Customer disputes payment pay_5001, never delivered.\nCALL issue_refund {"paymentId":"pay_5001","amountCents":${20000 + n},"currency":"USD","reason":"not delivered ${n}"}` },
        limits: { maxToolCalls: 10 },
      };
  }
}

/** One submission of the run and how it went. */
export interface Submission {
  n: number;
  kind: TaskKind;
  idempotencyKey: string;
  /** Task id the gateway answered (202, or 200 for a duplicate of the key). */
  taskId?: string;
  /** Whether the accepting answer was a `duplicate` (a retry of a request that had gone through). */
  duplicate?: boolean;
  /** HTTP attempts made. */
  attempts: number;
  /** Answers other than the accepting one (status or error), for the report. */
  errors: string[];
  /** Gave up (retries exhausted). */
  abandoned?: boolean;
  submittedAt: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Submits like a careful client: one idempotency key per task, retried with the same key on
 * network errors, timeouts, 5xx and 429 (honouring Retry-After), with capped backoff, until
 * accepted or `giveUpMs` passed.
 */
export async function submitWithRetries(
  gatewayUrl: string,
  apiKey: string,
  body: Record<string, unknown>,
  sub: Submission,
  opts: { giveUpMs?: number; timeoutMs?: number; stopped?: () => boolean } = {},
): Promise<Submission> {
  const deadline = Date.now() + (opts.giveUpMs ?? 120_000);
  let backoff = 250;
  for (;;) {
    sub.attempts += 1;
    let retryAfterMs = 0;
    try {
      const res = await fetch(`${gatewayUrl}/v1/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': sub.idempotencyKey },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if ((res.status === 202 || res.status === 200) && typeof json.taskId === 'string') {
        sub.taskId = json.taskId;
        sub.duplicate = json.duplicate === true;
        return sub;
      }
      sub.errors.push(`${res.status} ${typeof json.message === 'string' ? json.message.slice(0, 120) : ''}`.trim());
      if (res.status < 500 && res.status !== 429 && res.status !== 408) {
        // A 4xx other than 429 will not change on retry.
        sub.abandoned = true;
        return sub;
      }
      retryAfterMs = Number(res.headers.get('retry-after') ?? 0) * 1000;
    } catch (err) {
      sub.errors.push((err as Error).name === 'TimeoutError' ? 'timeout' : `error ${(err as Error).message}`.slice(0, 120));
    }
    if (Date.now() > deadline || opts.stopped?.()) {
      sub.abandoned = true;
      return sub;
    }
    await sleep(Math.max(retryAfterMs, backoff));
    backoff = Math.min(backoff * 2, 4000);
  }
}

/** What the scripted reviewer did. */
export interface ReviewerLog {
  /** Decisions recorded (202/200), by task id: the escalation ids decided. */
  decided: Map<string, Set<string>>;
  /** Answers other than 2xx, for the report. */
  errors: string[];
}

/**
 * A scripted human: polls the open escalations and approves those of `tasks` (the escalate
 * kind), retrying on errors; stops when `stopped()` says so.
 */
export async function runReviewer(gatewayUrl: string, apiKey: string, tasks: () => ReadonlySet<string>, stopped: () => boolean, log: ReviewerLog): Promise<void> {
  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${gatewayUrl}${route}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5000),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  // Decisions that got no 2xx (a 503 "recorded but not queued", a timeout): a real reviewer's tool sends them again.
  const retry = new Map<string, string>();
  while (!stopped()) {
    try {
      const { status, json } = await call('GET', '/v1/escalations?limit=200');
      if (status !== 200) throw new Error(`GET /v1/escalations answered ${status}`);
      const open = (json.escalations ?? []) as Array<{ taskId: string; escalationId: string }>;
      const ours = tasks();
      const todo = new Map(retry);
      for (const e of open) if (ours.has(e.taskId)) todo.set(e.taskId, e.escalationId);
      for (const [taskId, escalationId] of todo) {
        if (stopped()) break;
        const decision = await call('POST', `/v1/escalations/${taskId}/decision`, { action: 'approve', escalationId, comment: 'chaos reviewer' }).catch(
          (err: unknown) => ({ status: 0, json: { error: (err as Error).message } as Record<string, unknown> }),
        );
        if (decision.status === 202 || decision.status === 200 || decision.status === 409) {
          retry.delete(taskId);
          log.decided.set(taskId, new Set([...(log.decided.get(taskId) ?? []), escalationId]));
        } else {
          retry.set(taskId, escalationId);
          log.errors.push(`${taskId}: ${decision.status} ${JSON.stringify(decision.json).slice(0, 160)}`);
        }
      }
    } catch (err) {
      log.errors.push(`poll: ${(err as Error).message}`.slice(0, 160));
    }
    await sleep(1000);
  }
}
