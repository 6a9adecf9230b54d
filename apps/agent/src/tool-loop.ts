import { AgentRole, type ErrorInfo, type StepRequested } from '@baton/contracts';
import type { ChatMessage, ChatRequest, ChatResult, ToolCall, ToolSpec } from '@baton/llm';
import type { ToolOutcome, ToolRecord } from './tool-runner';
import { HANDOFF_TOOL, handoffSpec } from './tools';

/** Budget when the planner set none: a model must never call tools forever. */
export const DEFAULT_MAX_TOOL_CALLS = 20;

/** One model call through the fallbacks: the answer and the model that gave it, or why none could. */
export type CallModel = (request: ChatRequest) => Promise<{ ok: true; model: string; value: ChatResult } | { ok: false; error: ErrorInfo }>;

export type { ToolRecord } from './tool-runner';

/** How an attempt's conversation ended. Every model call made is in `calls`, to be charged. */
export type LoopResult = { calls: ChatResult[]; toolCalls: number; tools: ToolRecord[] } & (
  | { kind: 'answer'; answer: ChatResult }
  | { kind: 'handoff'; toRole: AgentRole; reason: string; note: string }
  | { kind: 'limit' }
  | { kind: 'error'; error: ErrorInfo }
);

function parseArgs(call: ToolCall): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  let args: unknown;
  try {
    args = JSON.parse(call.arguments || '{}');
  } catch {
    return { ok: false, error: 'arguments are not valid JSON' };
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { ok: false, error: 'arguments must be a JSON object' };
  return { ok: true, args: args as Record<string, unknown> };
}

/** The tools of an attempt: their specs for the model, and how one call runs (tool-runner.ts in the service). */
export interface AttemptTools {
  specs: ToolSpec[];
  run(call: ToolCall): Promise<ToolOutcome>;
}

/**
 * Runs one attempt of a step as a conversation: the model answers, or calls tools whose
 * results go back to it, until it answers, hands off, or the step's tool-call budget
 * (the task's remaining budget, set by the planner) runs out. Unknown tools and bad
 * arguments are answered with an error the model can read; they still count.
 */
export async function runToolLoop(
  step: StepRequested['data'],
  request: ChatRequest,
  callModel: CallModel,
  tools: AttemptTools,
  opts: { defaultMaxToolCalls?: number } = {},
): Promise<LoopResult> {
  const budget = step.maxToolCalls ?? opts.defaultMaxToolCalls ?? DEFAULT_MAX_TOOL_CALLS;
  const handoffRoles = step.handoffRoles ?? [];
  const offered = [...tools.specs, ...(handoffRoles.length ? [handoffSpec(handoffRoles)] : [])];
  // A spent budget offers nothing: the model then has to answer.
  const specs = budget > 0 ? offered : [];
  const messages: ChatMessage[] = [...request.messages];
  const calls: ChatResult[] = [];
  const records: ToolRecord[] = [];
  let used = 0;
  let model = request.model;
  for (;;) {
    const outcome = await callModel({ ...request, model, messages, ...(specs.length ? { tools: specs } : {}) });
    if (!outcome.ok) return { kind: 'error', error: outcome.error, calls, toolCalls: used, tools: records };
    // Later turns stay on the model that answered (a fallback, possibly).
    model = outcome.model;
    const answer = outcome.value;
    calls.push(answer);
    if (!answer.toolCalls.length) return { kind: 'answer', answer, calls, toolCalls: used, tools: records };
    messages.push({ role: 'assistant', content: answer.content, toolCalls: answer.toolCalls });
    for (const call of answer.toolCalls) {
      if (used >= budget) return { kind: 'limit', calls, toolCalls: used, tools: records };
      used += 1;
      if (call.name === HANDOFF_TOOL && handoffRoles.length) {
        const handoff = readHandoff(call, handoffRoles);
        if (handoff.ok) return { kind: 'handoff', ...handoff.value, calls, toolCalls: used, tools: records };
        records.push({ name: call.name, outcome: 'refused', detail: handoff.error });
        messages.push({ role: 'tool', toolCallId: call.id, content: `error: ${handoff.error}` });
        continue;
      }
      const outcome = await tools.run(call);
      records.push(outcome.record);
      if ('halt' in outcome) return { kind: 'error', error: outcome.halt, calls, toolCalls: used, tools: records };
      messages.push({ role: 'tool', toolCallId: call.id, content: outcome.content });
    }
  }
}

function readHandoff(call: ToolCall, roles: readonly AgentRole[]): { ok: true; value: { toRole: AgentRole; reason: string; note: string } } | { ok: false; error: string } {
  const parsed = parseArgs(call);
  if (!parsed.ok) return parsed;
  const args = parsed.args;
  const role = AgentRole.safeParse(args.role);
  if (!role.success || !roles.includes(role.data)) return { ok: false, error: `role must be one of ${roles.join(', ')}` };
  if (typeof args.note !== 'string' || !args.note.trim()) return { ok: false, error: 'note must say what the next specialist needs to know' };
  const reason = typeof args.reason === 'string' ? args.reason : '';
  return { ok: true, value: { toRole: role.data, reason: reason.slice(0, 2000), note: args.note.slice(0, 8000) } };
}
