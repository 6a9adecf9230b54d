import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import { parse, stringify } from 'yaml';
import type { AgentRole } from '@baton/contracts';
import { MessageBus } from '@baton/messaging';
import { GatewayClient, Stack, repoRoot } from '@baton/stack';
import { StateStore } from '@baton/state';
import { seedDemoFixtures } from '@baton/agent-tools';
import { ChaosInfra } from './chaos-infra';
import { planFaults, type FaultRecord } from './faults';
import { gatherObservations, quietLogger } from './gather';
import { checkInvariants, invariantCounts, type ChaosVerdict, type TaskOutcome } from './invariants';
import { Prng, type ChaosOptions, type TaskKind } from './options';
import { RedisFaultProxy } from './redis-fault-proxy';
import { OBEY_RULE, markerPattern, runReviewer, submitWithRetries, taskBody, type ReviewerLog, type Submission } from './workload';

const API_KEY = 'dev-key-acme';
/** Roles the mix needs (recruiting and the planner agent have no task in it: fewer processes on a small machine). */
const ROLES: readonly AgentRole[] = ['general', 'sales', 'research', 'compliance', 'risk', 'judge', 'writer'];

/** Everything a chaos run produced. */
export interface ChaosReport {
  at: string;
  runId: string;
  options: ChaosOptions;
  durationsMs: { submit: number; settle: number; total: number };
  submissions: { total: number; accepted: number; abandoned: number; retried: number; duplicateAnswers: number; abandonedSamples: string[] };
  faults: FaultRecord[];
  redisProxy: RedisFaultProxy['stats'];
  reviewer: { decided: number; errors: number; errorSamples: string[] };
  kafkaReadComplete: boolean;
  verdict: ChaosVerdict;
  counts: ReturnType<typeof invariantCounts>;
  logDir: string;
  files?: { json: string; markdown: string };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Longest a fault (with its recovery) may take before the run moves on, recording the error. */
const FAULT_TIMEOUT_MS = 180_000;

async function withTimeout(ms: number, what: string, work: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not recover within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * On a fresh broker the first group join creates the offsets topic; a dozen services joining
 * at once then time out on "group coordinator not available". One join first avoids that.
 */
async function warmUpGroups(brokers: string[]): Promise<void> {
  const bus = new MessageBus({ brokers, clientId: 'chaos-warmup', logger: quietLogger });
  try {
    await bus.ensureTopics(['baton.chaos.warmup'], { partitions: 1 });
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        const sub = await bus.subscribe({ groupId: 'chaos-warmup', topics: ['baton.chaos.warmup'], handlers: {} });
        await sub.stop();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(1000);
      }
    }
  } finally {
    await bus.close();
  }
}

