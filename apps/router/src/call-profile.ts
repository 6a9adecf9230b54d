import type { TaskInput } from '@baton/contracts';
import { estimateTokens } from '@baton/llm';

/**
 * Estimated prompt of one step: its instruction, the task's input (text and structured
 * data), and, for a workflow step, an expected answer's worth per step it depends on,
 * since the planner passes those outputs in.
 */
export function estimatePromptTokens(instruction: string, input: TaskInput, upstreamOutputs = 0, expectedOutputTokens = 0): number {
  return (
    estimateTokens(instruction) +
    estimateTokens(input.text) +
    estimateTokens(JSON.stringify(input.data ?? {})) +
    upstreamOutputs * expectedOutputTokens
  );
}
