import { readFileSync } from 'node:fs';
import {
  ExitCode,
  exitCodeFor,
  formatAccepted,
  formatProgress,
  formatStillRunning,
  formatTask,
} from './format';
import { GatewayError, type GatewayClient, type SubmitBody } from './gateway-client';
import { isTerminal } from './task-view';

/** Where the commands write: results to `out`, progress and errors to `err`. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** What the commands need; tests pass fakes. */
export interface CommandDeps {
  client: Pick<GatewayClient, 'submit' | 'get'>;
  io: Io;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  readFile?: (path: string) => string;
}

/** Options of `baton submit`. */
export interface SubmitOptions {
  type: string;
  text?: string;
  file?: string;
  schema?: string;
  instruction?: string;
  idempotencyKey?: string;
  /** False with --no-wait. */
  wait: boolean;
  /** Seconds to wait for a terminal status. */
  timeout: number;
  json?: boolean;
}

/** The user asked for something impossible; reported like a gateway error. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 2000;

/** `baton submit`: sends the task, then (unless --no-wait) polls until it ends. */
export async function submitCommand(opts: SubmitOptions, deps: CommandDeps): Promise<ExitCode> {
  return reportErrors(deps.io, async () => {
    const { client, io } = deps;
    const now = deps.now ?? Date.now;
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const body = buildSubmitBody(opts, deps.readFile ?? ((p) => readFileSync(p, 'utf8')));

    const accepted = await client.submit(body, opts.idempotencyKey);
    if (!opts.wait) {
      io.out(opts.json ? JSON.stringify(accepted, null, 2) : formatAccepted(accepted));
      return ExitCode.ok;
    }
    if (!opts.json) io.err(formatAccepted(accepted));

    const started = now();
    let last = accepted.status;
    for (let delay = FIRST_POLL_MS; ; delay = Math.min(delay * 1.5, MAX_POLL_MS)) {
      const view = await client.get(accepted.taskId);
      if (view.status !== last && !opts.json) io.err(formatProgress(view.taskId, view.status, now() - started));
      last = view.status;
      if (isTerminal(view.status)) {
        io.out(opts.json ? JSON.stringify(view, null, 2) : formatTask(view));
        return exitCodeFor(view.status);
      }
      const left = opts.timeout * 1000 - (now() - started);
      if (left <= 0) {
        io.err(formatStillRunning(view.taskId, view.status, opts.timeout));
        if (opts.json) io.out(JSON.stringify(view, null, 2));
        return ExitCode.stillRunning;
      }
      await sleep(Math.min(delay, left));
    }
  });
}

/** `baton status <taskId>`: prints the task once. */
export async function statusCommand(taskId: string, opts: { json?: boolean }, deps: CommandDeps): Promise<ExitCode> {
  return reportErrors(deps.io, async () => {
    const view = await deps.client.get(taskId);
    deps.io.out(opts.json ? JSON.stringify(view, null, 2) : formatTask(view));
    return exitCodeFor(view.status);
  });
}

/** Builds the request body from the flags; file problems become usage errors naming the flag. */
export function buildSubmitBody(opts: SubmitOptions, readFile: (path: string) => string): SubmitBody {
  if ((opts.text === undefined) === (opts.file === undefined)) {
    throw new UsageError('give exactly one of --text <text> or --file <path>');
  }
  const text = opts.text ?? readOrFail(readFile, opts.file as string, '--file');
  if (text.trim() === '') throw new UsageError(opts.file ? `--file ${opts.file} is empty` : '--text is empty');
  const body: SubmitBody = { taskType: opts.type, input: { text } };
  if (opts.instruction !== undefined) body.instruction = opts.instruction;
  if (opts.schema !== undefined) {
    let schema: unknown;
    try {
      schema = JSON.parse(readOrFail(readFile, opts.schema, '--schema'));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`--schema ${opts.schema} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      throw new UsageError(`--schema ${opts.schema} must hold a JSON Schema object`);
    }
    body.outputSchema = schema as Record<string, unknown>;
  }
  return body;
}

function readOrFail(readFile: (path: string) => string, path: string, flag: string): string {
  try {
    return readFile(path);
  } catch (err) {
    throw new UsageError(`cannot read ${flag} ${path}: ${(err as Error).message}`);
  }
}

/** Runs a command, turning gateway and usage errors into a message on stderr and exit code 1. */
export async function reportErrors(io: Io, run: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof GatewayError || err instanceof UsageError) {
      io.err(`baton: ${err.message}`);
      return ExitCode.error;
    }
    throw err;
  }
}