/** The shipped budgets with acme's limits lifted: the run measures crash safety, not rate limits (as the bench does). */
function liftedBudgets(dir: string): string {
  const policy = parse(readFileSync(path.join(repoRoot(), 'config', 'budgets.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const unlimited = { dailyUsd: 1_000_000, tasksPerMinute: 1_000_000, requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 };
  policy.tenants = { ...policy.tenants, default: unlimited, acme: unlimited };
  policy.global = { ...policy.global, dailyUsd: 10_000_000 };
  const file = path.join(dir, 'budgets.yaml');
  writeFileSync(file, stringify(policy));
  return file;
}

/**
 * One chaos run: own Kafka and Redis (Redis behind the fault proxy), the stack on its own
 * ports, tasks submitted at a steady rate while faults are injected, a settle window, then
 * every invariant checked. Cleans up everything it started, whatever happens.
 */
/** Starts a supervisor gives a crashing service before it gives up. */
const SUPERVISOR_STARTS = 5;
/** Back-off between failed starts, times the attempt number. */
const SUPERVISOR_BACKOFF_MS = 2_000;

export async function runChaos(opts: ChaosOptions, log: (line: string) => void = console.log): Promise<ChaosReport> {
  const t0 = Date.now();
  const runId = randomBytes(3).toString('hex');
  const infra = new ChaosInfra({ kafka: opts.kafkaPort, kafkaController: opts.kafkaControllerPort, redis: opts.redisPort });
  const logDir = path.join(infra.stateDir, 'logs');
  let stack: Stack | undefined;
  let proxy: RedisFaultProxy | undefined;
  let state: StateStore | undefined;
  let bar: SingleBar | undefined;
  let cleaning: Promise<void> | undefined;
  // Whatever ends the run (its end, an error, Ctrl-C) stops every process and the infrastructure it started.
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      bar?.stop();
      await stack?.stop().catch(() => undefined);
      await state?.close().catch(() => undefined);
      await proxy?.close().catch(() => undefined);
      await infra.down().catch((err: unknown) => log(`chaos: stopping the infrastructure failed: ${(err as Error).message}`));
    })());
  const interrupted = (): void => {
    log('\nchaos: interrupted; stopping the stack, Kafka and Redis');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await infra.down();
    infra.wipe();
    rmSync(logDir, { recursive: true, force: true });
    mkdirSync(logDir, { recursive: true });
    log(`chaos ${runId}: starting Kafka on ${opts.kafkaPort} and Redis on ${opts.redisPort} (state in ${path.relative(repoRoot(), infra.stateDir)})`);
    await infra.up();
    await warmUpGroups(infra.brokers);
    proxy = await RedisFaultProxy.start({ port: opts.redisProxyPort, upstreamPort: opts.redisPort });
    // The harness' own connection is closed during the run (it would only log the Redis restarts) and opened again to gather.
    const seeding = await StateStore.connect(infra.redisUrl, { name: 'chaos-harness' });
    await seedDemoFixtures(seeding.tools);
    await seeding.close();
    log(`chaos ${runId}: starting the stack on ${opts.basePort} (${opts.agentReplicas} replicas per agent), Redis through the fault proxy on ${proxy.port}`);
    const st = await Stack.start({
      basePort: opts.basePort,
      roles: ROLES,
      agentReplicas: opts.agentReplicas,
      modelsOnSimulator: true,
      // So kills land while agents wait for a model, as they would with a real provider.
      simulatorLatencyMs: opts.simLatencyMs,
      logDir,
      env: {
        KAFKA_BROKERS: infra.brokers.join(','),
        REDIS_URL: proxy.url,
        BATON_BUDGETS: liftedBudgets(infra.stateDir),
        OTEL_SDK_DISABLED: 'true',
        BATON_TRACE_URL: undefined,
        OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
        LOG_LEVEL: 'info',
      },
    });
    stack = st;
    const px = proxy;
    if (!st.simulatorUrl) throw new Error('the chaos stack runs without its simulator');
    const simBase = st.simulatorUrl.replace(/\/v1$/, '');
    const simRes = await fetch(`${simBase}/_sim/rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OBEY_RULE) });
    if (!simRes.ok) throw new Error(`simulator refused the obey rule: ${simRes.status} ${await simRes.text()}`);

    // What to submit and which faults, all drawn from the seed.
    const rng = new Prng(opts.seed);
    const kinds: TaskKind[] = Array.from({ length: opts.tasks }, () => rng.weighted(opts.mix));
    const windowMs = (opts.tasks / opts.rate) * 1000;
    const victims = stack.services.map((s) => s.name).filter((n) => n !== 'simulator');
    const plan = planFaults({ windowMs, seed: opts.seed, kinds: opts.faults, kills: opts.kills, brokerRestarts: opts.brokerRestarts, redisRestarts: opts.redisRestarts, redisFaults: opts.redisFaults, services: victims });
    log(`chaos ${runId}: ${opts.tasks} tasks at ${opts.rate}/s (${Math.round(windowMs / 1000)} s), ${plan.length} faults, seed ${opts.seed}`);

    const subs: Submission[] = [];
    const escalateTasks = new Set<string>();
    const reviewerLog: ReviewerLog = { decided: new Map(), errors: [] };
    let reviewing = true;
    const reviewer = runReviewer(stack.gatewayUrl, API_KEY, () => escalateTasks, () => !reviewing, reviewerLog);
    const faults: FaultRecord[] = [];
    const start = Date.now();
    let ended = 0;
    if (opts.progress) {
      bar = new SingleBar({ format: 'chaos |{bar}| {value}/{total} submitted | accepted {accepted} | ended {ended} | faults {faults} | {phase}', hideCursor: true });
      bar.start(opts.tasks, 0, { accepted: 0, ended: 0, faults: 0, phase: 'submitting' });
    }
    const tick = (phase: string) => bar?.update(subs.length, { accepted: subs.filter((s) => s.taskId).length, ended, faults: faults.length, phase });

    // Faults at their planned times; infrastructure faults one at a time, while killed services
    // restart in the background (a restart takes ~30 s on 2 cores and would push the plan late).
    const restarts: Array<Promise<void>> = [];
    const injector = (async () => {
      for (const f of plan) {
        const wait = start + f.atMs - Date.now();
        if (wait > 0) await sleep(wait);
        const rec: FaultRecord = { ...f, startedMs: Date.now() - start };
        faults.push(rec);
        tick(`fault ${f.kind} ${f.target ?? ''}`);
        const began = Date.now();
        if (f.kind === 'kill') {
          const victim = f.target ?? '';
          await st.killService(victim);
          restarts.push(
            withTimeout(FAULT_TIMEOUT_MS, `restart of ${victim}`, async () => {
              await sleep(f.durationMs);
              await superviseRestart(st, victim, (attempt, err) => {
                rec.error = `start ${attempt} failed (${err.message.split('\n')[0].slice(0, 200)}); started again`;
              });
            }).then(
              () => void (rec.recoveryMs = Date.now() - began),
              (err: unknown) => void (rec.error = (err as Error).message.slice(0, 500)),
            ),
          );
          continue;
        }
        try {
          await withTimeout(FAULT_TIMEOUT_MS, `${f.kind} ${f.target ?? ''}`, async () => {
          if (f.kind === 'broker') {
            await infra.restartKafka(f.target === 'TERM' ? 'TERM' : 'KILL');
          } else if (f.kind === 'redis') {
            await infra.restartRedis(f.target === 'KILL' ? 'KILL' : 'TERM', f.durationMs);
          } else if (f.target === 'loading') {
            await px.loading(f.durationMs);
          } else {
            await px.down(f.durationMs);
          }
          });
          rec.recoveryMs = Date.now() - began;
        } catch (err) {
          rec.error = (err as Error).message.slice(0, 500);
        }
      }
    })();

    const pending: Array<Promise<Submission>> = [];
    for (let n = 0; n < opts.tasks; n++) {
      const wait = start + (n * 1000) / opts.rate - Date.now();
      if (wait > 0) await sleep(wait);
      const sub: Submission = { n, kind: kinds[n], idempotencyKey: `chaos-${runId}-${n}`, attempts: 0, errors: [], submittedAt: Date.now() - start };
      subs.push(sub);
      tick('submitting');
      pending.push(
        submitWithRetries(stack.gatewayUrl, API_KEY, taskBody(kinds[n], runId, n), sub).then((s) => {
          if (s.taskId && s.kind === 'escalate') escalateTasks.add(s.taskId);
          return s;
        }),
      );
    }
    await Promise.all(pending);
    await injector;
    await Promise.all(restarts);
    // A service whose restart failed (not ready in time) gets one more start, so the settle runs on a whole stack; the fault keeps its error.
    for (const f of faults.filter((x) => x.kind === 'kill' && x.error && x.recoveryMs === undefined && x.target)) {
      await st.restartService(f.target ?? '').catch((err: unknown) => log(`chaos: ${f.target} could not be restarted: ${(err as Error).message.split('\n')[0]}`));
    }
    const submitMs = Date.now() - start;

    // Settle: poll until every accepted task is terminal (see invariants) or the window ends.
    const gw = new GatewayClient(stack.gatewayUrl, API_KEY);
    const statusOf = new Map<string, string>();
    const accepted = subs.filter((s): s is Submission & { taskId: string } => s.taskId !== undefined);
    const isEnd = (s: Submission & { taskId: string }) => {
      const status = statusOf.get(s.taskId);
      return status === 'completed' || status === 'failed' || status === 'rejected' || (status === 'escalated' && s.kind !== 'escalate');
    };
    const settleStart = Date.now();
    for (;;) {
      const open = accepted.filter((s) => !isEnd(s));
      for (let i = 0; i < open.length; i += 16) {
        await Promise.all(
          open.slice(i, i + 16).map(async (s) => {
            const res = await fetch(`${gw.baseUrl}/v1/tasks/${s.taskId}`, { headers: { 'x-api-key': API_KEY }, signal: AbortSignal.timeout(5000) }).catch(() => null);
            if (res?.status === 404) statusOf.set(s.taskId, 'missing');
            else if (res?.ok) statusOf.set(s.taskId, ((await res.json()) as { status: string }).status);
          }),
        );
      }
      ended = accepted.filter(isEnd).length;
      tick('settling');
      if (ended === accepted.length || Date.now() - settleStart > opts.settleSeconds * 1000) break;
      await sleep(3000);
    }
    reviewing = false;
    await reviewer;
    const settleMs = Date.now() - settleStart;
    bar?.stop();
    bar = undefined;

    log(`chaos ${runId}: gathering observations`);
    // An escalated task may have escalated again after a decision: what counts is whether the
    // reviewer decided the escalation it waits on now.
    const waitsOn = new Map<string, { id: string; status: string }>();
    for (const s of accepted.filter((x) => statusOf.get(x.taskId) === 'escalated')) {
      const res = await fetch(`${gw.baseUrl}/v1/escalations/${s.taskId}`, { headers: { 'x-api-key': API_KEY }, signal: AbortSignal.timeout(5000) }).catch(() => null);
      if (res?.ok) {
        const e = (await res.json()) as { escalationId: string; status: string };
        waitsOn.set(s.taskId, { id: e.escalationId, status: e.status });
      }
    }
    const tasks: TaskOutcome[] = accepted.map((s) => {
      const esc = waitsOn.get(s.taskId);
      const decided = esc ? (reviewerLog.decided.get(s.taskId)?.has(esc.id) ?? false) : reviewerLog.decided.has(s.taskId);
      return { taskId: s.taskId, kind: s.kind, status: statusOf.get(s.taskId) ?? 'unknown', decided, ...(esc ? { pendingEscalation: esc } : {}) };
    });
    const byNumber = new Map(accepted.map((s) => [String(s.n), s.taskId]));
    const servedRes = await fetch(`${simBase}/_sim/served?tag=${encodeURIComponent(markerPattern(runId))}`);
    const servedCalls = ((await servedRes.json()) as { calls: Array<{ tag: string | null; promptTokens: number; completionTokens: number }> }).calls;
    const served = servedCalls.flatMap((c) => {
      const taskId = c.tag === null ? undefined : byNumber.get(c.tag);
      return taskId ? [{ taskId, promptTokens: c.promptTokens, completionTokens: c.completionTokens }] : [];
    });
    state = await StateStore.connect(infra.redisUrl, { name: 'chaos-harness' });
    const obs = await gatherObservations({ brokers: infra.brokers, state, tasks, served });
    const verdict = checkInvariants(obs);
    const report: ChaosReport = {
      at: new Date().toISOString(),
      runId,
      options: opts,
      durationsMs: { submit: submitMs, settle: settleMs, total: Date.now() - t0 },
      submissions: {
        total: subs.length,
        accepted: accepted.length,
        abandoned: subs.filter((s) => s.abandoned).length,
        retried: subs.filter((s) => s.attempts > 1).length,
        duplicateAnswers: subs.filter((s) => s.duplicate).length,
        abandonedSamples: subs.filter((s) => s.abandoned).slice(0, 10).map((s) => `#${s.n} ${s.kind}: ${s.errors.slice(-3).join('; ')}`),
      },
      faults,
      redisProxy: { ...proxy.stats },
      reviewer: { decided: reviewerLog.decided.size, errors: reviewerLog.errors.length, errorSamples: reviewerLog.errors.slice(0, 10) },
      kafkaReadComplete: obs.kafkaReadComplete,
      verdict,
      counts: invariantCounts(verdict),
      logDir,
    };
    report.files = writeReport(report, path.resolve(repoRoot(), opts.out));
    return report;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}

