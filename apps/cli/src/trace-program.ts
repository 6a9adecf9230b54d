import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_TRACE_PROJECT } from '@baton/telemetry';
import { type Connection, resolveConnection } from './cli-config';
import { reportErrors, UsageError } from './commands';
import { ExitCode } from './format';
import { GatewayClient } from './gateway-client';
import type { ProgramEnv } from './program-env';
import { type BackendSpan, TraceClient, type TraceBackend } from './trace-client';
import { formatTrace } from './trace-format';

/** Where Phoenix listens on the local setup. */
export const DEFAULT_TRACE_URL = 'http://127.0.0.1:6006';

/** What the trace command needs: the task's trace id from the gateway, its spans from the backend. */
export interface TraceDeps {
  traceIdOf(taskId: string): Promise<string | null>;
  spans(traceId: string): Promise<BackendSpan[]>;
}

interface TraceOpts {
  traceUrl?: string;
  project?: string;
  wait: number;
  json?: boolean;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds');
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads spans until the count holds still across two reads, or `waitSeconds` pass: the
 * services export in batches, so the last hops of a task that just ended may lag a little.
 */
async function settledSpans(deps: TraceDeps, traceId: string, waitSeconds: number): Promise<BackendSpan[]> {
  const deadline = Date.now() + waitSeconds * 1000;
  let spans = await deps.spans(traceId);
  while (Date.now() < deadline) {
    await sleep(1000);
    const again = await deps.spans(traceId);
    if (again.length === spans.length && spans.length > 0) return again;
    spans = again;
  }
  return spans;
}

/** Adds `trace <taskId>`: the task's span tree from the trace backend, in the terminal. */
export function addTraceCommand(
  program: Command,
  penv: Pick<ProgramEnv, 'io' | 'env' | 'exit'>,
  depsFor: (conn: Connection, backend: TraceBackend) => TraceDeps = (conn, backend) => {
    const gateway = new GatewayClient(conn);
    const traces = new TraceClient(backend);
    return { traceIdOf: async (taskId) => (await gateway.get(taskId)).traceId, spans: (id) => traces.spans(id) };
  },
): void {
  program
    .command('trace')
    .description("print a task's trace as a span tree (service, operation, duration, cost, status) from the trace viewer")
    .argument('<taskId>', 'task id')
    .option('--trace-url <url>', `trace viewer (Phoenix) base URL (env BATON_TRACE_URL, default ${DEFAULT_TRACE_URL})`)
    .option('--project <name>', `Phoenix project the services write to (env BATON_TRACE_PROJECT, default ${DEFAULT_TRACE_PROJECT})`)
    .option('--wait <s>', 'seconds to wait for late spans to arrive', seconds, 5)
    .option('--json', 'print the spans as JSON')
    .action(async (taskId: string, opts: TraceOpts, cmd: Command) => {
      penv.exit(
        await reportErrors(penv.io, async () => {
          const env = penv.env ?? process.env;
          const conn = resolveConnection(cmd.optsWithGlobals<{ gateway?: string; apiKey?: string }>(), env);
          const backend = {
            url: opts.traceUrl ?? env.BATON_TRACE_URL ?? DEFAULT_TRACE_URL,
            project: opts.project ?? env.BATON_TRACE_PROJECT ?? DEFAULT_TRACE_PROJECT,
          };
          const deps = depsFor(conn, backend);
          const traceId = await deps.traceIdOf(taskId);
          if (!traceId) throw new UsageError(`task ${taskId} was submitted outside any trace: nothing to show`);
          const spans = await settledSpans(deps, traceId, opts.wait);
          if (spans.length === 0) {
            penv.io.err(`baton: no spans of trace ${traceId} in project "${backend.project}" at ${backend.url} yet`);
            return ExitCode.error;
          }
          penv.io.out(opts.json ? JSON.stringify(spans, null, 2) : formatTrace(traceId, spans, taskId));
          return ExitCode.ok;
        }),
      );
    });
}
