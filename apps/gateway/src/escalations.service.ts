import { type TaskDecision, createEvent, decisionOrigin, sameJson } from '@baton/contracts';
import { PiiRedactor, type PiiVault } from '@baton/guard';
import type { EscalationDecision, EscalationRecord, EscalationStore } from '@baton/state';
import { type DecisionRequest, fieldProblem, parseDecisionRequest } from './escalations-request';
import type { RequestProblem } from './submit-request';

/** What deciding needs; tests pass fakes. */
export interface EscalationPorts {
  escalations: Pick<EscalationStore, 'get' | 'decide' | 'markPublished' | 'unpublishedDecisions'>;
  /** Publishes the event (the gateway's bus). */
  publish(event: TaskDecision): Promise<void>;
  /** Reports a problem nobody waits for (an outbox entry that could not be cleared, a sweep that failed). */
  warn(message: string): void;
  /** The task's placeholders (PII_VAULT), so a known value in a human's text gets the task's own placeholder. */
  vault(taskId: string): Promise<PiiVault>;
}

/**
 * A human's edited output and answer go on to later model calls (as a step's output, as
 * guidance), so personal data and secrets in them are replaced like the input's: a value the
 * task already has keeps its placeholder, a new one gets the next number (and is never put
 * back into a tool call). The same request always gives the same text, so a repeat still
 * matches the recorded decision.
 */
export function redactHumanInput(req: DecisionRequest, vault: PiiVault): DecisionRequest {
  if (req.output === undefined && req.answer === undefined) return req;
  const redactor = new PiiRedactor({ vault });
  return {
    ...req,
    ...(req.output !== undefined ? { output: redactor.redactDeep(req.output).value } : {}),
    ...(req.answer !== undefined ? { answer: redactor.redact(req.answer).text } : {}),
  };
}

/** Who decides: the tenant of the caller's key, and the key's name (`key:<id>`). */
export interface Decider {
  tenantId: string;
  decidedBy: string;
}

/** Outcome of a decision request; the controller turns it into a status code. */
export type DecisionOutcome =
  /** Recorded (or, `duplicate`, recorded earlier with the same content) and published. */
  | { kind: 'accepted'; duplicate: boolean; record: EscalationRecord; decision: EscalationDecision; eventId: string }
  /** Bad body, an action the escalation does not allow, or a stale escalation id: 400. */
  | { kind: 'invalid'; problem: RequestProblem }
  /** No escalation for this task and tenant: 404. */
  | { kind: 'not_found'; message: string }
  /** Decided differently before, or already acted on: 409, with what is stored. */
  | { kind: 'conflict'; message: string; record: EscalationRecord }
  /** Recorded, but the event could not be published; the same request again publishes it: 503. */
  | { kind: 'unpublished'; message: string; record: EscalationRecord };

/**
 * The `task.decision` event for a stored decision. Its id depends only on the task and
 * the escalation, so a request repeated after a crash (or a lost answer) publishes the
 * very same event and the planner's dedupe drops the copy; the planner's timeout derives
 * the same id (decisionOrigin).
 */
export function decisionEvent(record: EscalationRecord, decision: EscalationDecision): TaskDecision {
  return createEvent(
    'task.decision',
    decisionOrigin(record),
    {
      escalationId: record.escalationId,
      action: decision.action,
      ...(decision.output !== undefined ? { output: decision.output } : {}),
      ...(decision.answer !== undefined ? { answer: decision.answer } : {}),
      decidedBy: decision.decidedBy,
      ...(decision.comment !== undefined ? { comment: decision.comment } : {}),
    },
  );
}

/** Whether a request asks for what was decided: same action, output and answer (who and why may differ). */
export function sameDecision(stored: EscalationDecision, req: Pick<DecisionRequest, 'action' | 'output' | 'answer'>): boolean {
  return stored.action === req.action && stored.answer === req.answer && sameJson(stored.output, req.output);
}

function describe(d: EscalationDecision | undefined): string {
  return d ? `${d.action} by ${d.decidedBy} at ${d.decidedAt}` : 'no decision';
}

/**
 * A human's decision on a task's current escalation. The store applies the first decision
 * atomically; this class checks the request against the escalation, publishes
 * `task.decision` for an applied one, and tells a repeat of the same decision (published
 * again, same event id) from a different one (conflict).
 */
export class EscalationDecisions {
  constructor(private readonly ports: EscalationPorts) {}

