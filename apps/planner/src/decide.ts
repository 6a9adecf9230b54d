import { deriveEventId, type AgentRole, type ErrorInfo, type Plan, type TaskDecision, type TaskRouted, type TaskStatus } from '@baton/contracts';
import { onDecision } from './decision';
import {
  onApproved,
  onDeadline,
  onHandoff,
  onPlanRouted,
  onSetback,
  startRun,
  stop,
  type Action,
  type AttemptReport,
  type LimitDefaults,
  type RunState,
} from './run-state';
import type { AttemptRecord } from './step-policy';

/** What the planner does with a task's run as a whole. */
export type RunPhase = 'running' | 'escalated' | 'ended';

/**
 * Everything the planner stores for a task, as one value saved with compare-and-set: the
 * run, where it stands, and which events it already took in. The actions an event caused
 * are saved in the same write, beside the record (the outbox), until they are carried out.
 */
export interface RunRecord {
  v: 2;
  phase: RunPhase;
  /** Null only for a task stopped before it ever started. */
  run: RunState | null;
  /** Ids of the last events applied, oldest first (bounded by APPLIED_KEPT). */
  applied: string[];
}

/** How many applied event ids a record remembers: enough to recognise a redelivery after a crash. */
export const APPLIED_KEPT = 64;

/** What happened to a task, as the planner sees it. */
export type PlannerInput =
  | { kind: 'routed'; routed: TaskRouted['data']; defaults: LimitDefaults; taskStatus: TaskStatus | null }
  | { kind: 'approved'; stepId: string; attempt: number; output: unknown; report: AttemptReport }
  | { kind: 'setback'; stepId: string; attempt: number; outcome: AttemptRecord['outcome']; reason: string; report: AttemptReport }
  | { kind: 'handoff'; stepId: string; attempt: number; toRole: AgentRole; handoff: { reason: string; note: string }; report: AttemptReport }
  | { kind: 'plan-routed'; revision: number; plan?: Plan; error?: ErrorInfo }
  | { kind: 'decision'; decision: TaskDecision['data'] }
  | { kind: 'deadline' }
  /** The task never got to the planner (stuck before `running`) and its deadline passed. */
  | { kind: 'start-deadline'; taskStatus: TaskStatus };

/** An input and the id of the event (or timer) it came from; derived event ids hang on that id. */
export interface PlannerEvent {
  causeId: string;
  input: PlannerInput;
}

/** The new record and what to do now; `record` is null when nothing changed (a redelivery, or nothing to do). */
export interface Decision {
  record: RunRecord | null;
  actions: Action[];
}

/**
 * The planner's core: given the stored record (null: none) and one event, the next record
 * and the actions to carry out. Pure: the input record is not changed, time comes in as
 * `now`, every id is derived from the cause. The service saves the record with
 * compare-and-set, the actions in the same write, and then carries them out, so a crash
 * between the two replays exactly the same actions.
 */
export function decide(stored: RunRecord | null, event: PlannerEvent, now: number): Decision {
  if (stored?.applied.includes(event.causeId)) return { record: null, actions: [] };
  const record = stored ? structuredClone(stored) : null;
  const { input } = event;
  const ignore = (why: string): Decision => ({ record: null, actions: [{ type: 'ignore', why }] });

  if (input.kind === 'routed') {
    if (record) return ignore(`task.routed again for a task the planner already ${record.phase === 'ended' ? 'ended' : 'runs'}`);
    if (input.taskStatus !== 'routed' && input.taskStatus !== 'running') return ignore(`task routed while ${input.taskStatus ?? 'unknown'}; not starting it`);
    const started = startRun(input.routed, input.defaults, now);
    const fresh: RunRecord = { v: 2, phase: 'running', run: started.run, applied: [] };
    return settle(fresh, event.causeId, [{ type: 'started', deadlineAt: started.run.limits.deadlineAt }, ...started.actions]);
  }
  if (input.kind === 'start-deadline') {
    if (record) return ignore('the task has a run; its own deadline applies');
    const ended: RunRecord = { v: 2, phase: 'ended', run: null, applied: [] };
    const action = stop('not_started', 'system', `the task did not start before its deadline (it stayed ${input.taskStatus})`);
    return settle(ended, event.causeId, [action]);
  }
  if (!record?.run) return ignore(`${input.kind} for a task with no run`);
  const run = record.run;

  if (input.kind === 'decision') {
    if (record.phase !== 'escalated') return ignore(`decision on ${input.decision.escalationId} while the run is ${record.phase}`);
    const actions = onDecision(run, input.decision, now);
    if (unchanged(stored, record, actions)) return { record: null, actions };
    const resumed: Action[] = actions.some((a) => a.type === 'stop') ? [] : [{ type: 'resumed', deadlineAt: run.limits.deadlineAt }];
    return settle(record, event.causeId, [...resumed, ...actions, {
        type: 'decided',
        escalationId: input.decision.escalationId,
        action: input.decision.action,
        decidedBy: input.decision.decidedBy,
        ...(input.decision.comment !== undefined ? { comment: input.decision.comment } : {}),
      }]);
  }
  if (record.phase !== 'running') return ignore(`${input.kind} while the run is ${record.phase}`);
  const actions = step(run, input, now);
  if (unchanged(stored, record, actions)) return { record: null, actions };
  return settle(record, event.causeId, actions);
}

function step(run: RunState, input: Exclude<PlannerInput, { kind: 'routed' | 'start-deadline' | 'decision' }>, now: number): Action[] {
  switch (input.kind) {
    case 'approved':
      return onApproved(run, input.stepId, input.attempt, input.output, now, input.report);
    case 'setback':
      return onSetback(run, input.stepId, input.attempt, input.outcome, input.reason, now, input.report);
    case 'handoff':
      return onHandoff(run, input.stepId, input.attempt, input.toRole, input.handoff, now, input.report);
    case 'plan-routed':
      return onPlanRouted(run, input.revision, input.plan, input.error, now);
    case 'deadline':
      return onDeadline(run, now);
  }
}

/** True when an event only produced `ignore`s and left the run as it was: nothing to save. */
function unchanged(before: RunRecord | null, after: RunRecord, actions: Action[]): boolean {
  if (!actions.every((a) => a.type === 'ignore')) return false;
  // Rare (a late or foreign event), so the comparison's cost stays off the usual path.
  return JSON.stringify(before?.run) === JSON.stringify(after.run);
}

/** Names escalations after their cause, records the cause as applied, and moves the phase on. */
function settle(record: RunRecord, causeId: string, actions: Action[]): Decision {
  for (const a of actions) {
    if (a.type === 'escalate') a.escalation.id = escalationIdOf(causeId);
  }
  if (actions.some((a) => a.type === 'complete' || a.type === 'stop')) record.phase = 'ended';
  else if (actions.some((a) => a.type === 'escalate')) record.phase = 'escalated';
  else if (actions.some((a) => a.type === 'resumed')) record.phase = 'running';
  record.applied = [...record.applied, causeId].slice(-APPLIED_KEPT);
  return { record, actions };
}

/** The id of the escalation an event raises: every replay of that event names the same escalation. */
export function escalationIdOf(causeId: string): string {
  return deriveEventId(causeId, 'planner.escalation');
}

/** Reads a stored value: today's record, or a bare run stored before records existed. */
export function asRunRecord(value: unknown): RunRecord | null {
  if (value === null || value === undefined) return null;
  const v = value as Partial<RunRecord>;
  if (v.v === 2) return value as RunRecord;
  const run = value as RunState;
  return { v: 2, phase: run.escalation ? 'escalated' : 'running', run, applied: [] };
}
