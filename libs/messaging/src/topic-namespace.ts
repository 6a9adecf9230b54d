import { deadLetterTopic } from '@baton/contracts';

/** A namespace name: a lowercase word (`shadow`), so it reads as one dotted segment of a topic. */
export const NAMESPACE_PATTERN = /^[a-z][a-z0-9]{0,31}$/;

/** Prefix of the topics a namespace renames; other topics (tests', the bench's) are not Baton's and stay as they are. */
const BATON_TOPIC_PREFIX = 'baton.';

/** Where a bus lives: live (no namespace), or an isolated copy of the pipeline fed by some live topics. */
export interface TopicNamespaceOptions {
  /** Namespace name; null or undefined means live. */
  namespace?: string | null;
  /** Live topics a namespaced bus subscribes to as they are, instead of their namespaced copies. */
  liveInputs?: readonly string[];
}

/**
 * The pure topic and group mapping of a namespace. With namespace `shadow`, every topic
 * `baton.<x>` becomes `baton.shadow.<x>` (publish, subscribe, ensure, dead letters) and every
 * consumer group `<g>` becomes `<g>.shadow`, so a second copy of the pipeline shares the broker
 * without reading or writing one live message. The one way in is `liveInputs`: those topics are
 * subscribed to from live, but never published to, and their dead letters stay in the namespace.
 */
export class TopicNamespace {
  /** The namespace name, or null for live. */
  readonly name: string | null;
  private readonly liveInputs: ReadonlySet<string>;

  constructor(opts: TopicNamespaceOptions = {}) {
    const name = opts.namespace ?? null;
    if (name !== null && !NAMESPACE_PATTERN.test(name)) {
      throw new RangeError(`namespace must be a lowercase word (letters and digits, up to 32), got ${JSON.stringify(name)}`);
    }
    const liveInputs = opts.liveInputs ?? [];
    if (name === null && liveInputs.length > 0) {
      // Live inputs only mean something to a namespaced bus; on a live bus they point at a misconfiguration.
      throw new Error(`live inputs (${liveInputs.join(', ')}) need a namespace`);
    }
    for (const topic of liveInputs) {
      if (!topic.startsWith(BATON_TOPIC_PREFIX)) throw new RangeError(`live input ${JSON.stringify(topic)} is not a Baton topic (baton.*)`);
    }
    this.name = name;
    this.liveInputs = new Set(liveInputs);
  }

  /** True for live (no namespace). */
  get isLive(): boolean {
    return this.name === null;
  }

  /** The namespaced name of a topic; what is published to. A live input is published to in the namespace too. */
  topic(topic: string): string {
    if (this.name === null || !topic.startsWith(BATON_TOPIC_PREFIX)) return topic;
    return `${BATON_TOPIC_PREFIX}${this.name}.${topic.slice(BATON_TOPIC_PREFIX.length)}`;
  }

  /** The topic a subscription to `topic` reads: the live topic for a live input, else the namespaced one. */
  subscribeTopic(topic: string): string {
    return this.liveInputs.has(topic) ? topic : this.topic(topic);
  }

  /** True when `topic` is read from live. */
  isLiveInput(topic: string): boolean {
    return this.liveInputs.has(topic);
  }

  /** The dead-letter topic of a message consumed from `consumedTopic`; always inside the namespace. */
  deadLetterTopic(consumedTopic: string): string {
    // A consumed topic is already namespaced unless it is a live input.
    return deadLetterTopic(this.liveInputs.has(consumedTopic) ? this.topic(consumedTopic) : consumedTopic);
  }

  /** The consumer group id of group `groupId` in this namespace. */
  groupId(groupId: string): string {
    return this.name === null ? groupId : `${groupId}.${this.name}`;
  }

  /**
   * Every topic to create so that `topics` can be published to and subscribed to: each
   * namespaced topic and its dead-letter twin, plus the live inputs among them (without a
   * twin: their dead letters stay in the namespace). Creating a live topic that exists is a no-op.
   */
  topicsToEnsure(topics: readonly string[]): string[] {
    const all = topics.flatMap((t) => {
      const own = this.topic(t);
      return this.liveInputs.has(t) ? [own, deadLetterTopic(own), t] : [own, deadLetterTopic(own)];
    });
    return [...new Set(all)];
  }
}

/** Parses a comma-separated topic list (`BATON_LIVE_INPUTS`); blanks are dropped. */
export function parseTopicList(text: string | undefined): string[] {
  return [...new Set((text ?? '').split(',').map((t) => t.trim()).filter(Boolean))];
}
