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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '@baton/telemetry';
import { ChatCompletionRequest, messageText } from './chat-request';
import { Chaos, ChaosError } from './chaos';
import { completionBody, defaultReply, requestHash, type SimMessage } from './completion';
import { obey } from './obedient';
import { hashOf } from './deterministic';
import { RuleError, RulesEngine } from './rules-engine';
import { SchemaInstanceError } from './schema-instance';
import {
  DEFAULT_SIM_MODELS,
  type RunningSimulator,
  type SimFault,
  type SimReply,
  type SimulatorOptions,
} from './sim-types';

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
const MAX_BODY_BYTES = 10 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

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

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Held `timeout` requests and idle keep-alive sockets would otherwise keep close() waiting forever.
    server.closeAllConnections();
  });
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
    const answer = this.answer(req, reply, id, outcome.ruleId);
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

  private answer(
    req: ChatCompletionRequest,
    reply: Exclude<SimReply, { fault: SimFault }>,
    id: string,
    ruleId: string,
  ): { outcome: string; status: number; body: unknown } {
    if ('content' in reply) {
      return { outcome: 'content', status: 200, body: completionBody(req, { role: 'assistant', content: reply.content }, 'stop', id) };
    }
    if ('json' in reply) {
      const message: SimMessage = { role: 'assistant', content: JSON.stringify(reply.json) };
      return { outcome: 'json', status: 200, body: completionBody(req, message, 'stop', id) };
    }
    if ('obey' in reply) {
      const move = obey(req);
      if (move.kind === 'answer') return { outcome: 'obey', status: 200, body: completionBody(req, { role: 'assistant', content: move.content }, 'stop', id) };
      const message: SimMessage = {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: `call_${hashOf(id, 'obey').slice(0, 24)}`, type: 'function', function: { name: move.directive.tool, arguments: JSON.stringify(move.directive.args) } }],
      };
      return { outcome: 'obey', status: 200, body: completionBody(req, message, 'tool_calls', id) };
    }
    if (!req.tools?.length) {
      // A script that calls tools the request never offered is a broken test; say so instead of answering.
      const message = `rule ${ruleId} replies with tool calls but the request declares no tools`;
      return { outcome: 'invalid', status: 500, body: errorBody(new HttpError(500, message, 'server_error', 'sim_script_error')) };
    }
    const message: SimMessage = {
      role: 'assistant',
      content: null,
      tool_calls: reply.toolCalls.map((call, i) => ({
        id: `call_${hashOf(id, String(i)).slice(0, 24)}`,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      })),
    };
    return { outcome: 'tool_calls', status: 200, body: completionBody(req, message, 'tool_calls', id) };
  }

  private record(entry: SimRequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > MAX_LOG_ENTRIES) this.log.splice(0, this.log.length - MAX_LOG_ENTRIES);
  }
}

/** Sends the injected failure; returns the status sent. */
function sendFault(res: ServerResponse, fault: Exclude<SimFault, 'timeout'>): number {
  switch (fault) {
    case 'malformed':
      // Valid headers, cut-off JSON: what a proxy that drops the connection mid-body produces.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"chatcmpl-sim-malformed","object":"chat.completion","choices":[{"index":0,"message":');
      return 200;
    case 429:
      sendError(res, new HttpError(429, 'Rate limit reached (simulated fault)', 'requests', 'rate_limit_exceeded'));
      return 429;
    case 401:
      sendError(res, new HttpError(401, 'Incorrect API key provided (simulated fault)', 'invalid_request_error', 'invalid_api_key'));
      return 401;
    case 400:
      sendError(res, new HttpError(400, 'Invalid request (simulated fault)'));
      return 400;
    default:
      sendError(res, new HttpError(fault, 'The server had an error processing your request (simulated fault)', 'server_error'));
      return fault;
  }
}

/** Waits `ms`; false when the client went away meanwhile (nothing left to answer). */
function waitUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(new HttpError(400, 'request body is not valid JSON'));
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, 'application/json', JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(err: HttpError): unknown {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}

function sendError(res: ServerResponse, err: HttpError): void {
  send(res, err.status, errorBody(err));
}
