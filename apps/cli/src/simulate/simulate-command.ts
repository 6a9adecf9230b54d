// `baton simulate <workflow>`: a local stack, chaos on its model simulator, N runs of the
// workflow's sample task, and a report of how they ended.
import { randomInt, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { AGENT_ROLES } from '@baton/contracts';
import { LocalDefaults } from '@baton/config';
import { MODEL_CATALOG_ENV, ModelCatalog } from '@baton/llm';
import { Stack, repoRoot, stackLayout, type StackOptions } from '@baton/stack';
import { StateStore } from '@baton/state';
import { WorkflowNotFoundError, WorkflowRegistry, type WorkflowDefinition } from '@baton/workflows';
import type { Io } from '../commands';
import { ExitCode } from '../format';
import { GatewayClient } from '../gateway-client';
import { createProgress, type ProgressStream } from './progress';
import {
  buildReport,
  formatMarkdown,
  formatReport,
  type InjectedFaults,
  type RunOutcome,
  type RunRecord,
  type SimulationParams,
} from './report';
import { refreshCosts, runSimulation, type SimulationTaskBody, type TaskApi } from './run-tasks';
import type { SimulateOptions } from './simulate-options';

/** The part of a running stack the command uses. */
export interface LocalStack {
  gatewayUrl: string;
  /** Simulator base URL, ending in /v1. */
  simulatorUrl: string | null;
  logDir: string;
  stop(): Promise<void>;
}

/** Surroundings of the command; tests replace the stack, the network and the files. */
export interface SimulateDeps {
  io: Io;
  /** Where the progress goes (process.stderr). */
  progressStream: ProgressStream;
  /** Cancels the run: no new tasks, the stack stops, the runs so far are reported. */
  signal?: AbortSignal;
  loadWorkflows?: () => WorkflowRegistry;
  startStack?: (opts: StackOptions) => Promise<LocalStack>;
  /** Which of the ports something already listens on. */
  busyPorts?: (ports: number[]) => Promise<number[]>;
  /** Closes every model's circuit breaker in the shared Redis. */
  resetBreakers?: () => Promise<void>;
  fetchImpl?: typeof fetch;
  writeFile?: (file: string, text: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  randomSeed?: () => string;
}

/** The command cannot start: an unknown workflow, no sample, a port in use. */
export class SimulateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulateError';
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Tenant the simulated tasks run as, so their spend stays apart from the demo tenants'. */
const TENANT = 'simulate';
/** Spend is recorded a moment after a task settles; wait this long before reading costs again. */
const COST_SETTLE_MS = 1000;

/** Runs the simulation and prints the report; resolves with the exit code. */
export async function simulateCommand(workflow: string, opts: SimulateOptions, deps: SimulateDeps): Promise<ExitCode> {
  try {
    return await simulate(workflow, opts, deps);
  } catch (err) {
    if (!(err instanceof SimulateError)) throw err;
    deps.io.err(`baton: ${err.message}`);
    return ExitCode.error;
  }
}

async function simulate(workflow: string, opts: SimulateOptions, deps: SimulateDeps): Promise<ExitCode> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const fetchImpl = deps.fetchImpl ?? fetch;
  const workflowsDir = process.env.BATON_WORKFLOWS_DIR ?? path.join(repoRoot(), 'workflows');
  const def = findWorkflow((deps.loadWorkflows ?? (() => WorkflowRegistry.fromDir(workflowsDir)))(), workflow);
  if (!def.sample) {
    throw new SimulateError(`workflow ${workflow} has no sample task: add a \`sample:\` block (taskType, input.text) to its file`);
  }
  const body: SimulationTaskBody = { taskType: def.sample.taskType, workflow, input: def.sample.input };

  const layout = stackLayout(opts.basePort, AGENT_ROLES);
  const ports = [layout.simulator, ...layout.services].map((s) => s.port);
  const busy = await (deps.busyPorts ?? busyPorts)(ports);
  if (busy.length) {
    // A stack already there would answer our readiness checks and take our tasks.
    throw new SimulateError(`port${busy.length > 1 ? 's' : ''} ${busy.join(', ')} already in use: pass another --base-port`);
  }

  const seed = opts.seed ?? (deps.randomSeed ?? (() => String(randomInt(1, 2 ** 31))))();
  const params: SimulationParams = {
    workflow,
    planSteps: def.plan.steps.length,
    runs: opts.runs,
    concurrency: opts.concurrency,
    faultRate: opts.faultRate,
    faults: opts.faults,
    latencyMs: opts.latency,
    seed,
    taskTimeoutSeconds: opts.taskTimeout,
  };
  const resetBreakers = deps.resetBreakers ?? resetModelBreakers;
  const apiKey = `sim-${randomUUID()}`;
  const logDir = path.join(repoRoot(), '.baton', 'logs', 'simulate');
  io.err(`simulate: starting a local stack on ports ${Math.min(...ports)}-${Math.max(...ports)} (logs in ${logDir})`);
  // Breakers live in the shared Redis: one left open by an earlier run would fail this one's calls.
  await resetBreakers().catch((err: unknown) => {
    throw new SimulateError(`cannot reach Redis to close the model breakers (is \`npm run infra:up\` done?): ${messageOf(err)}`);
  });
  const stack = await (deps.startStack ?? Stack.start)({
    basePort: opts.basePort,
    modelsOnSimulator: true,
    logDir,
    // A held model call gives up after 5 s, not the default 30 s: a simulated timeout should cost a retry, not stall the partition behind it.
    env: { OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn', GATEWAY_API_KEYS: `${TENANT}:${apiKey}`, BATON_WORKFLOWS_DIR: workflowsDir, LLM_TIMEOUT_MS: '5000' },
  }).catch((err: unknown) => {
    throw new SimulateError(`the local stack did not start (logs in ${logDir}): ${messageOf(err)}`);
  });

  let records: RunRecord[];
  let durationMs: number;
  let injected: InjectedFaults | undefined;
  const progress = createProgress(opts.runs, deps.progressStream);
  try {
    const simRoot = (stack.simulatorUrl ?? '').replace(/\/v1$/, '');
    await simulatorCall(fetchImpl, simRoot, 'PUT', { faultRate: opts.faultRate, faults: opts.faults, latencyMs: opts.latency, seed });
    const client = new GatewayClient({ gatewayUrl: stack.gatewayUrl, apiKey }, fetchImpl);
    const api: TaskApi = { submit: (b) => client.submit(b), get: (id) => client.get(id) };
    const counts: Partial<Record<RunOutcome, number>> = {};
    io.err(`simulate: ${opts.runs} runs of ${workflow}, ${opts.concurrency} at a time, seed ${seed}`);
    const started = now();
    records = await runSimulation(
      body,
      { runs: opts.runs, concurrency: opts.concurrency, taskTimeoutMs: opts.taskTimeout * 1000 },
      {
        api,
        sleep,
        now,
        signal: deps.signal,
        onRunEnded: (run, ended) => {
          counts[run.outcome] = (counts[run.outcome] ?? 0) + 1;
          progress.update(ended, counts);
        },
      },
    );
    durationMs = now() - started;
    progress.stop();
    if (!deps.signal?.aborted) {
      await sleep(COST_SETTLE_MS);
      await refreshCosts(records, api, opts.concurrency);
    }
    injected = (await simulatorCall(fetchImpl, simRoot, 'GET').catch(() => undefined))?.stats;
  } finally {
    progress.stop();
    io.err('simulate: stopping the stack');
    await stack.stop();
    await resetBreakers().catch((err: unknown) => io.err(`simulate: could not close the model breakers: ${messageOf(err)}`));
  }

  const aborted = deps.signal?.aborted ?? false;
  const report = buildReport(aborted ? { ...params, runs: records.length } : params, records, durationMs, injected);
  if (aborted) io.err(`simulate: interrupted after ${records.length} of ${opts.runs} runs; the report covers those`);
  io.out(opts.json ? JSON.stringify(report, null, 2) : formatReport(report));
  if (opts.out) {
    (deps.writeFile ?? ((file, text) => writeFileSync(file, text)))(opts.out, formatMarkdown(report));
    io.err(`simulate: report written to ${opts.out}`);
  }
  return aborted ? ExitCode.error : ExitCode.ok;
}

function findWorkflow(registry: WorkflowRegistry, name: string): WorkflowDefinition {
  try {
    return registry.get(name);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new SimulateError(err.message);
    throw err;
  }
}

/** PUT or GET /_sim/chaos on the stack's simulator. */
async function simulatorCall(fetchImpl: typeof fetch, root: string, method: 'PUT' | 'GET', body?: unknown): Promise<{ stats?: InjectedFaults }> {
  const res = await fetchImpl(`${root}/_sim/chaos`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await res.json().catch(() => ({}))) as { stats?: InjectedFaults; error?: { message?: string } };
  if (!res.ok) throw new SimulateError(`the simulator refused the chaos settings (${res.status}): ${json.error?.message ?? 'no details'}`);
  return json;
}

/** The ports of `ports` something on 127.0.0.1 already listens on. */
export async function busyPorts(ports: number[]): Promise<number[]> {
  const taken = await Promise.all(
    ports.map(
      (port) =>
        new Promise<boolean>((resolve) => {
          const server = createServer();
          server.once('error', () => resolve(true));
          server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
        }),
    ),
  );
  return ports.filter((_, i) => taken[i]);
}

/** Closes the circuit breaker of every catalog model, in the Redis the stack uses. */
async function resetModelBreakers(): Promise<void> {
  const catalog = ModelCatalog.fromFile(process.env[MODEL_CATALOG_ENV] ?? path.join(repoRoot(), 'config', 'models.yaml'));
  const state = await StateStore.connect(process.env.REDIS_URL ?? LocalDefaults.redisUrl, { name: 'baton-simulate' });
  try {
    await Promise.all(catalog.list().map((m) => state.breakers.reset(m.id)));
  } finally {
    await state.close();
  }
}
