// `npm run bench`: single-step tasks through the full pipeline (simulator at zero latency),
// with tracing off and on (spans exported to the local trace viewer), side by side with a
// baseline of bare kafkajs relays over the same number of hops.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Topics } from '@baton/contracts';
import { MessageBus, runBareKafkaChain } from '@baton/messaging';
import { GatewayClient, Stack, repoRoot } from '@baton/stack';
import { infraDown, infraUp } from './infra';
import { LEAD_SCHEMA } from './samples';
import { summarize, type LatencySummary } from './stats';
import { parse, stringify } from 'yaml';

/** Kafka hops between the gateway's publish and task.completed: guardrails, router, planner, agent, guardrails, planner. */
const PIPELINE_HOPS = 6;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : Number(process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
}

async function runPipeline(stack: Stack, brokers: string[], tasks: number, concurrency: number): Promise<{ latenciesMs: number[]; durationMs: number; failed: number }> {
  const client = new GatewayClient(stack.gatewayUrl, 'dev-key-acme');
  const waiting = new Map<string, (ok: boolean) => void>();
  const early = new Map<string, boolean>();
  const settle = (taskId: string, ok: boolean) => {
    const w = waiting.get(taskId);
    if (w) w(ok);
    else early.set(taskId, ok);
  };
  const bus = new MessageBus({ brokers, clientId: 'bench' });
  await bus.connect();
  const sub = await bus.subscribe({
    groupId: `bench-${randomUUID()}`,
    topics: [Topics.taskCompleted, Topics.taskEscalated, Topics.taskFailed],
    fromBeginning: false,
    handlers: {
      'task.completed': async (e) => settle(e.taskId, true),
      'task.escalated': async (e) => settle(e.taskId, false),
      'task.failed': async (e) => settle(e.taskId, false),
    },
  });
  const latenciesMs: number[] = [];
  let failed = 0;
  let next = 0;
  const body = (i: number) => ({
    taskType: 'lead.qualify',
    input: { text: `Lead ${i}: operations team of ${10 + (i % 90)} people, budget approved, wants to start next quarter.` },
    outputSchema: LEAD_SCHEMA,
  });
  const worker = async () => {
    while (next < tasks) {
      const i = next++;
      const t0 = performance.now();
      const { taskId } = await client.submit(body(i));
      const seen = early.get(taskId);
      const ok =
        seen !== undefined
          ? seen
          : await new Promise<boolean>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`task ${taskId} did not end in 60 s`)), 60000);
            waiting.set(taskId, (v) => {
              clearTimeout(timer);
              resolve(v);
            });
          });
      waiting.delete(taskId);
      early.delete(taskId);
      if (ok) latenciesMs.push(performance.now() - t0);
      else failed += 1;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const durationMs = performance.now() - start;
  await sub.stop();
  await bus.close();
  return { latenciesMs, durationMs, failed };
}

function line(name: string, n: number, durationMs: number, s: LatencySummary): string {
  const tps = (n / (durationMs / 1000)).toFixed(1);
  return `${name.padEnd(22)} ${String(n).padStart(6)} ${tps.padStart(9)} ${s.p50.toFixed(1).padStart(9)} ${s.p99.toFixed(1).padStart(9)} ${s.max.toFixed(1).padStart(9)}`;
}

/** Runs the warm-up and the measured tasks on a fresh stack started with `env`, then stops it. */
async function measurePipeline(env: Record<string, string | undefined>, brokers: string[], tasks: number, concurrency: number, warmup: number) {
  const stack = await Stack.start({ basePort: 28080, modelsOnSimulator: true, env: { ...env, LOG_LEVEL: 'warn' } });
  try {
    await runPipeline(stack, brokers, warmup, concurrency);
    const run = await runPipeline(stack, brokers, tasks, concurrency);
    return { ...run, summary: summarize(run.latenciesMs), tps: run.latenciesMs.length / (run.durationMs / 1000) };
  } finally {
    await stack.stop();
  }
}

/**
 * The shipped budgets with the demo tenant's rate limits and day budgets lifted: the bench
 * measures the pipeline, and 600 tasks in half a minute are over the shipped per-minute
 * limits (the gateway would answer 429, the agents would wait for capacity).
 */