  /** Decides the task's escalation for `by`: the caller's tenant, and the name the decision is recorded under. */
  async decide(by: Decider, taskId: string, body: unknown): Promise<DecisionOutcome> {
    const { tenantId, decidedBy } = by;
    const parsed = parseDecisionRequest(body);
    if (!parsed.ok) return { kind: 'invalid', problem: parsed.problem };

    const current = await this.ports.escalations.get(taskId);
    // Another tenant's escalation answers exactly like a missing one.
    if (!current || current.tenantId !== tenantId) return { kind: 'not_found', message: `no escalation for task ${taskId}` };
    const req = redactHumanInput(parsed.value, await this.ports.vault(taskId));
    const invalid = checkAgainst(current, req);
    if (invalid) return { kind: 'invalid', problem: invalid };

    if (current.status !== 'open') return this.settled(current, req);
    const result = await this.ports.escalations.decide(taskId, current.escalationId, {
      action: req.action,
      ...(req.output !== undefined ? { output: req.output } : {}),
      ...(req.answer !== undefined ? { answer: req.answer } : {}),
      decidedBy,
      ...(req.comment !== undefined ? { comment: req.comment } : {}),
    });
    if (!result.record) return { kind: 'not_found', message: `no escalation for task ${taskId}` };
    // Not applied: someone (or the timeout) decided between our read and our decide.
    if (!result.applied) return this.settled(result.record, req);
    return this.publish(result.record, false);
  }

  /** The escalation was decided before this request: a repeat is published again, anything else conflicts. */
  private async settled(record: EscalationRecord, req: DecisionRequest): Promise<DecisionOutcome> {
    const stored = record.decision;
    if (record.status === 'decided' && stored && sameDecision(stored, req)) return this.publish(record, true);
    const what = record.status === 'resumed' ? 'was already decided and acted on' : 'was already decided differently';
    return { kind: 'conflict', message: `escalation ${record.escalationId} ${what} (${describe(stored)})`, record };
  }

  private async publish(record: EscalationRecord, duplicate: boolean): Promise<DecisionOutcome> {
    const decision = record.decision as EscalationDecision;
    const event = decisionEvent(record, decision);
    try {
      await this.ports.publish(event);
    } catch (err) {
      const cause = errorText(err);
      return {
        kind: 'unpublished',
        message: `decision recorded but not queued (${cause}); send the same request again to queue it`,
        record,
      };
    }
    await this.markPublished(record);
    return { kind: 'accepted', duplicate, record, decision, eventId: event.eventId };
  }

  /**
   * Publishes up to `limit` decisions made at or before `cutoffMs` whose `task.decision` is
   * not known to be published: the decider (this gateway, or the planner's timeout) died
   * between recording and publishing. Same event id as the decider's, so the planner handles
   * it once. An escalation resumed (or gone) meanwhile just leaves the outbox. Returns how
   * many it published.
   */
  async republishDue(cutoffMs: number, limit: number): Promise<number> {
    let published = 0;
    for (const due of await this.ports.escalations.unpublishedDecisions(cutoffMs, limit)) {
      try {
        const record = await this.ports.escalations.get(due.taskId, due.escalationId);
        if (record?.status === 'decided' && record.decision) {
          await this.ports.publish(decisionEvent(record, record.decision));
          published++;
        }
        await this.ports.escalations.markPublished(due.taskId, due.escalationId);
      } catch (err) {
        this.ports.warn(`escalation ${due.escalationId} of task ${due.taskId}: decision not republished yet (${errorText(err)}); the next sweep tries again`);
      }
    }
    return published;
  }

  // Published already; a failure to record it only makes the sweep publish the same event id again.
  private async markPublished(record: EscalationRecord): Promise<void> {
    try {
      await this.ports.escalations.markPublished(record.taskId, record.escalationId);
    } catch (err) {
      this.ports.warn(`escalation ${record.escalationId}: decision published, but its outbox entry stays (${errorText(err)})`);
    }
  }
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Checks the request against the escalation it decides: its id, allowed actions and choices. */
function checkAgainst(r: EscalationRecord, req: DecisionRequest): RequestProblem | null {
  if (req.escalationId !== undefined && req.escalationId !== r.escalationId) {
    return fieldProblem('escalationId', `is not the current escalation of task ${r.taskId} (current: ${r.escalationId})`);
  }
  if (!r.allowed.includes(req.action)) {
    return fieldProblem('action', `${req.action} is not allowed for this escalation; allowed: ${r.allowed.join(', ')}`);
  }
  const choices = r.bundle.choices;
  if (req.action === 'answer' && choices && choices.length > 0 && !choices.includes(req.answer as string)) {
    return fieldProblem('answer', `must be one of the choices: ${choices.join(', ')}`);
  }
  return null;
}
