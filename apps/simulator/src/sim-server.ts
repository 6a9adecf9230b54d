/*
 * Baton's OpenAI-compatible model simulator: deterministic answers for local runs and
 * scripted ones (including faults) for tests. No live model is ever called.
 *
 *   POST   /v1/chat/completions  Chat Completions (non-streaming)
 *   GET    /v1/models            the model names it lists
 *   POST   /_sim/rules           add one rule or a list (201 { added: [ids] })
 *   GET    /_sim/rules           loaded rules with how many replies each has used
 *   DELETE /_sim/rules           remove every rule
 *   PUT    /_sim/chaos           faults and latency for requests no rule matches (200 { chaos, stats })
 *   GET    /_sim/chaos           the chaos in force and what it injected so far
 *   DELETE /_sim/chaos           switch chaos off
 *   GET    /_sim/requests        the last 200 chat requests and how each was answered
 *   GET    /_sim/served?tag=re   every completion answered 200 since the last reset, with its usage
 *                                and the first match of `re` in its user messages (to attribute calls)
 *   POST   /_sim/reset           remove rules, empty the request log, restore the startup chaos
 *   GET    /healthz              readiness
 *   GET    /metrics              the process's metrics, Prometheus text
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '@baton/telemetry';
import { ChatCompletionRequest, messageText } from './chat-request';
import { Chaos, ChaosError } from './chaos';
import { completionBody, defaultReply, requestHash } from './completion';
import { hashOf } from './deterministic';
import { HttpError, closeServer, listen, readJson, send, sendError, sendFault, sendText, waitUnlessClosed } from './http-io';
import { RuleError, RulesEngine } from './rules-engine';
import { SchemaInstanceError } from './schema-instance';
import { answerScripted } from './scripted-answer';
import { DEFAULT_SIM_MODELS, type RunningSimulator, type SimulatorOptions } from './sim-types';

/** One entry of GET /_sim/requests. */
export interface SimRequestLogEntry {
  /** 1-based arrival order since the last reset. */
  seq: number;
  /** Arrival time, ISO 8601. */
  at: string;
  /** Model named in the request, when the body had one. */
  model?: string;
  /** Rule that answered, when one did. */
  ruleId?: string;
  /** Index of the reply the rule used. */
  replyIndex?: number;
  /**
   * How the request was answered: `default`, `content`, `json`, `tool_calls`, `fault:<x>` (scripted),
   * `chaos:<x>` (injected by chaos), `exhausted`, `invalid`.
   */
  outcome: string;
  /** HTTP status sent; absent while a `timeout` fault holds the request. */
  status?: number;
  /** The request body as received. */
  body: unknown;
}

/** One entry of GET /_sim/served: a completion the simulator answered (what a provider bills). */
export interface SimServedCall {
  /** Arrival order, as in the request log. */
  seq: number;
  /** Completion id sent. */
  id: string;
  /** When it was answered, ISO 8601. */
  at: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** First match of the `tag` query's pattern in the user messages (its first group when it has one), or null. */
  tag?: string | null;
}

const MAX_LOG_ENTRIES = 200;
/** Served calls kept for GET /_sim/served (a chaos run of thousands of tasks stays far below). */
const MAX_SERVED = 200_000;
/** Characters of the user messages kept per served call for tagging. */
const SERVED_TEXT_CHARS = 4096;

/**
 * Starts the OpenAI-compatible simulator. Resolves once it listens; rejects when the
 * port is taken or a startup rule is invalid.
 */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = new Simulator(opts);
  const server = createServer((req, res) => {
    sim.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, new HttpError(500, `simulator bug: ${(err as Error).message}`, 'server_error'));
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await listen(server, opts.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    close: () => closeServer(server),
  };
}

class Simulator {
  private readonly rules = new RulesEngine();
  private log: SimRequestLogEntry[] = [];
  private served: Array<SimServedCall & { text: string }> = [];
  private seq = 0;
  private readonly chaos: Chaos;
  private readonly seed: string;
  private readonly models: readonly string[];