/** Writes chaos-<timestamp>.json/.md and chaos-latest.json/.md into `dir`. */
export function writeReport(report: ChaosReport, dir: string): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = report.at.replace(/[:.]/g, '-');
  const json = JSON.stringify(report, null, 2);
  const md = renderMarkdown(report);
  const files = { json: path.join(dir, `chaos-${stamp}.json`), markdown: path.join(dir, `chaos-${stamp}.md`) };
  writeFileSync(files.json, json);
  writeFileSync(files.markdown, md);
  writeFileSync(path.join(dir, 'chaos-latest.json'), json);
  writeFileSync(path.join(dir, 'chaos-latest.md'), md);
  return files;
}

const ids = (list: Array<{ taskId: string | null }>, max = 20) => {
  const all = [...new Set(list.map((x) => x.taskId ?? '(no task)'))];
  return all.length === 0 ? '' : all.slice(0, max).join(', ') + (all.length > max ? `, … (${all.length - max} more)` : '');
};

/** The report as Markdown: the invariants first, then outcomes, faults and details. */
export function renderMarkdown(r: ChaosReport): string {
  const v = r.verdict;
  const inv = v.invariants;
  const rows: Array<[string, number, string]> = [
    ['lost (not terminal after settle)', r.counts.lost, inv.lost.map((x) => `${x.taskId} (${x.kind}, ${x.status}${x.escalation ? ` on escalation ${x.escalation.id}, ${x.escalation.status}` : ''})`).slice(0, 20).join(', ')],
    ['hung (deadline stop, no step failed)', r.counts.hung, ids(inv.hung)],
    ['duplicate or conflicting terminal events', r.counts.duplicateTerminal, inv.duplicateTerminal.slice(0, 20).map((x) => `${x.taskId}: ${x.detail}`).join('; ')],
    ['duplicate side effects (keys run > once)', r.counts.duplicateEffects, inv.duplicateEffects.slice(0, 20).map((x) => `${x.key} ×${x.executions}`).join(', ')],
    ['model calls served, not charged', r.counts.uncharged, ids(inv.uncharged)],
    ['model calls charged twice', r.counts.doubleCharged, ids(inv.doubleCharged)],
    ['tasks holding budget reservations', r.counts.reservationsHeld, ids(inv.reservationsHeld)],
    ['healthy events dead-lettered', r.counts.healthyDeadLetters, ids(inv.healthyDeadLetters)],
  ];
  const lines = [
    `# Chaos run ${r.runId} (${r.at})`,
    '',
    `${r.options.tasks} tasks at ${r.options.rate}/s, mix ${Object.entries(r.options.mix).map(([k, w]) => `${k}=${w}`).join(',')}, seed ${r.options.seed}, settle ${r.options.settleSeconds} s; ` +
      `submitting took ${Math.round(r.durationsMs.submit / 1000)} s, settling ${Math.round(r.durationsMs.settle / 1000)} s.`,
    '',
    '## Invariants (each must be 0)',
    '',
    '| invariant | count | offending task ids |',
    '|---|---:|---|',
    ...rows.map(([name, n, what]) => `| ${name} | ${n} | ${what.replace(/\|/g, '\\|')} |`),
    '',
    '## Tasks',
    '',
    `Submissions ${r.submissions.total}: accepted ${r.submissions.accepted}, abandoned ${r.submissions.abandoned}, retried ${r.submissions.retried}, answered as duplicates ${r.submissions.duplicateAnswers}.`,
    `Outcomes: completed ${v.outcomes.completed}, failed ${v.outcomes.failed}, rejected ${v.outcomes.rejected}, escalated and undecided ${v.outcomes.escalatedUndecided}, lost ${inv.lost.length}.`,
    '',
    '| kind | accepted | completed | failed | rejected | escalated | lost |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...Object.entries(v.byKind).map(([k, c]) => `| ${k} | ${c.accepted} | ${c.completed} | ${c.failed} | ${c.rejected} | ${c.escalated} | ${c.lost} |`),
    '',
    `Model calls: ${v.modelCalls.served} served by the simulator, ${v.modelCalls.charged} charged, of which ${v.modelCalls.chargedAtWorstCase.calls} charged at the worst case (call cut off by a crash; ${v.modelCalls.chargedAtWorstCase.served} of them answered by the simulator). Side effects: ${v.sideEffects.executions} executions of ${v.sideEffects.keys} keys. Reviewer decisions: ${r.reviewer.decided} (errors ${r.reviewer.errors}).`,
    `Dead letters: ${v.deadLetters.total}; by reason ${JSON.stringify(v.deadLetters.byReason)}; by topic ${JSON.stringify(v.deadLetters.byTopic)}.`,
    r.kafkaReadComplete ? '' : '**Kafka could not be read to the end: event-based counts are incomplete.**',
    '',
    '## Faults',
    '',
    '| at s | kind | target | lasted ms | back after ms | error |',
    '|---:|---|---|---:|---:|---|',
    ...r.faults.map((f) => `| ${(f.startedMs / 1000).toFixed(1)} | ${f.kind} | ${f.target ?? ''} | ${f.durationMs} | ${f.recoveryMs ?? ''} | ${(f.error ?? '').replace(/\n/g, ' ').replace(/\|/g, '\\|')} |`),
    '',
    `Redis proxy: ${JSON.stringify(r.redisProxy)}. Service logs: ${r.logDir}.`,
    '',
  ];
  if (inv.healthyDeadLetters.length) {
    lines.push('## Healthy events dead-lettered (first 20)', '', ...inv.healthyDeadLetters.slice(0, 20).map((d) => `- ${d.topic} (${d.group}) task ${d.taskId}: ${d.error}`), '');
  }
  if (r.submissions.abandonedSamples.length) lines.push('## Abandoned submissions (sample)', '', ...r.submissions.abandonedSamples.map((s) => `- ${s}`), '');
  return lines.join('\n');
}

/**
 * Starts a killed service again as a supervisor (Kubernetes, systemd) would: a start that
 * fails (the broker or Redis was down meanwhile, and the service exits at once on a startup
 * error, by design) is retried after a short back-off, up to `SUPERVISOR_STARTS` times.
 */
async function superviseRestart(st: Stack, name: string, onFailedStart: (attempt: number, err: Error) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await st.restartService(name);
      return;
    } catch (err) {
      if (attempt >= SUPERVISOR_STARTS) throw err;
      onFailedStart(attempt, err as Error);
      await sleep(SUPERVISOR_BACKOFF_MS * attempt);
    }
  }
}
