import type { DebateSpec, JsonSchemaObject } from '@baton/contracts';

/** One participant's vote; `null` when the participant gave no valid answer in its attempts. */
export interface Ballot {
  participant: string;
  role: string;
  model: string;
  weight: number;
  vote: string | null;
  rationale: string;
}

/** How a debate ended. */
export type Tally =
  | { outcome: 'decided'; decision: string; counts: Record<string, number>; weights: Record<string, number> }
  | { outcome: 'tie'; counts: Record<string, number>; weights: Record<string, number>; leaders: string[] };

/** What a debate step outputs: the decision, how it was reached, every vote, and who dissented. */
export interface DebateOutcome {
  decision: string;
  decidedBy: 'vote' | 'judge' | 'human';
  rule: DebateSpec['rule'];
  counts: Record<string, number>;
  votes: Array<{ participant: string; role: string; model: string; vote: string | null; weight: number; rationale: string }>;
  dissent: Array<{ participant: string; role: string; vote: string | null; rationale: string }>;
  /** Why the judge or the human picked the decision, after a tie. */
  tieBreak?: string;
}

/** The step id of participant `index` (0-based) of debate step `stepId`; a dot keeps it apart from plan step ids. */
export function participantStepId(stepId: string, index: number): string {
  return `${stepId}.p${index + 1}`;
}

/** The step id of the judge of debate step `stepId`. */
export function judgeStepId(stepId: string): string {
  return `${stepId}.judge`;
}

/** What every participant must answer: one of the choices and why. */
export function ballotSchema(choices: readonly string[]): JsonSchemaObject {
  return {
    type: 'object',
    properties: { vote: { type: 'string', enum: [...choices] }, rationale: { type: 'string', minLength: 1 } },
    required: ['vote', 'rationale'],
    additionalProperties: false,
  };
}

/** What the judge must answer after a tie. */
export function verdictSchema(choices: readonly string[]): JsonSchemaObject {
  return {
    type: 'object',
    properties: { choice: { type: 'string', enum: [...choices] }, reason: { type: 'string', minLength: 1 } },
    required: ['choice', 'reason'],
    additionalProperties: false,
  };
}

export function participantInstruction(question: string, choices: readonly string[]): string {
  return `${question}\n\nVote for exactly one of: ${choices.join(', ')}. Give the rationale a reviewer can check.`;
}

export function judgeInstruction(question: string, choices: readonly string[]): string {
  return `${question}\n\nThe participants did not reach a decision; their votes and rationales are in input.data.votes. Weigh the arguments and pick exactly one of: ${choices.join(', ')}.`;
}

/** Reads a participant's approved output as a vote; anything else counts as no vote. */
export function readBallot(output: unknown, choices: readonly string[]): { vote: string | null; rationale: string } {
  if (typeof output === 'object' && output !== null) {
    const o = output as { vote?: unknown; rationale?: unknown };
    if (typeof o.vote === 'string' && choices.includes(o.vote)) return { vote: o.vote, rationale: typeof o.rationale === 'string' ? o.rationale : '' };
  }
  return { vote: null, rationale: 'no valid vote' };
}

/**
 * Counts the ballots under the debate's rule. Every participant counts toward the total,
 * so an abstention makes a majority harder, never easier.
 * - majority: one choice has more than half of all participants' votes;
 * - weighted: one choice has more than half of all participants' weight;
 * - quorum: exactly one choice has at least `quorum` votes.
 */
export function tally(spec: DebateSpec, ballots: readonly Ballot[]): Tally {
  const counts: Record<string, number> = Object.fromEntries(spec.choices.map((c) => [c, 0]));
  const weights: Record<string, number> = Object.fromEntries(spec.choices.map((c) => [c, 0]));
  for (const b of ballots) {
    if (b.vote === null) continue;
    counts[b.vote] += 1;
    weights[b.vote] += b.weight;
  }
  const totalVotes = ballots.length;
  const totalWeight = ballots.reduce((sum, b) => sum + b.weight, 0);
  let winners: string[];
  switch (spec.rule) {
    case 'majority':
      winners = spec.choices.filter((c) => counts[c] * 2 > totalVotes);
      break;
    case 'weighted':
      winners = spec.choices.filter((c) => weights[c] * 2 > totalWeight);
      break;
    case 'quorum':
      winners = spec.choices.filter((c) => counts[c] >= (spec.quorum ?? totalVotes));
      break;
  }
  if (winners.length === 1) return { outcome: 'decided', decision: winners[0], counts, weights };
  const score = spec.rule === 'weighted' ? weights : counts;
  const top = Math.max(...spec.choices.map((c) => score[c]));
  return { outcome: 'tie', counts, weights, leaders: spec.choices.filter((c) => score[c] === top) };
}

/** The debate step's output once a decision is known. */
export function debateOutcome(
  spec: DebateSpec,
  ballots: readonly Ballot[],
  decision: string,
  decidedBy: DebateOutcome['decidedBy'],
  tieBreak?: string,
): DebateOutcome {
  const { counts } = tally(spec, ballots);
  return {
    decision,
    decidedBy,
    rule: spec.rule,
    counts,
    votes: ballots.map((b) => ({ participant: b.participant, role: b.role, model: b.model, vote: b.vote, weight: b.weight, rationale: b.rationale })),
    dissent: ballots.filter((b) => b.vote !== decision).map((b) => ({ participant: b.participant, role: b.role, vote: b.vote, rationale: b.rationale })),
    ...(tieBreak ? { tieBreak } : {}),
  };
}