  constructor(opts: SimulatorOptions) {
    this.seed = opts.seed ?? '';
    this.chaos = new Chaos(opts.latencyMs, this.seed, opts.chaos);
    this.models = opts.models ?? DEFAULT_SIM_MODELS;
    if (opts.rules?.length) this.rules.add(opts.rules);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname.replace(/\/+$/, '') || '/';
    const route = `${req.method} ${path}`;
    try {
      switch (route) {
        case 'GET /healthz':
          return send(res, 200, { status: 'ok' });
        case 'GET /metrics':
          return sendText(res, 200, PROMETHEUS_CONTENT_TYPE, await renderPrometheus());
        case 'GET /v1/models':
          return send(res, 200, {
            object: 'list',
            data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'baton-simulator' })),
          });
        case 'POST /v1/chat/completions':
          return await this.chat(await readJson(req), res);
        case 'POST /_sim/rules':
          return send(res, 201, { added: this.rules.add(await readJson(req)) });
        case 'GET /_sim/rules':
          return send(res, 200, { rules: this.rules.list() });
        case 'DELETE /_sim/rules':
          this.rules.clear();
          return send(res, 200, { ok: true });
        case 'PUT /_sim/chaos':
          return send(res, 200, this.chaos.set(await readJson(req)));
        case 'GET /_sim/chaos':
          return send(res, 200, this.chaos.view());
        case 'DELETE /_sim/chaos':
          this.chaos.clear();
          return send(res, 200, this.chaos.view());
        case 'GET /_sim/requests':
          return send(res, 200, { requests: this.log });
        case 'GET /_sim/served':
          return send(res, 200, { calls: this.servedView(new URL(req.url ?? '/', 'http://simulator').searchParams.get('tag')) });
        case 'POST /_sim/reset':
          this.rules.clear();
          this.chaos.reset();
          this.log = [];
          this.served = [];
          this.seq = 0;
          return send(res, 200, { ok: true });
        default: {
          const known = ['/healthz', '/metrics', '/v1/models', '/v1/chat/completions', '/_sim/rules', '/_sim/chaos', '/_sim/requests', '/_sim/served', '/_sim/reset'];
          if (known.includes(path)) throw new HttpError(405, `${req.method} is not allowed on ${path}`);
          throw new HttpError(404, `unknown endpoint ${route}`, 'invalid_request_error', 'unknown_url');
        }
      }
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, err);
      if (err instanceof RuleError) return sendError(res, new HttpError(400, err.message));
      if (err instanceof ChaosError) return sendError(res, new HttpError(400, err.message, 'invalid_request_error', null, err.param));
      throw err;
    }
  }

  private async chat(body: unknown, res: ServerResponse): Promise<void> {
    const entry: SimRequestLogEntry = { seq: ++this.seq, at: new Date().toISOString(), outcome: 'invalid', body };
    this.record(entry);
    const parsed = ChatCompletionRequest.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = issue.path.join('.') || null;
      entry.status = 400;
      return sendError(res, new HttpError(400, `${param ?? 'body'}: ${issue.message}`, 'invalid_request_error', null, param));
    }
    const req = parsed.data;
    entry.model = req.model;
    const id = `chatcmpl-sim-${hashOf(requestHash(req, this.seed), String(entry.seq)).slice(0, 24)}`;
    const outcome = this.rules.next({ model: req.model, texts: req.messages.map(messageText) });

    if (outcome.kind === 'exhausted') {
      entry.ruleId = outcome.ruleId;
      entry.outcome = 'exhausted';
      entry.status = 500;
      const message = `simulator script exhausted for rule ${outcome.ruleId}`;
      return sendError(res, new HttpError(500, message, 'server_error', 'sim_script_exhausted'));
    }

    if (outcome.kind === 'none') {
      const draw = this.chaos.drawUnmatched();
      if (draw.fault !== undefined) {
        entry.outcome = `chaos:${draw.fault}`;
        // A chaos timeout, like a scripted one, is never answered.
        if (draw.fault === 'timeout') return;
        if (!(await waitUnlessClosed(draw.latencyMs, res))) return;
        entry.status = sendFault(res, draw.fault);
        return;
      }
      entry.outcome = 'default';
      let reply: ReturnType<typeof defaultReply>;
      try {
        reply = defaultReply(req, this.seed);
      } catch (err) {
        if (!(err instanceof SchemaInstanceError)) throw err;
        entry.status = 400;
        const message = `the simulator cannot answer this response schema: ${err.message}`;
        return sendError(res, new HttpError(400, message, 'invalid_request_error', 'sim_unsupported_schema', 'response_format'));
      }
      if (!(await waitUnlessClosed(draw.latencyMs, res))) return;
      entry.status = 200;
      const body = completionBody(req, { role: 'assistant', content: reply.content }, reply.finishReason, id);
      send(res, 200, body);
      return this.serve(entry, req, id, body);
    }

    entry.ruleId = outcome.ruleId;
    entry.replyIndex = outcome.replyIndex;
    const reply = outcome.reply;
    if ('fault' in reply && reply.fault === 'timeout') {
      // Never answered: the client's timeout (or the simulator closing) ends the request.
      entry.outcome = 'fault:timeout';
      return;
    }
    if (!(await waitUnlessClosed(reply.latencyMs ?? this.chaos.baseDelay(), res))) return;
    if ('fault' in reply) {
      const fault = reply.fault;
      entry.outcome = `fault:${fault}`;
      if (fault !== 'timeout') entry.status = sendFault(res, fault);
      return;
    }
    const answer = answerScripted(req, reply, id, outcome.ruleId);
    entry.outcome = answer.outcome;
    entry.status = answer.status;
    send(res, answer.status, answer.body);
    if (answer.status === 200) this.serve(entry, req, id, answer.body);
  }

  /** Remembers a completion answered 200: what a provider would bill. */
  private serve(entry: SimRequestLogEntry, req: ChatCompletionRequest, id: string, body: unknown): void {
    const usage = (body as { usage?: { prompt_tokens?: number; completion_tokens?: number } }).usage ?? {};
    const text = req.messages
      .filter((m) => m.role === 'user')
      .map(messageText)
      .join('\n')
      .slice(0, SERVED_TEXT_CHARS);
    this.served.push({ seq: entry.seq, id, at: new Date().toISOString(), model: req.model, promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0, text });
    if (this.served.length > MAX_SERVED) this.served.splice(0, this.served.length - MAX_SERVED);
  }

  private servedView(tag: string | null): SimServedCall[] {
    let re: RegExp | undefined;
    try {
      re = tag ? new RegExp(tag) : undefined;
    } catch (err) {
      throw new HttpError(400, `tag: not a regular expression: ${(err as Error).message}`);
    }
    return this.served.map(({ text, ...call }) => {
      if (!re) return call;
      const m = re.exec(text);
      return { ...call, tag: m ? (m[1] ?? m[0]) : null };
    });
  }

  private record(entry: SimRequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > MAX_LOG_ENTRIES) this.log.splice(0, this.log.length - MAX_LOG_ENTRIES);
  }
}
