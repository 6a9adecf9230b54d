import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import { AGENT_ROLES, type AgentRole } from '@baton/contracts';
import { findUpward } from '@baton/config';
import { SHADOW_NAMESPACE, shadowLayout, stackLayout, type ServiceSpec, type ShadowOptions } from './layout';

/** The repository root: the nearest folder above this file holding nx.json. */
export function repoRoot(from: string = __dirname): string {
  const marker = findUpward('nx.json', from);
  if (!marker) throw new Error('cannot find the repository root (nx.json) above ' + from);
  return path.dirname(marker);
}

export interface StackOptions {
  /** Port of the gateway; the others follow it (default 8080). */
  basePort?: number;
  /** Agent roles to run, one process each (default: every role). */
  roles?: readonly AgentRole[];
  /** Processes per agent deployment, sharing its consumer groups (default 1; see LayoutOptions). */
  agentReplicas?: number;
  /** Environment for every process (KAFKA_BROKERS, REDIS_URL, OTEL_* ...). */
  env?: Record<string, string | undefined>;
  /** Start the model simulator (default true). */
  simulator?: boolean;
  /**
   * Point the agents at the simulator. Default: yes, unless the environment configures a
   * real provider (OPENAI_BASE_URL or OPENAI_API_KEY). Tests and the bench force it on.
   */
  modelsOnSimulator?: boolean;
  /** Simulator latency per reply, ms: fixed, or each reply's drawn from a range (both ends included). */
  simulatorLatencyMs?: number | { min: number; max: number };
  /** Folder for one log file per process (default: .baton/logs). */
  logDir?: string;
  /** How long a process may take to become ready. */
  readyTimeoutMs?: number;
  /**
   * Also run a shadow pipeline (namespace `shadow`, ports from basePort + 20) that takes in
   * every live task and runs it under a candidate routing policy or workflow versions, with
   * its own topics, groups, keys and spend. Off by default.
   */
  shadow?: ShadowOptions;
}

/** How a process ended: its exit code, or the signal that ended it. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Running {
  spec: ServiceSpec;
  child: ChildProcess;
  log: WriteStream;
  exited: Promise<ServiceExit>;
  tail: string[];
}

/** What launching a process needs, kept so a service can be started again. */
interface Launcher {
  dist: string;
  preload: string;
  env: Record<string, string | undefined>;
  readyTimeoutMs: number;
}

/** Everything the local stack runs, each service as its own process. */
export class Stack {
  private launcher: Launcher | undefined;

  private constructor(
    private readonly procs: Running[],
    /** Gateway base URL. */
    readonly gatewayUrl: string,
    /** Simulator base URL (ends in /v1), when started. */
    readonly simulatorUrl: string | null,
    /** Where the logs are. */
    readonly logDir: string,
    /** Whether the agents call the simulator (else the configured provider). */
    readonly modelsOnSimulator: boolean,
    /** Namespace of the shadow pipeline, or null when none runs. */
    readonly shadowNamespace: string | null = null,
  ) {}

