import { randomUUID } from 'node:crypto';
import type { AgentRole, AuditRecorded, StepRequested } from '@baton/contracts';
import type { PiiVault } from '@baton/guard';
import { CallReservations, type CallLedger } from '@baton/state';
import { candidateModels, type ModelAttempt } from './model-fallback';
import { Provenance, textOf, type Flow } from './provenance';
import type { BudgetRefusedError, LowScope } from './spend-gate';

/** An entry for the audit trail; the envelope and trace id are filled in when it is published. */
export type AttemptAudit = Omit<AuditRecorded['data'], 'traceId'>;

/** What an attempt reads from outside: handed in, so the attempt itself stays free of Kafka and Redis. */
export interface AttemptSources {
  /** Where the attempt's model calls find and make their reservations (BudgetLedger in the service). */
  ledger: CallLedger;
  /** Reads the task's PII vault; called at most once, and only when a tool call needs it. */
  loadVault(): Promise<PiiVault>;
}

/**
 * One run of one attempt of a step, and everything it keeps while it runs: who it runs as
 * (from the envelope, never from the model), the ids of its tool calls, what untrusted content
 * its model has read, the models it tried, the audit entries and budget findings to publish
 * with its result, and the reservations of its model calls. One per run: a rerun of the same
 * attempt (after a crash, on another replica) starts a new one.
 */
export class Attempt {
  readonly taskId: string;
  readonly tenantId: string;
  readonly stepId: string;
  /** The attempt's number (1 for the step's first). */
  readonly number: number;
  readonly role: AgentRole;
  /** The step as the planner requested it. */
  readonly step: StepRequested['data'];
  /** The models to try, in order, each once: the step's own, then its fallbacks. */
  readonly models: readonly string[];
  /** The reservation of each model call, found again by a rerun of this attempt (call-reservations.ts). */
  readonly reservations: CallReservations;

  private toolCallSeq = 0;
  /** What untrusted content the model has read; proposals say which arguments carry it. */
  private readonly provenance = new Provenance();
  private readonly tried: ModelAttempt[] = [];
  private readonly audits: AttemptAudit[] = [];
  private readonly low = new Map<string, LowScope>();
  private readonly refusals: BudgetRefusedError[] = [];
  private vault?: Promise<PiiVault>;

  /**
   * `runId` makes this run's tool call ids its own: a run of the same attempt after a crash or
   * a retry restarts its count at 1, and a verdict still in flight for the earlier run's call 1
   * must never answer this run's call 1.
   */
  constructor(
    readonly event: StepRequested,
    private readonly sources: AttemptSources,
    private readonly runId: string = randomUUID().slice(0, 8),
  ) {
    const d = event.data;
    this.taskId = event.taskId;
    this.tenantId = event.tenantId;
    this.stepId = d.stepId;
    this.number = d.attempt;
    this.role = d.role;
    this.step = d;
    this.models = candidateModels(d.model, d.fallbackModels);
    this.reservations = new CallReservations(sources.ledger, event.eventId, randomUUID);
    this.provenance.trust(d.instruction);
    const input = textOf({ text: d.input.text, data: d.input.data ?? {} });
    if (d.input.untrusted) this.provenance.read('input', input);
    else this.provenance.trust(input);
  }

  /** The step and attempt, as every event of the attempt names them. */
  get ref(): { stepId: string; attempt: number } {
    return { stepId: this.stepId, attempt: this.number };
  }

  /** The id of this run's next tool call: the step event's id, the run's id, and the call's number in the run. */
  nextToolCallId(): string {
    this.toolCallSeq += 1;
    return `${this.event.eventId}:${this.runId}:${this.toolCallSeq}`;
  }

  /** Every untrusted source read so far, with the arguments of `args` that carry a value only that source had. */
  flowsInto(args: Record<string, unknown>): Flow[] {
    return this.provenance.flows(args);
  }

  /** A tool result the model reads from here on: third-party text is a source to track, the tenant's own data is context. */
  readToolResult(tool: string, text: string, untrusted: boolean): void {
    if (untrusted) this.provenance.read(`tool:${tool}`, text);
    else this.provenance.trust(text);
  }

  /** Notes the models one call through the fallbacks tried, in order. */
  triedModels(tried: readonly ModelAttempt[]): void {
    this.tried.push(...tried);
  }

  /** Every model tried so far, in order, once per call that tried it. */
  get modelsTried(): string[] {
    return this.tried.map((t) => t.model);
  }

  /** Keeps an entry for the audit trail, published with the attempt's result. */
  audit(entry: AttemptAudit): void {
    this.audits.push(entry);
  }

  /** The audit entries so far, in the order they were made. */
  get auditTrail(): readonly AttemptAudit[] {
    return this.audits;
  }

  /** A budget scope one of this attempt's reservations took under its low-water mark (the latest figures per scope). */
  budgetLow(scope: string, low: LowScope): void {
    this.low.set(scope, low);
  }

  /** The scopes this attempt took under their low-water mark. */
  get lowScopes(): ReadonlyMap<string, LowScope> {
    return this.low;
  }

  /** A model call a budget could not cover. */
  budgetRefused(refusal: BudgetRefusedError): void {
    this.refusals.push(refusal);
  }

  /** The refusals so far, in order. */
  get budgetRefusals(): readonly BudgetRefusedError[] {
    return this.refusals;
  }

  /** The task's PII vault (empty when it has none), read once: most steps call no tool and never need it. */
  taskVault(): Promise<PiiVault> {
    return (this.vault ??= this.sources.loadVault());
  }
}
