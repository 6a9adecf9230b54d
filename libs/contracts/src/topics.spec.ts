import { AGENT_ROLES } from './common';
import { EVENT_DEFINITIONS } from './events';
import { Topics, allTopics, deadLetterTopic, stepRequestedTopic } from './topics';

describe('stepRequestedTopic', () => {
  it('gives each role its own step topic', () => {
    expect(stepRequestedTopic('general')).toBe('baton.step.requested.general');
    expect(stepRequestedTopic('sales')).toBe('baton.step.requested.sales');
    expect(stepRequestedTopic('recruiting')).toBe('baton.step.requested.recruiting');
  });
});

describe('deadLetterTopic', () => {
  it('appends .dlt', () => {
    expect(deadLetterTopic('baton.task.submitted')).toBe('baton.task.submitted.dlt');
    expect(deadLetterTopic(stepRequestedTopic('sales'))).toBe('baton.step.requested.sales.dlt');
  });
});

describe('allTopics', () => {
  const topics = allTopics();

  it('has no duplicates', () => {
    expect(new Set(topics).size).toBe(topics.length);
  });

  it('holds every fixed topic and one step topic per role, and nothing else', () => {
    const expected = [...Object.values(Topics), ...AGENT_ROLES.map((r) => `baton.step.requested.${r}`)];
    expect([...topics].sort()).toEqual([...expected].sort());
    expect(topics).toEqual(expect.arrayContaining(['baton.step.requested.general', 'baton.step.requested.sales', 'baton.step.requested.recruiting']));
  });

  it('leaves the dead-letter twins out', () => {
    expect(topics.filter((t) => t.endsWith('.dlt'))).toEqual([]);
  });

  it('names topics in dotted lowercase under baton.', () => {
    for (const t of topics) expect(t).toMatch(/^baton(\.[a-z]+)+$/);
  });

  it('covers every topic an event definition can publish on', () => {
    for (const def of EVENT_DEFINITIONS) {
      const topicFor = def.topic as (data: unknown) => string;
      for (const role of AGENT_ROLES) expect(topics).toContain(topicFor({ role }));
    }
  });
});