  /** Starts the simulator and every service, and resolves when all are ready. */
  static async start(opts: StackOptions = {}): Promise<Stack> {
    const root = repoRoot();
    const dist = path.join(root, 'dist');
    const preload = path.join(dist, 'runtime', 'preload.js');
    if (!existsSync(preload)) throw new Error(`${preload} is missing: run \`npm run build\` first`);
    const basePort = opts.basePort ?? 8080;
    const roles = opts.roles ?? AGENT_ROLES;
    const layout = stackLayout(basePort, roles, { agentReplicas: opts.agentReplicas });
    const shadow = opts.shadow ? shadowLayout(basePort, roles, opts.shadow) : [];
    const logDir = opts.logDir ?? path.join(root, '.baton', 'logs');
    mkdirSync(logDir, { recursive: true });
    const simulatorUrl = opts.simulator === false ? null : `http://127.0.0.1:${layout.simulator.port}/v1`;
    const merged = { ...process.env, ...opts.env };
    const providerConfigured = Boolean(merged.OPENAI_BASE_URL || merged.OPENAI_API_KEY);
    const onSimulator = simulatorUrl !== null && (opts.modelsOnSimulator ?? !providerConfigured);
    const baseEnv: Record<string, string | undefined> = onSimulator
      ? { ...merged, OPENAI_BASE_URL: simulatorUrl, OPENAI_API_KEY: undefined }
      : merged;
    const procs: Running[] = [];
    const stack = new Stack(procs, `http://127.0.0.1:${basePort}`, simulatorUrl, logDir, onSimulator, opts.shadow ? SHADOW_NAMESPACE : null);
    stack.launcher = { dist, preload, env: baseEnv, readyTimeoutMs: opts.readyTimeoutMs ?? 90000 };
    try {
      if (simulatorUrl) {
        const sim = { ...layout.simulator, env: { SIM_LATENCY_MS: simLatencySetting(opts.simulatorLatencyMs) } };
        procs.push(launch(sim, dist, preload, baseEnv, logDir));
        await waitReady(procs[0], '/healthz', opts.readyTimeoutMs ?? 30000);
      }
      // The shadow starts with live: its groups read live inputs from the latest offset, and no task is submitted before all are ready.
      const started = [...layout.services, ...shadow].map((s) => launch(s, dist, preload, baseEnv, logDir));
      procs.push(...started);
      await Promise.all(started.map((p) => waitReady(p, '/readyz', opts.readyTimeoutMs ?? 90000)));
      return stack;
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }

  /** The processes and their ports. */
  get services(): Array<{ name: string; port: number; pid: number | undefined }> {
    return this.procs.map((p) => ({ name: p.spec.name, port: p.spec.port, pid: p.child.pid }));
  }

  /** Stops one service (SIGTERM, then SIGKILL after 15 s); resolves with how it ended, undefined for an unknown name. */
  async stopService(name: string): Promise<ServiceExit | undefined> {
    const p = this.procs.find((x) => x.spec.name === name);
    return p ? terminate(p) : undefined;
  }

  /** Kills one service at once (SIGKILL: no shutdown hook runs, as in a crash); resolves with how it ended. */
  async killService(name: string): Promise<ServiceExit | undefined> {
    const p = this.procs.find((x) => x.spec.name === name);
    if (!p) return undefined;
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.exited;
    return terminate(p);
  }

  /**
   * Starts a service that ended (killed, stopped or crashed) again from the same spec and
   * environment, appending to its log; resolves when it is ready. Rejects for an unknown
   * name or a service still running (stop or kill it first).
   */
  async restartService(name: string): Promise<void> {
    const i = this.procs.findIndex((x) => x.spec.name === name);
    const p = this.procs[i];
    if (!p || !this.launcher) throw new Error(`no service ${name} in this stack`);
    if (isRunning(p)) throw new Error(`${name} is still running (pid ${p.child.pid}): stop or kill it first`);
    await terminate(p);
    const { dist, preload, env, readyTimeoutMs } = this.launcher;
    const next = launch(p.spec, dist, preload, env, this.logDir);
    this.procs[i] = next;
    await waitReady(next, p.spec.name === 'simulator' ? '/healthz' : '/readyz', readyTimeoutMs);
  }

  /** Stops every process, services first, simulator last. */
  async stop(): Promise<void> {
    await Promise.all([...this.procs].reverse().map((p) => terminate(p)));
  }
}

function launch(spec: ServiceSpec, dist: string, preload: string, env: Record<string, string | undefined>, logDir: string): Running {
  const log = createWriteStream(path.join(logDir, `${spec.name}.log`), { flags: 'a' });
  // BATON_NODE_ARGS adds node flags to every service, e.g. `--cpu-prof` for profiling a bench run.
  const extra = (env.BATON_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--enable-source-maps', '-r', preload, path.join(dist, spec.entry)], {
    env: {
      ...env,
      ...spec.env,
      PORT: String(spec.port),
      OTEL_SERVICE_NAME: `baton-${spec.name.replace(/^((?:shadow-)?agent)-.*/, '$1')}`,
      // Metrics are scraped from each service's /metrics; push them over OTLP only when asked to
      // (the local trace viewer takes traces, not metrics).
      OTEL_METRICS_EXPORTER: env.OTEL_METRICS_EXPORTER ?? 'prometheus',
      // Replicas of one service tell their spans apart by service.instance.id; attributes the caller sets come after, so theirs win.
      OTEL_RESOURCE_ATTRIBUTES: [`service.instance.id=${spec.name}`, env.OTEL_RESOURCE_ATTRIBUTES].filter(Boolean).join(','),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line) tail.push(line);
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<ServiceExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { spec, child, log, exited, tail };
}

async function waitReady(p: Running, route: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: ServiceExit | undefined;
  void p.exited.then((e) => (exit = e));
  while (Date.now() < deadline) {
    if (exit !== undefined) {
      throw new Error(`${p.spec.name} exited (code ${exit.code}) before it was ready:\n${p.tail.slice(-15).join('\n')}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${p.spec.port}${route}`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${p.spec.name} was not ready within ${timeoutMs} ms:\n${p.tail.slice(-15).join('\n')}`);
}

/** True until the process has exited. */
function isRunning(p: Running): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

async function terminate(p: Running): Promise<ServiceExit> {
  if (isRunning(p)) {
    p.child.kill('SIGTERM');
    const timer = setTimeout(() => p.child.kill('SIGKILL'), 15000);
    await p.exited;
    clearTimeout(timer);
  }
  if (!p.log.writableEnded) await new Promise<void>((r) => p.log.end(() => r()));
  return p.exited;
}

/** SIM_LATENCY_MS for a latency: `N`, or `MIN-MAX`. */
function simLatencySetting(latency: StackOptions['simulatorLatencyMs']): string {
  if (latency === undefined) return '0';
  return typeof latency === 'number' ? String(latency) : `${latency.min}-${latency.max}`;
}
