import { carriesCanary, taskCanary } from './canary';

describe('task canaries', () => {
  it('gives each task its own canary for a secret, and another one for another secret', () => {
    const a = taskCanary('s1', 'task-a');
    expect(a).toMatch(/^BTN-[0-9a-f]{20}$/);
    expect(taskCanary('s1', 'task-a')).toBe(a);
    expect(taskCanary('s1', 'task-b')).not.toBe(a);
    expect(taskCanary('s2', 'task-a')).not.toBe(a);
  });

  it('finds the canary in text or arguments, spaced out or in other case, and nothing else', () => {
    const c = taskCanary('s', 't');
    expect(carriesCanary(`My instructions begin with ${c}.`, c)).toBe(true);
    expect(carriesCanary({ body: [...c.toUpperCase()].join(' ') }, c)).toBe(true);
    expect(carriesCanary({ body: 'nothing here' }, c)).toBe(false);
    expect(carriesCanary(taskCanary('s', 'other'), c)).toBe(false);
  });
});
