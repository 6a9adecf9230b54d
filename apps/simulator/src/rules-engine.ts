import { SimRule, type SimReply, type SimRuleInput } from './sim-types';

/** What a request is matched on. */
export interface MatchInput {
  model: string;
  /** Text of every message. */
  texts: string[];
}

/** The engine's verdict for one request. */
export type RuleOutcome =
  | { kind: 'reply'; ruleId: string; replyIndex: number; reply: SimReply }
  | { kind: 'exhausted'; ruleId: string }
  | { kind: 'none' };

interface ActiveRule {
  rule: SimRule & { id: string };
  used: number;
}

/** A rule list failed validation or clashes with the rules loaded. */
export class RuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleError';
  }
}

/**
 * The simulator's script. The newest matching rule answers; a non-repeating rule hands out
 * its replies once each, then answers every further match with "exhausted" instead of
 * falling through to older rules, so a test that sends more requests than it scripted fails
 * where the mistake is.
 */
export class RulesEngine {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  /**
   * Validates and adds one rule or a list (oldest first); returns their ids. Adds none if
   * any is invalid. Takes `unknown` because HTTP bodies and script files arrive unchecked.
   */
  add(input: SimRuleInput | SimRuleInput[] | unknown): string[] {
    const list: unknown[] = Array.isArray(input) ? input : [input];
    const parsed: ActiveRule[] = [];
    list.forEach((raw, i) => {
      const result = SimRule.safeParse(raw);
      if (!result.success) {
        const issues = result.error.issues.map((x) => `${x.path.join('.') || '(rule)'}: ${x.message}`).join('; ');
        throw new RuleError(`invalid rule #${i}: ${issues}`);
      }
      const id = result.data.id ?? `rule-${this.nextId++}`;
      if (this.rules.some((r) => r.rule.id === id) || parsed.some((r) => r.rule.id === id)) {
        throw new RuleError(`a rule with id "${id}" is already loaded; clear the rules first`);
      }
      parsed.push({ rule: { ...result.data, id }, used: 0 });
    });
    this.rules.push(...parsed);
    return parsed.map((r) => r.rule.id);
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** Rules with how many replies each has handed out, oldest first. */
  list(): Array<SimRule & { id: string; used: number }> {
    return this.rules.map((r) => ({ ...r.rule, used: r.used }));
  }

  /** Picks the reply for a request and consumes it. */
  next(input: MatchInput): RuleOutcome {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const active = this.rules[i];
      if (!matches(active.rule, input)) continue;
      const { replies, repeat, id } = active.rule;
      if (!repeat && active.used >= replies.length) return { kind: 'exhausted', ruleId: id };
      const replyIndex = active.used % replies.length;
      active.used++;
      return { kind: 'reply', ruleId: id, replyIndex, reply: replies[replyIndex] };
    }
    return { kind: 'none' };
  }
}

function matches(rule: SimRule, input: MatchInput): boolean {
  const { model, contains } = rule.match;
  if (model !== undefined && model !== input.model) return false;
  if (contains !== undefined && !input.texts.some((t) => t.includes(contains))) return false;
  return true;
}
