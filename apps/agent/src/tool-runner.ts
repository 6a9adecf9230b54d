import type { ErrorInfo, ToolProposed, ToolVerdict } from '@baton/contracts';
import type { ToolCall } from '@baton/llm';
import { canonicalHash } from '@baton/contracts';
import { type Tool, type ToolBackend, type ToolFunctionSpec, type ToolRegistry } from '@baton/agent-tools';
import type { Attempt } from './attempt';
import type { ToolMode } from './tools';

/** A tool call as the attempt handled it; goes on the span and into the audit trail. */
export interface ToolRecord {
  name: string;
  /** `ran`; `recorded` (shadow mode: noted, not run); `denied` by policy; `refused` (unknown tool, bad arguments, tool error, no verdict); `approval` (held for a human). */
  outcome: 'ran' | 'recorded' | 'denied' | 'refused' | 'approval';
  detail?: string;
}

/** What the model reads back, or why the attempt must stop (a call needs a human's approval first). */
export type ToolOutcome = { content: string; record: ToolRecord } | { halt: ErrorInfo; record: ToolRecord };

/** A proposed call, before the guardrails' verdict. */
export type Proposal = Omit<ToolProposed['data'], 'replyTo'>;

/** What running tools needs from the service, the same for every attempt; tests pass fakes. */
export interface ToolPorts {
  registry: ToolRegistry;
  backend: ToolBackend;
  /** Publishes the attempt's proposal and waits for the verdict; null when none came in time. */
  propose(attempt: Attempt, proposal: Proposal): Promise<ToolVerdict['data'] | null>;
  /** Puts the task's real values back in place of placeholders: per argument (dotted path), the kinds it may get back. */
  restore(attempt: Attempt, args: Record<string, unknown>, plan: Readonly<Record<string, readonly string[]>>): Promise<{ args: Record<string, unknown>; missing: string[] }>;
  /** Makes a tool result safe for the model: strips control characters, withholds injected instructions, redacts PII and secrets. */
  screenResult(attempt: Attempt, text: string, untrusted: boolean): Promise<{ text: string; findings: string[] }>;
  mode: ToolMode;
}

/** Most characters of a tool result the model reads; longer results are cut with a note. */
const MAX_RESULT_CHARS = 16_000;

/**
 * Why a verdict is not the verdict on this very call, or null when it is: it must name the
 * call's id, tool, step, attempt and the hash of the arguments that were screened. A verdict
 * without a hash (from guardrails older than this check) matches nothing: fail closed.
 */
export function verdictMismatch(
  verdict: Pick<ToolVerdict['data'], 'callId' | 'tool' | 'stepId' | 'attempt' | 'argsHash'>,
  call: { callId: string; tool: string; stepId: string; attempt: number; argsHash: string },
): string | null {
  if (verdict.callId !== call.callId) return `it is for call ${verdict.callId}`;
  if (verdict.tool !== call.tool) return `it is for ${verdict.tool}`;
  if (verdict.stepId !== call.stepId || verdict.attempt !== call.attempt) return `it is for ${verdict.stepId} attempt ${verdict.attempt}`;
  if (verdict.argsHash !== call.argsHash) return 'it is for other arguments';
  return null;
}

function refuse(name: string, outcome: ToolRecord['outcome'], message: string): ToolOutcome {
  return { content: `error: ${message}`, record: { name, outcome, detail: message } };
}

/**
 * Runs the model's tool calls for one attempt. No call runs before the guardrails'
 * verdict: an unknown tool or bad arguments are refused here, everything else is proposed
 * and only an `allow` runs (a write or destructive tool in record mode is only noted).
 * The model reads a refusal as text and may change course; a call that needs a human
 * stops the attempt so the planner can escalate. Results are checked against the tool's
 * schema and screened before the model sees them.
 */
export class ToolRunner {
  /** The attempt's identity, call ids, provenance and audit trail are the attempt's (attempt.ts). */
  constructor(
    private readonly ports: ToolPorts,
    private readonly attempt: Attempt,
  ) {}

  /** The function specs offered to the model for this attempt. */
  static specs(registry: ToolRegistry, names: readonly string[]): ToolFunctionSpec[] {
    return names.filter((n) => registry.has(n)).map((n) => registry.specFor(n));
  }

