import type { DecisionAction } from '@baton/contracts';
import { type Io, UsageError, reportErrors } from './commands';
import { formatDecisionAnswer, formatEscalation, formatEscalationTable } from './escalation-format';
import type { DecisionBody } from './escalation-view';
import { ExitCode } from './format';
import type { GatewayClient } from './gateway-client';

/** What the escalation commands need; tests pass fakes. */
export interface EscalationDeps {
  client: Pick<GatewayClient, 'listEscalations' | 'getEscalation' | 'decide'>;
  io: Io;
}

/** Options of `baton decide`. */
export interface DecideOptions {
  /** Replacement output as JSON text, for `edit`. */
  output?: string;
  /** The answer, for `answer`. */
  answer?: string;
  comment?: string;
  /** Decide only if this is still the task's current escalation. */
  escalationId?: string;
  /** No longer sent: the gateway records the API key as the decider. Given, it is a usage error saying so. */
  decidedBy?: string;
  json?: boolean;
}

/** `baton escalations`: the tenant's open escalations as a table. */
export async function escalationsCommand(opts: { limit?: number; json?: boolean }, deps: EscalationDeps): Promise<ExitCode> {
  return reportErrors(deps.io, async () => {
    const list = await deps.client.listEscalations(opts.limit);
    deps.io.out(opts.json ? JSON.stringify(list, null, 2) : formatEscalationTable(list.escalations));
    return ExitCode.ok;
  });
}

/** `baton escalation <taskId>`: the task's current escalation with its review bundle. */
export async function escalationCommand(taskId: string, opts: { json?: boolean }, deps: EscalationDeps): Promise<ExitCode> {
  return reportErrors(deps.io, async () => {
    const view = await deps.client.getEscalation(taskId);
    deps.io.out(opts.json ? JSON.stringify(view, null, 2) : formatEscalation(view));
    return ExitCode.ok;
  });
}

/** `baton decide <taskId> <action>`: decides the task's current escalation. */
export async function decideCommand(taskId: string, action: DecisionAction, opts: DecideOptions, deps: EscalationDeps): Promise<ExitCode> {
  return reportErrors(deps.io, async () => {
    const answer = await deps.client.decide(taskId, buildDecisionBody(action, opts));
    deps.io.out(opts.json ? JSON.stringify(answer, null, 2) : formatDecisionAnswer(answer));
    return ExitCode.ok;
  });
}

/** Builds the request body; a flag the action needs (or cannot use) is a usage error naming it. */
export function buildDecisionBody(action: DecisionAction, opts: DecideOptions): DecisionBody {
  if (opts.decidedBy !== undefined) {
    throw new UsageError('--decided-by is no longer accepted: the gateway records the API key that decides (key:<id>); put a name in --comment');
  }
  if (action === 'edit' && opts.output === undefined) throw new UsageError('edit needs --output <json>: the output to use instead');
  if (action !== 'edit' && opts.output !== undefined) throw new UsageError(`--output goes with edit, not ${action}`);
  if (action === 'answer' && (opts.answer === undefined || opts.answer.trim() === '')) {
    throw new UsageError('answer needs --answer <text>: the guidance for the next attempt (or the chosen option)');
  }
  if (action !== 'answer' && opts.answer !== undefined) throw new UsageError(`--answer goes with answer, not ${action}`);
  const body: DecisionBody = { action };
  if (opts.escalationId !== undefined) body.escalationId = opts.escalationId;
  if (opts.output !== undefined) {
    try {
      body.output = JSON.parse(opts.output) as unknown;
    } catch (err) {
      throw new UsageError(`--output is not valid JSON (${(err as Error).message}); quote a plain string as '"text"'`);
    }
  }
  if (opts.answer !== undefined) body.answer = opts.answer;
  if (opts.comment !== undefined) body.comment = opts.comment;
  return body;
}
