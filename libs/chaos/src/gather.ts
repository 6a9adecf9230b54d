import { DeadLetterRecord, Topics, parseEvent } from '@baton/contracts';
import { listTopics, readTopicsToEnd, type BusLogger } from '@baton/messaging';
import { budgetScopeIds, type StateStore } from '@baton/state';
import type { CallTokens, ChaosObservations, DeadLetter, TaskOutcome, TerminalEvent, ToolExecution } from './invariants';

/** A logger that keeps kafkajs' warnings out of the run's output. */
export const quietLogger: BusLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const TERMINAL_TYPES = new Set(['task.completed', 'task.failed', 'task.rejected', 'task.escalated']);

async function inBatches<T, R>(items: readonly T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/**
 * Reads what the checks need: every terminal, step-failed and usage event and every dead
 * letter from Kafka (from the beginning, fresh group), the tool ledger, charged usage ids
 * and reservations from Redis, and the calls the simulator served.
 */
export async function gatherObservations(opts: {
  brokers: string[];
  state: StateStore;
  tasks: TaskOutcome[];
  /** Served calls already attributed to task ids. */
  served: CallTokens[];
}): Promise<ChaosObservations & { kafkaReadComplete: boolean }> {
  const dlts = (await listTopics(opts.brokers, quietLogger)).filter((t) => t.endsWith('.dlt'));
  const { records, complete } = await readTopicsToEnd({
    brokers: opts.brokers,
    topics: [Topics.taskCompleted, Topics.taskFailed, Topics.taskRejected, Topics.taskEscalated, Topics.stepFailed, Topics.llmUsage, ...dlts],
    logger: quietLogger,
  });
  const terminalEvents: TerminalEvent[] = [];
  const stepFailed = new Set<string>();
  const usage = new Map<string, CallTokens>();
  const deadLetters: DeadLetter[] = [];
  for (const r of records) {
    if (r.value === null) continue;
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(r.value) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (r.topic.endsWith('.dlt')) {
      const d = DeadLetterRecord.safeParse(json);
      if (!d.success) continue;
      let validEvent = false;
      let taskId: string | null = d.data.key;
      if (d.data.value !== null && d.data.valueEncoding === 'utf8') {
        try {
          const e = parseEvent(JSON.parse(d.data.value));
          validEvent = true;
          taskId = e.taskId;
        } catch {
          validEvent = false;
        }
      }
      deadLetters.push({ topic: r.topic, originalTopic: d.data.originalTopic, consumerGroup: d.data.consumerGroup, reason: d.data.reason, error: d.data.error, taskId, eventId: d.data.eventId, validEvent });
      continue;
    }
    const type = String(json.type ?? '');
    const taskId = String(json.taskId ?? '');
    const data = (json.data ?? {}) as Record<string, unknown>;
    if (TERMINAL_TYPES.has(type)) {
      terminalEvents.push({
        type: type as TerminalEvent['type'],
        eventId: String(json.eventId),
        taskId,
        ...(typeof data.stopReason === 'string' ? { stopReason: data.stopReason } : {}),
        ...(typeof data.escalationId === 'string' ? { escalationId: data.escalationId } : {}),
      });
    } else if (type === 'step.failed') stepFailed.add(taskId);
    else if (type === 'llm.usage') {
      usage.set(String(json.eventId), { taskId, promptTokens: Number(data.promptTokens), completionTokens: Number(data.completionTokens), ...(data.estimated === true ? { estimated: true } : {}) });
    }
  }

  const ids = opts.tasks.map((t) => t.taskId);
  const perTask = await inBatches(ids, 32, async (taskId) => ({
    taskId,
    runs: await opts.state.tools.executions(taskId),
    charged: await opts.state.spend.chargedUsageEvents(taskId),
    reserved: (await opts.state.budgets.scope(budgetScopeIds.task(taskId))).reservedMicros,
  }));
  const toolExecutions: ToolExecution[] = [];
  const charged: CallTokens[] = [];
  const reservedMicros = new Map<string, number>();
  for (const t of perTask) {
    for (const r of t.runs) toolExecutions.push({ taskId: t.taskId, tool: r.tool, key: r.key, outcome: r.outcome });
    // A charge whose usage event is not on Kafka matches no served call: it shows as double-charged.
    for (const id of t.charged) charged.push(usage.get(id) ?? { taskId: t.taskId, promptTokens: -1, completionTokens: -1 });
    reservedMicros.set(t.taskId, t.reserved);
  }
  return { tasks: opts.tasks, terminalEvents, stepFailed, toolExecutions, served: opts.served, charged, reservedMicros, deadLetters, kafkaReadComplete: complete };
}
