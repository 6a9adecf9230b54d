import type { Pattern, TaskSpec } from '@baton/contracts';
import { matchTaskType, type PatternsConfig } from './routing-config';

/** Which rule chose a task's pattern. */
export type PatternSource = 'workflow' | 'task' | 'task-type' | 'content-rule' | 'classifier' | 'default';

/** A task's orchestration pattern, the rule that chose it, and why in one sentence. */
export interface PatternPick {
  pattern: Pattern;
  source: PatternSource;
  /** Published as task.routed's `patternReason`. */
  reason: string;
}

/** The task fields the pattern rules read. */
export type PatternTask = Pick<TaskSpec, 'taskType' | 'workflow' | 'pattern' | 'instruction' | 'input'>;

/** Asks the classifier for the pattern of a task no rule covers. */
export type ClassifyPattern = (task: PatternTask) => Promise<PatternPick>;

/**
 * The pattern the rules decide, first match wins: a named workflow; the submitter's
 * pattern; the task type's (exact, else the longest family); the first content rule
 * matching the instruction or input text. Undefined when none applies.
 */
export function patternByRules(task: PatternTask, rules: PatternsConfig): PatternPick | undefined {
  if (task.workflow) return { pattern: 'workflow', source: 'workflow', reason: `the task names workflow ${task.workflow}` };
  if (task.pattern) return { pattern: task.pattern, source: 'task', reason: `the submitter asked for ${task.pattern}` };
  const byType = matchTaskType(rules.byTaskType, task.taskType);
  if (byType) {
    const reason =
      byType.key === task.taskType
        ? `task type ${task.taskType} is configured for ${byType.value}`
        : `task type ${task.taskType} falls under ${byType.key}, configured for ${byType.value}`;
    return { pattern: byType.value, source: 'task-type', reason };
  }
  const text = [task.instruction, task.input.text].filter(Boolean).join('\n');
  const rule = rules.contentRules.find((r) => r.match.test(text));
  if (rule) return { pattern: rule.pattern, source: 'content-rule', reason: `content rule '${rule.why}' matched` };
  return undefined;
}

/** The configured default pattern; `why` says why no other answer stands. */
export function defaultPattern(rules: Pick<PatternsConfig, 'default'>, why = `no rule matched; default ${rules.default}`): PatternPick {
  return { pattern: rules.default, source: 'default', reason: why };
}

/**
 * A task's pattern: the rules (patternByRules), else the classifier when it is enabled,
 * else the configured default.
 */
export async function choosePattern(task: PatternTask, rules: PatternsConfig, classify: ClassifyPattern): Promise<PatternPick> {
  const ruled = patternByRules(task, rules);
  if (ruled) return ruled;
  if (rules.classifier.enabled) return classify(task);
  return defaultPattern(rules);
}
