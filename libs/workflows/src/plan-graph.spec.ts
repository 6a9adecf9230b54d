import type { Plan } from '@baton/contracts';
import { planProblems, readySteps, resultStepId, topologicalOrder } from './plan-graph';

const step = (id: string, dependsOn: string[] = []) => ({ id, role: 'general' as const, instruction: `do ${id}`, dependsOn });
const diamond: Plan = { steps: [step('a'), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])] };

describe('plan graph', () => {
  it('finds no problem in a sound diamond and orders it', () => {
    expect(planProblems(diamond)).toEqual([]);
    const order = topologicalOrder(diamond)!;
    expect(order[0]).toBe('a');
    expect(order[3]).toBe('d');
    expect(order.indexOf('b')).toBeLessThan(order.indexOf('d'));
  });

  it('names duplicate ids, unknown dependencies, self-dependencies and a bad result step', () => {
    const problems = planProblems({ steps: [step('a'), step('a'), step('b', ['x']), step('c', ['c'])], resultStep: 'z' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'step id a is used twice',
        'step b depends on unknown step x',
        'step c depends on itself',
        'result step z is not a step',
      ]),
    );
  });

  it('detects a cycle', () => {
    const cyclic: Plan = { steps: [step('a', ['c']), step('b', ['a']), step('c', ['b'])] };
    expect(topologicalOrder(cyclic)).toBeNull();
    expect(planProblems(cyclic)).toEqual(['the steps depend on each other in a cycle']);
  });

  it('releases steps as their dependencies finish, in parallel where independent', () => {
    expect(readySteps(diamond, new Set(), new Set()).map((s) => s.id)).toEqual(['a']);
    expect(readySteps(diamond, new Set(['a']), new Set(['a'])).map((s) => s.id)).toEqual(['b', 'c']);
    expect(readySteps(diamond, new Set(['a', 'b', 'c']), new Set(['a', 'b'])).map((s) => s.id)).toEqual([]);
    expect(readySteps(diamond, new Set(['a', 'b', 'c']), new Set(['a', 'b', 'c'])).map((s) => s.id)).toEqual(['d']);
  });

  it('takes the declared result step, else the last step', () => {
    expect(resultStepId(diamond)).toBe('d');
    expect(resultStepId({ ...diamond, resultStep: 'b' })).toBe('b');
  });
});
