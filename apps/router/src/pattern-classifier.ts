import { z } from 'zod';
import type { LlmUsage } from '@baton/contracts';
import { LlmError, estimateTokens, type ChatRequest, type ChatResult, type ModelSpec } from '@baton/llm';
import { chooseModel } from './model-choice';
import { defaultPattern, type PatternPick, type PatternTask } from './pattern-choice';
import { TaskPattern } from './routing-config';

/** The one thing the classifier needs from a model client; LlmClient is one, a scripted fake another. */
export interface ChatPort {
  chat(request: ChatRequest): Promise<ChatResult>;
}

/** What the classifier model must answer. */
export const ClassifierAnswer = z.strictObject({
  pattern: TaskPattern,
  reason: z.string().trim().min(1).max(500),
});
export type ClassifierAnswer = z.infer<typeof ClassifierAnswer>;

/** ClassifierAnswer as a response schema; strict structured output wants every property required and no others. */
export const CLASSIFIER_RESPONSE_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    pattern: { type: 'string', enum: [...TaskPattern.options] },
    reason: { type: 'string' },
  },
  required: ['pattern', 'reason'],
  additionalProperties: false,
};

/** Step id of the classifier's usage, so the cost accountant charges the call to the task. */
export const CLASSIFY_STEP_ID = 'route-classify';
/** The input the classifier reads: the gist is enough to pick a pattern, and it bounds the call's cost. */
export const MAX_CLASSIFIER_INPUT_CHARS = 4_000;
/** Upper bound of the answer: a pattern and one sentence. */
const MAX_ANSWER_TOKENS = 200;

const SYSTEM_PROMPT = [
  'You decide how a business task is run by a team of AI specialists. Choose one pattern:',
  '- single: one specialist can do it in one answer;',
  '- plan: it needs several steps by different specialists, e.g. gather facts, analyse them, then write;',
  '- debate: it is a decision between options on which several independent specialists should vote.',
  'Prefer single when unsure: it is the cheapest.',
  'Answer only with a JSON object that satisfies the response schema; the reason is one short sentence.',
].join('\n');

/** The classifier's request to `model` about `task`. Pure: same task, same request. */
export function classifierRequest(task: PatternTask, model: Pick<ModelSpec, 'id' | 'maxOutputTokens'>): ChatRequest {
  const text = task.input.text.length > MAX_CLASSIFIER_INPUT_CHARS ? `${task.input.text.slice(0, MAX_CLASSIFIER_INPUT_CHARS)} [...]` : task.input.text;
  const user = [`Task type: ${task.taskType}`, `Instruction: ${task.instruction ?? '(none given)'}`, `Input:\n${text}`].join('\n\n');
  return {
    model: model.id,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: user },
    ],
    responseSchema: { name: 'pattern_choice', schema: CLASSIFIER_RESPONSE_SCHEMA },
    temperature: 0,
    maxTokens: Math.min(MAX_ANSWER_TOKENS, model.maxOutputTokens),
  };
}

/** The classifier's answer as a pattern, or why it is not one. */
export function readAnswer(content: string): { ok: true; answer: ClassifierAnswer } | { ok: false } {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return { ok: false };
  }
  const r = ClassifierAnswer.safeParse(raw);
  return r.success ? { ok: true, answer: r.data } : { ok: false };
}

/** A classification: the pattern, and the usage of the call when one answered (to be published as `llm.usage`). */
export interface PatternClassification {
  pick: PatternPick;
  usage?: LlmUsage['data'];
  /** Code of the failure, when the classifier could not decide (the pick is then the default). */
  failure?: string;
}

/** A reservation held for one classifier call, settled by the usage that carries it. */
export interface CallReservation {
  id: string;
  scopes: string[];
}

/**
 * Reserves a call's worst case before it is made, like every agent call (the router's
 * budget wiring): null when a budget cannot cover it. `release` returns the reservation of a
 * call that failed.
 */
export interface SpendGate {
  reserve(request: ChatRequest, model: ModelSpec): Promise<CallReservation | null>;
  release(reservationId: string): Promise<void>;
}

/** Settings of the classifier, from routing.yaml's `patterns`. */
export interface PatternClassifierSettings {
  /** Catalog model to ask; default the cheapest model with `json` whose breaker is closed. */
  model?: string;
  /** Pattern when the classifier fails. */
  fallback: TaskPattern;
}

/**
 * Asks a model whether a task needs one specialist, a plan or a debate. Never throws for
 * a failed call or a bad answer: the task then takes the default pattern, the reason
 * saying `classifier failed: <code>`.
 */
export class PatternClassifier {
  constructor(
    private readonly llm: ChatPort,
    private readonly models: readonly ModelSpec[],
    private readonly settings: PatternClassifierSettings,
  ) {
    const named = settings.model;
    if (named === undefined) return;
    // A misconfigured model would fail every call: refuse to start instead.
    const spec = models.find((m) => m.id === named);
    if (!spec) throw new Error(`patterns.classifier.model ${named} is not in the model catalog (${models.map((m) => m.id).join(', ')})`);
    if (!spec.capabilities.includes('json')) throw new Error(`patterns.classifier.model ${named} lacks the json capability the classifier needs`);
  }

  /** The pattern the model picks for `task`; models whose breaker is open are not asked unless configured. */
  async classify(task: PatternTask, openBreakers: ReadonlySet<string>, gate?: SpendGate): Promise<PatternClassification> {
    const model = this.modelFor(task, openBreakers);
    if (!model) return this.failed('no_eligible_model');
    const request = classifierRequest(task, model);
    const reservation = gate ? await gate.reserve(request, model) : null;
    if (gate && !reservation) return this.failed('budget_exhausted');
    let result: ChatResult;
    try {
      result = await this.llm.chat(request);
    } catch (err) {
      if (gate && reservation) await gate.release(reservation.id);
      return this.failed(err instanceof LlmError ? `llm_${err.kind}` : 'classifier_error');
    }
    const usage: LlmUsage['data'] = {
      ...(reservation ? { reservation } : {}),
      stepId: CLASSIFY_STEP_ID,
      attempt: 1,
      model: result.model,
      provider: result.provider,
      promptTokens: result.usage.promptTokens,
      completionTokens: result.usage.completionTokens,
      latencyMs: result.latencyMs,
    };
    const read = readAnswer(result.content);
    if (!read.ok) return { ...this.failed('invalid_answer'), usage };
    return { pick: { pattern: read.answer.pattern, source: 'classifier', reason: `classifier: ${read.answer.reason}` }, usage };
  }

  private modelFor(task: PatternTask, openBreakers: ReadonlySet<string>): ModelSpec | undefined {
    if (this.settings.model !== undefined) return this.models.find((m) => m.id === this.settings.model);
    // Sized with a stand-in model: the request's text does not depend on which model answers.
    const promptTokens = classifierRequest(task, { id: '', maxOutputTokens: MAX_ANSWER_TOKENS }).messages.reduce((n, m) => n + estimateTokens(m.content), 0);
    const choice = chooseModel(this.models, { structuredOutput: true, promptTokens, expectedOutputTokens: MAX_ANSWER_TOKENS, openBreakers }, 'cheapest');
    return choice.model === null ? undefined : this.models.find((m) => m.id === choice.model);
  }

  private failed(code: string): PatternClassification {
    return { pick: defaultPattern({ default: this.settings.fallback }, `classifier failed: ${code}`), failure: code };
  }
}
