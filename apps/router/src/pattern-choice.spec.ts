import { choosePattern, defaultPattern, patternByRules, type PatternPick, type PatternTask } from './pattern-choice';
import { RoutingPolicies } from './routing-config';

const rules = RoutingPolicies.parse(
  {
    patterns: {
      default: 'single',
      byTaskType: { 'fraud.review': 'debate', 'fraud.*': 'single', 'research.*': 'plan', 'research.quick.*': 'single' },
      contentRules: [
        { match: '\\b(compare|which is better|should we)\\b', pattern: 'debate', why: 'compare options' },
        { match: 'step by step', pattern: 'plan', why: 'asks for steps' },
      ],
    },
  },
  'test',
).patterns;

const task = (over: Partial<PatternTask> = {}): PatternTask => ({ taskType: 'ticket.summarize', input: { text: 'The printer jams.' }, ...over });

const neverAsked = (): Promise<PatternPick> => Promise.reject(new Error('the classifier must not be asked'));

describe('patternByRules', () => {
  it('gives a named workflow the workflow pattern over every other rule', () => {
    expect(patternByRules(task({ workflow: 'fraud-hold', pattern: 'debate', taskType: 'fraud.review' }), rules)).toEqual({
      pattern: 'workflow',
      source: 'workflow',
      reason: 'the task names workflow fraud-hold',
    });
  });

  it("takes the submitter's pattern over the configured ones", () => {
    expect(patternByRules(task({ taskType: 'fraud.review', pattern: 'single' }), rules)).toEqual({
      pattern: 'single',
      source: 'task',
      reason: 'the submitter asked for single',
    });
  });

  it('takes the exact task type, else the longest family, saying which', () => {
    expect(patternByRules(task({ taskType: 'fraud.review' }), rules)).toEqual({
      pattern: 'debate',
      source: 'task-type',
      reason: 'task type fraud.review is configured for debate',
    });
    expect(patternByRules(task({ taskType: 'research.market' }), rules)).toEqual({
      pattern: 'plan',
      source: 'task-type',
      reason: 'task type research.market falls under research.*, configured for plan',
    });
    expect(patternByRules(task({ taskType: 'research.quick.facts' }), rules)?.pattern).toBe('single');
    // Whole segments only: `research.*` does not cover `research` or `researcher.x`.
    expect(patternByRules(task({ taskType: 'research' }), rules)).toBeUndefined();
    expect(patternByRules(task({ taskType: 'researcher.x' }), rules)).toBeUndefined();
  });

  it('puts the task type before the content rules', () => {
    expect(patternByRules(task({ taskType: 'fraud.signal', input: { text: 'Should we hold it?' } }), rules)?.source).toBe('task-type');
  });

  it('tries the content rules in order, case-insensitively, on the instruction and the input text', () => {
    expect(patternByRules(task({ input: { text: 'Which is BETTER, plan A or plan B?' } }), rules)).toEqual({
      pattern: 'debate',
      source: 'content-rule',
      reason: "content rule 'compare options' matched",
    });
    expect(patternByRules(task({ instruction: 'Explain it step by step.' }), rules)?.reason).toBe("content rule 'asks for steps' matched");
    // Both match: the first rule wins.
    expect(patternByRules(task({ instruction: 'Compare them step by step.' }), rules)?.pattern).toBe('debate');
    // Word boundaries hold: `comparer` is not `compare`.
    expect(patternByRules(task({ input: { text: 'The comparer tool crashed.' } }), rules)).toBeUndefined();
  });

  it('answers undefined when no rule applies', () => {
    expect(patternByRules(task(), rules)).toBeUndefined();
  });
});

describe('choosePattern', () => {
  it('uses the rules first, never asking the classifier', async () => {
    const enabled = { ...rules, classifier: { enabled: true } };
    await expect(choosePattern(task({ taskType: 'fraud.review' }), enabled, neverAsked)).resolves.toMatchObject({ pattern: 'debate' });
  });

  it('falls back to the default when the classifier is off', async () => {
    await expect(choosePattern(task(), rules, neverAsked)).resolves.toEqual({ pattern: 'single', source: 'default', reason: 'no rule matched; default single' });
    const planByDefault = { ...rules, default: 'plan' as const };
    await expect(choosePattern(task(), planByDefault, neverAsked)).resolves.toEqual({ pattern: 'plan', source: 'default', reason: 'no rule matched; default plan' });
  });

  it('asks the classifier when no rule applies and it is enabled', async () => {
    const pick: PatternPick = { pattern: 'plan', source: 'classifier', reason: 'classifier: it needs research and writing' };
    const classify = jest.fn((_t: PatternTask) => Promise.resolve(pick));
    const t = task();
    await expect(choosePattern(t, { ...rules, classifier: { enabled: true } }, classify)).resolves.toBe(pick);
    expect(classify).toHaveBeenCalledWith(t);
  });

  it('uses the single pattern when the configuration says nothing', async () => {
    const empty = RoutingPolicies.parse(null, 'empty').patterns;
    await expect(choosePattern(task({ taskType: 'fraud.review' }), empty, neverAsked)).resolves.toEqual(defaultPattern({ default: 'single' }));
  });
});
