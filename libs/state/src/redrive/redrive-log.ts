import type { StateDeps } from '../state-deps';
import { redriveAbandonScript } from './redrive.scripts';

/** How long a redrive is remembered: longer than any dead-letter topic's retention is useful for. */
export const REDRIVE_LOG_TTL_SECONDS = 30 * 86_400;
/** How long a started redrive holds its dead letter: a caller that dies mid-way frees it after this. */
export const REDRIVE_PENDING_MS = 60_000;

/** One dead letter's redrive, as the log keeps it. */
export interface RedriveEntry {
  /** `pending` while it is being sent; `done` once the broker took it. */
  state: 'pending' | 'done';
  /** Who asked for it: `key:<id>` of the API key. */
  by: string;
  /** When it started or finished, ISO 8601. */
  at: string;
  /** Where the original was sent back to, once done. */
  to?: { topic: string; partition: number; offset: string };
}

/**
 * Which dead letters were sent back to their topic, so a second redrive of the same record
 * is refused. A redrive first takes its dead letter with a short lease (SET NX), sends, then
 * records the result; a failed send gives the lease back, a crash lets it lapse.
 */
export class RedriveLog {
  constructor(private readonly deps: StateDeps) {}

  private key(deadLetterTopic: string, partition: number, offset: string): string {
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(deadLetterTopic)) throw new RangeError(`not a topic name: ${JSON.stringify(deadLetterTopic)}`);
    if (!Number.isInteger(partition) || partition < 0 || !/^\d{1,19}$/.test(offset)) throw new RangeError(`bad address ${partition}/${offset}`);
    return `${this.deps.keys.prefix}dlq:redrive:{${deadLetterTopic}}:${partition}:${offset}`;
  }

  /** Takes the dead letter for a redrive; when it was taken before, the entry that holds it. */
  async begin(deadLetterTopic: string, partition: number, offset: string, by: string): Promise<{ begun: true; entry: RedriveEntry } | { begun: false; entry: RedriveEntry }> {
    const key = this.key(deadLetterTopic, partition, offset);
    const entry: RedriveEntry = { state: 'pending', by, at: this.deps.now().toISOString() };
    for (;;) {
      if ((await this.deps.redis.set(key, JSON.stringify(entry), 'PX', REDRIVE_PENDING_MS, 'NX')) === 'OK') return { begun: true, entry };
      const held = await this.deps.redis.get(key);
      // Lapsed between the two calls: try again.
      if (held !== null) return { begun: false, entry: JSON.parse(held) as RedriveEntry };
    }
  }

  /** Records where the redrive sent the original; from now on the dead letter is refused for good. */
  async finish(deadLetterTopic: string, partition: number, offset: string, by: string, to: NonNullable<RedriveEntry['to']>): Promise<RedriveEntry> {
    const entry: RedriveEntry = { state: 'done', by, at: this.deps.now().toISOString(), to };
    await this.deps.redis.set(this.key(deadLetterTopic, partition, offset), JSON.stringify(entry), 'EX', REDRIVE_LOG_TTL_SECONDS);
    return entry;
  }

  /** Gives back a redrive that did not send, so it can be tried again at once. */
  async abandon(deadLetterTopic: string, partition: number, offset: string, pending: RedriveEntry): Promise<void> {
    await redriveAbandonScript.run(this.deps.redis, { key: this.key(deadLetterTopic, partition, offset), pending: JSON.stringify(pending) });
  }

  /** The redrive of a dead letter, if any. */
  async get(deadLetterTopic: string, partition: number, offset: string): Promise<RedriveEntry | null> {
    const held = await this.deps.redis.get(this.key(deadLetterTopic, partition, offset));
    return held === null ? null : (JSON.parse(held) as RedriveEntry);
  }
}
