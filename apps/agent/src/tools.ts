import type { AgentRole, StepRequested } from '@baton/contracts';
import type { ChatRequest, ToolSpec } from '@baton/llm';

/** Name of the tool a specialist calls to hand its step to another role. */
export const HANDOFF_TOOL = 'handoff';

/** How tools with side effects behave: `run` for real, `record` (shadow mode) only noted, never run. */
export type ToolMode = 'run' | 'record';

/** A tool the agent can run for the model. */
export interface AgentTool {
  spec: ToolSpec;
  /** True when running it changes something outside Baton (a CRM update, an e-mail). */
  sideEffects: boolean;
  /** Runs the call; returns what the model reads back. Throws ToolError on bad arguments. */
  run(args: Record<string, unknown>, step: StepRequested['data']): string;
}

/** A tool call the agent could not run; the model reads the message and may try again. */
export class ToolError extends Error {}

/** Reads one field of the step's structured input by dotted path: read-only, no side effects. */
const lookupInput: AgentTool = {
  spec: {
    name: 'lookup_input',
    description: "Read one field of the task's structured input by dotted path, e.g. `customer.country` or `steps.assess.riskScore`.",
    parameters: { type: 'object', properties: { path: { type: 'string', minLength: 1 } }, required: ['path'], additionalProperties: false },
  },
  sideEffects: false,
  run(args, step) {
    if (typeof args.path !== 'string' || !args.path) throw new ToolError('path must be a non-empty string');
    let value: unknown = step.input.data;
    for (const key of args.path.split('.')) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) throw new ToolError(`no field ${args.path} in the input`);
      value = (value as Record<string, unknown>)[key];
    }
    return JSON.stringify(value);
  },
};

/** The hand-off tool's spec for the roles a step may hand off to. */
export function handoffSpec(roles: readonly AgentRole[]): ToolSpec {
  return {
    name: HANDOFF_TOOL,
    description:
      'Hand this task to another specialist when it is outside your expertise. Write in `note` what the next specialist needs to know; they see the task input and your note, nothing else.',
    parameters: {
      type: 'object',
      properties: {
        role: { type: 'string', enum: [...roles] },
        reason: { type: 'string', minLength: 1 },
        note: { type: 'string', minLength: 1 },
      },
      required: ['role', 'reason', 'note'],
      additionalProperties: false,
    },
  };
}

/** The tools a step gets: hand-off when it may hand off, input lookup when it has structured input. */
export function toolsFor(step: StepRequested['data']): AgentTool[] {
  return step.input.data && Object.keys(step.input.data).length ? [lookupInput] : [];
}

/**
 * The request for one model. A model without the `tools` capability gets no tools: the
 * structured input the lookup tool reads is in its prompt anyway, and the router gives
 * hand-off steps models with `tools`.
 */
export function requestFor(request: ChatRequest, model: string, supports: (model: string, capability: string) => boolean): ChatRequest {
  if (!request.tools || supports(model, 'tools')) return { ...request, model };
  const { tools: _dropped, ...rest } = request;
  return { ...rest, model };
}
