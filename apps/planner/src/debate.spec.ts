import type { DebateSpec } from '@baton/contracts';
import { debateOutcome, readBallot, tally, type Ballot } from './debate';

const spec = (over: Partial<DebateSpec> = {}): DebateSpec => ({
  participants: [{ role: 'risk' }, { role: 'compliance' }, { role: 'general' }],
  choices: ['hold', 'release'],
  rule: 'majority',
  onTie: 'judge',
  ...over,
});
const ballot = (i: number, vote: string | null, weight = 1): Ballot => ({ participant: `d.p${i}`, role: 'risk', model: 'm', weight, vote, rationale: `r${i}` });

describe('tally', () => {
  it('majority: more than half of all participants decides', () => {
    expect(tally(spec(), [ballot(1, 'hold'), ballot(2, 'hold'), ballot(3, 'release')])).toMatchObject({ outcome: 'decided', decision: 'hold', counts: { hold: 2, release: 1 } });
  });

  it('majority: an abstention counts toward the total, so 1 of 3 with 1 against is a tie', () => {
    const t = tally(spec(), [ballot(1, 'hold'), ballot(2, 'release'), ballot(3, null)]);
    expect(t).toMatchObject({ outcome: 'tie', leaders: ['hold', 'release'] });
  });

  it('majority: an even split of four is a tie', () => {
    const four = spec({ participants: [{ role: 'risk' }, { role: 'risk' }, { role: 'risk' }, { role: 'risk' }] });
    expect(tally(four, [ballot(1, 'hold'), ballot(2, 'hold'), ballot(3, 'release'), ballot(4, 'release')]).outcome).toBe('tie');
  });

  it('weighted: more than half the weight wins even when outvoted', () => {
    const t = tally(spec({ rule: 'weighted' }), [ballot(1, 'hold', 5), ballot(2, 'release', 1), ballot(3, 'release', 1)]);
    expect(t).toMatchObject({ outcome: 'decided', decision: 'hold', weights: { hold: 5, release: 2 } });
  });

  it('weighted: exactly half the weight is not enough', () => {
    expect(tally(spec({ rule: 'weighted' }), [ballot(1, 'hold', 2), ballot(2, 'release', 1), ballot(3, 'release', 1)]).outcome).toBe('tie');
  });

  it('quorum: the choice with at least the quorum wins; without it there is no decision', () => {
    expect(tally(spec({ rule: 'quorum', quorum: 2 }), [ballot(1, 'hold'), ballot(2, 'hold'), ballot(3, 'release')])).toMatchObject({ decision: 'hold' });
    expect(tally(spec({ rule: 'quorum', quorum: 3 }), [ballot(1, 'hold'), ballot(2, 'hold'), ballot(3, 'release')]).outcome).toBe('tie');
  });
});

describe('debate outcome', () => {
  it('records every vote and the dissenters, abstentions included', () => {
    const out = debateOutcome(spec(), [ballot(1, 'hold'), ballot(2, 'hold'), ballot(3, null)], 'hold', 'vote');
    expect(out.decision).toBe('hold');
    expect(out.votes).toHaveLength(3);
    expect(out.dissent).toEqual([{ participant: 'd.p3', role: 'risk', vote: null, rationale: 'r3' }]);
  });

  it('reads a ballot only when the vote is one of the choices', () => {
    expect(readBallot({ vote: 'hold', rationale: 'x' }, ['hold', 'release'])).toEqual({ vote: 'hold', rationale: 'x' });
    expect(readBallot({ vote: 'maybe' }, ['hold', 'release']).vote).toBeNull();
    expect(readBallot('hold', ['hold', 'release']).vote).toBeNull();
  });
});
