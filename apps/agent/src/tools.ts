import type { AgentRole } from '@baton/contracts';
import type { ChatRequest, ToolSpec } from '@baton/llm';

/** Name of the tool a specialist calls to hand its step to another role. */
export const HANDOFF_TOOL = 'handoff';

/** How tools with side effects behave: `run` for real, `record` (shadow mode) only noted, never run. */
export type ToolMode = 'run' | 'record';

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