function benchBudgets(): string {
  const policy = parse(readFileSync(path.join(repoRoot(), 'config', 'budgets.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const unlimited = { dailyUsd: 1_000_000, tasksPerMinute: 1_000_000, requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 };
  policy.tenants = { ...policy.tenants, default: unlimited, acme: unlimited };
  policy.global = { ...policy.global, dailyUsd: 10_000_000 };
  const file = path.join(repoRoot(), '.baton', 'bench-budgets.yaml');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, stringify(policy));
  return file;
}

async function main(): Promise<void> {
  const tasks = arg('tasks', 300);
  const concurrency = arg('concurrency', 16);
  const warmup = arg('warmup', 20);
  const infra = infraUp();
  const brokers = infra.env.KAFKA_BROKERS.split(',');
  const traceUrl = infra.env.BATON_TRACE_URL;
  infra.env.BATON_BUDGETS = benchBudgets();
  try {
    console.log(`bench: ${tasks} tasks, ${concurrency} in flight, ${warmup} warm-up; baseline: bare kafkajs chain of ${PIPELINE_HOPS} relays`);
    const pipeline = await measurePipeline({ ...infra.env, OTEL_SDK_DISABLED: 'true' }, brokers, tasks, concurrency, warmup);
    // The same pipeline with tracing on: every span exported over OTLP to the local trace viewer.
    const traced = traceUrl
      ? await measurePipeline({ ...infra.env, OTEL_EXPORTER_OTLP_ENDPOINT: traceUrl }, brokers, tasks, concurrency, warmup)
      : null;
    const baseline = await runBareKafkaChain({ brokers, hops: PIPELINE_HOPS, messages: tasks, payloadBytes: 1024, inFlight: concurrency });
    const p = pipeline.summary;
    const b = summarize(baseline.latenciesMs);
    const bTps = baseline.latenciesMs.length / (baseline.durationMs / 1000);
    console.log(`\n${'run'.padEnd(22)} ${'n'.padStart(6)} ${'tasks/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'max ms'.padStart(9)}`);
    console.log(line('baton, tracing off', pipeline.latenciesMs.length, pipeline.durationMs, p));
    if (traced) console.log(line('baton, tracing on', traced.latenciesMs.length, traced.durationMs, traced.summary));
    console.log(line('bare kafkajs chain', baseline.latenciesMs.length, baseline.durationMs, b));
    const ratio = { throughput: pipeline.tps / bTps, p50: p.p50 / b.p50, p99: p.p99 / b.p99 };
    console.log(`\nratio pipeline/baseline: throughput ${ratio.throughput.toFixed(2)}x, p50 ${ratio.p50.toFixed(2)}x, p99 ${ratio.p99.toFixed(2)}x; failed tasks: ${pipeline.failed}`);
    const tracing = traced
      ? { throughput: traced.tps / pipeline.tps, p50: traced.summary.p50 / p.p50, p99: traced.summary.p99 / p.p99, failed: traced.failed }
      : null;
    if (tracing) {
      console.log(`tracing on/off: throughput ${tracing.throughput.toFixed(2)}x, p50 ${tracing.p50.toFixed(2)}x, p99 ${tracing.p99.toFixed(2)}x; failed tasks: ${tracing.failed}`);
    } else {
      console.log('tracing on/off: not measured (BATON_TRACE_VIEWER=none: no trace viewer to export to)');
    }
    const dir = path.join(repoRoot(), 'bench-results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pipeline-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          params: { tasks, concurrency, warmup, hops: PIPELINE_HOPS, simulatorLatencyMs: 0 },
          pipeline: { tasksPerSecond: pipeline.tps, latencyMs: p, failed: pipeline.failed },
          ...(traced ? { pipelineTraced: { tasksPerSecond: traced.tps, latencyMs: traced.summary, failed: traced.failed, exportTo: 'phoenix' } } : {}),
          baseline: { messagesPerSecond: bTps, latencyMs: b },
          ratio,
          ...(tracing ? { tracingOverhead: tracing } : {}),
        },
        null,
        2,
      ),
    );
    console.log(`written ${path.relative(repoRoot(), file)}`);
  } finally {
    if (infra.started) infraDown();
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
});
