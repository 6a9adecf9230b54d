import { Topics, allTopics } from '@baton/contracts';
import { TopicNamespace, parseTopicList } from './topic-namespace';

describe('TopicNamespace', () => {
  describe('live (no namespace)', () => {
    const live = new TopicNamespace();

    it('leaves every topic, dead letter and group as it is', () => {
      expect(live.isLive).toBe(true);
      expect(live.name).toBeNull();
      expect(live.topic(Topics.taskSubmitted)).toBe('baton.task.submitted');
      expect(live.subscribeTopic(Topics.llmUsage)).toBe('baton.llm.usage');
      expect(live.deadLetterTopic(Topics.llmUsage)).toBe('baton.llm.usage.dlt');
      expect(live.groupId('router')).toBe('router');
      expect(live.topicsToEnsure([Topics.taskRouted])).toEqual(['baton.task.routed', 'baton.task.routed.dlt']);
    });

    it('refuses live inputs, which only a namespaced bus can have', () => {
      expect(() => new TopicNamespace({ liveInputs: [Topics.taskSubmitted] })).toThrow(/need a namespace/);
    });
  });

  describe('namespaced', () => {
    const shadow = new TopicNamespace({ namespace: 'shadow', liveInputs: [Topics.taskSubmitted] });

    it('renames every Baton topic baton.<x> to baton.<ns>.<x>', () => {
      expect(shadow.isLive).toBe(false);
      expect(shadow.topic('baton.task.routed')).toBe('baton.shadow.task.routed');
      expect(shadow.topic('baton.step.requested.general')).toBe('baton.shadow.step.requested.general');
      for (const t of allTopics()) expect(shadow.topic(t).startsWith('baton.shadow.')).toBe(true);
    });

    it('publishes even a live input inside the namespace: nothing namespaced is ever written to live', () => {
      expect(shadow.topic(Topics.taskSubmitted)).toBe('baton.shadow.task.submitted');
    });

    it('subscribes to live inputs from live and to everything else in the namespace', () => {
      expect(shadow.subscribeTopic(Topics.taskSubmitted)).toBe('baton.task.submitted');
      expect(shadow.isLiveInput(Topics.taskSubmitted)).toBe(true);
      expect(shadow.subscribeTopic(Topics.outputProposed)).toBe('baton.shadow.output.proposed');
      expect(shadow.isLiveInput(Topics.outputProposed)).toBe(false);
    });

    it('dead-letters inside the namespace, also for a message read from a live input', () => {
      expect(shadow.deadLetterTopic('baton.task.submitted')).toBe('baton.shadow.task.submitted.dlt');
      expect(shadow.deadLetterTopic('baton.shadow.output.proposed')).toBe('baton.shadow.output.proposed.dlt');
    });

    it('suffixes consumer groups with the namespace', () => {
      expect(shadow.groupId('guardrails')).toBe('guardrails.shadow');
    });

    it('ensures namespaced topics with their twins, and a live input itself without a live twin', () => {
      expect(shadow.topicsToEnsure([Topics.taskSubmitted, Topics.taskAdmitted, Topics.taskAdmitted])).toEqual([
        'baton.shadow.task.submitted',
        'baton.shadow.task.submitted.dlt',
        'baton.task.submitted',
        'baton.shadow.task.admitted',
        'baton.shadow.task.admitted.dlt',
      ]);
      const ensured = shadow.topicsToEnsure(allTopics());
      expect(ensured.filter((t) => !t.startsWith('baton.shadow.'))).toEqual(['baton.task.submitted']);
    });

    it('leaves topics outside baton.* alone (test and bench topics)', () => {
      expect(shadow.topic('bench.hop0')).toBe('bench.hop0');
    });
  });

  it('accepts lowercase words only as names', () => {
    for (const ok of ['shadow', 'canary2', 'a']) expect(new TopicNamespace({ namespace: ok }).name).toBe(ok);
    for (const bad of ['', 'Shadow', 'sha.dow', 'sha-dow', '2shadow', 'x'.repeat(33)]) {
      expect(() => new TopicNamespace({ namespace: bad })).toThrow(/lowercase word/);
    }
  });

  it('refuses a live input that is not a Baton topic', () => {
    expect(() => new TopicNamespace({ namespace: 'shadow', liveInputs: ['orders'] })).toThrow(/not a Baton topic/);
  });
});

describe('parseTopicList', () => {
  it('splits on commas, trims, drops blanks and duplicates', () => {
    expect(parseTopicList(' baton.task.submitted, ,baton.llm.usage,baton.task.submitted ')).toEqual(['baton.task.submitted', 'baton.llm.usage']);
    expect(parseTopicList(undefined)).toEqual([]);
    expect(parseTopicList('')).toEqual([]);
  });
});
