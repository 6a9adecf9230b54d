import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { SimFault } from './sim-types';

/* The simulator's HTTP plumbing: listening, JSON bodies in and out, OpenAI-style errors, faults. */

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** An error answered as OpenAI's API answers one: status, and `{ error: { message, type, param, code } }`. */
export class HttpError extends Error {
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

/** Listens on `port` and `host`; rejects when the port is taken. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops the server, closing every open connection. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Held `timeout` requests and idle keep-alive sockets would otherwise keep close() waiting forever.
    server.closeAllConnections();
  });
}

/** Sends the injected failure; returns the status sent. */
export function sendFault(res: ServerResponse, fault: Exclude<SimFault, 'timeout'>): number {
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
export function waitUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
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

/** The request body parsed as JSON; a 413 past MAX_BODY_BYTES, a 400 when it is not JSON. */
export function readJson(req: IncomingMessage): Promise<unknown> {
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

/** Answers `body` as JSON. */
export function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, 'application/json', JSON.stringify(body));
}

/** Answers `text` with its content type and length. */
export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The body OpenAI's API answers an error with. */
export function errorBody(err: HttpError): unknown {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}

/** Answers an error as OpenAI's API does. */
export function sendError(res: ServerResponse, err: HttpError): void {
  send(res, err.status, errorBody(err));
}