  async run(call: ToolCall): Promise<ToolOutcome> {
    const { registry } = this.ports;
    const callId = this.attempt.nextToolCallId();
    const tool = registry.get(call.name);
    if (!tool) {
      this.audit(call.name, 'refuse', `there is no tool named ${call.name}`, callId);
      return refuse(call.name, 'refused', `there is no tool named ${call.name}`);
    }
    const parsed = registry.parseArgs(tool, call.arguments);
    if (!parsed.ok) return refuse(tool.name, 'refused', parsed.error);

    const { attempt } = this;
    const verdict = await this.ports.propose(attempt, {
      stepId: attempt.stepId,
      attempt: attempt.number,
      callId,
      tool: tool.name,
      role: attempt.role,
      sideEffect: tool.sideEffect,
      args: parsed.args,
      flows: tool.sideEffect === 'read' ? [] : attempt.flowsInto(parsed.args),
    });
    if (!verdict) {
      const why = 'the guardrail checker did not answer in time, so the call was not run';
      this.audit(tool.name, 'refuse', why, callId);
      return refuse(tool.name, 'refused', why);
    }
    const mismatch = verdictMismatch(verdict, { callId, tool: tool.name, stepId: attempt.stepId, attempt: attempt.number, argsHash: canonicalHash(parsed.args) });
    if (mismatch) {
      const why = `the verdict received does not match this call (${mismatch}), so the call was not run`;
      this.audit(tool.name, 'refuse', why, callId);
      return refuse(tool.name, 'refused', why);
    }
    switch (verdict.decision) {
      case 'deny':
        return refuse(tool.name, 'denied', `refused by policy: ${verdict.reason}`);
      case 'approval':
        return {
          halt: {
            kind: 'policy',
            code: 'approval_required',
            message: `${tool.name} needs a human's approval before it runs: ${verdict.reason}`,
            details: { tool: tool.name, callId, args: parsed.args },
          },
          record: { name: tool.name, outcome: 'approval', detail: verdict.reason },
        };
      case 'record':
        return this.recorded(tool, callId, verdict.reason);
      case 'allow':
        // Defence in depth: an agent in record mode never runs a side effect, whatever the verdict.
        if (this.ports.mode === 'record' && tool.sideEffect !== 'read') return this.recorded(tool, callId, 'record mode');
        return this.execute(tool, callId, parsed.args, verdict);
    }
  }

  private recorded(tool: Tool, callId: string, why: string): ToolOutcome {
    this.audit(tool.name, 'record', `not run (${why}); the call is recorded only`, callId);
    return { content: JSON.stringify({ recorded: true, note: 'shadow mode: the call was recorded, not run' }), record: { name: tool.name, outcome: 'recorded', detail: why } };
  }

  private async execute(tool: Tool, callId: string, args: Record<string, unknown>, verdict: ToolVerdict['data']): Promise<ToolOutcome> {
    // Only the arguments the verdict opened, only the kinds the tool declares for each.
    const plan = Object.fromEntries(
      verdict.unredactFields.flatMap((path) => {
        const kinds = (tool.needsRealValues[path] ?? []).filter((k) => verdict.unredact.includes(k));
        return kinds.length ? [[path, kinds]] : [];
      }),
    );
    const restored = Object.keys(plan).length ? await this.ports.restore(this.attempt, args, plan) : { args, missing: [] };
    if (restored.missing.length) {
      return refuse(tool.name, 'refused', `unknown placeholder(s) ${restored.missing.join(', ')}: use only placeholders that appear in your input`);
    }
    const { attempt } = this;
    const outcome = await this.ports.registry.invoke(tool, restored.args, {
      tenantId: attempt.tenantId,
      taskId: attempt.taskId,
      stepId: attempt.stepId,
      attempt: attempt.number,
      role: attempt.role,
      taskType: attempt.step.taskType ?? '',
      callId,
      input: attempt.step.input,
      backend: this.ports.backend,
    });
    if (!outcome.ok) {
      this.audit(tool.name, 'error', `${outcome.code}: ${outcome.error}`, callId);
      return refuse(tool.name, 'refused', outcome.error);
    }
    const screened = await this.ports.screenResult(attempt, JSON.stringify(outcome.value), tool.untrustedResult);
    attempt.readToolResult(tool.name, screened.text, tool.untrustedResult);
    const text = screened.text.length > MAX_RESULT_CHARS ? `${screened.text.slice(0, MAX_RESULT_CHARS)} …[cut: the result was longer]` : screened.text;
    this.audit(tool.name, 'ran', outcome.replayed ? 'ran earlier under the same idempotency key; the stored result was returned' : 'ran', callId, {
      key: outcome.key,
      replayed: outcome.replayed,
      ...(screened.findings.length ? { resultFindings: screened.findings } : {}),
    });
    return { content: text, record: { name: tool.name, outcome: 'ran', ...(screened.findings.length ? { detail: screened.findings.join(', ') } : {}) } };
  }

  private audit(tool: string, decision: string, reason: string, callId: string, details: Record<string, unknown> = {}): void {
    const { attempt } = this;
    attempt.audit({ category: 'tool', actor: `agent:${attempt.role}`, decision, reason, subject: tool, details: { callId, stepId: attempt.stepId, attempt: attempt.number, ...details } });
  }
}
