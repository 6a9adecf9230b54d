/**
 * Remembers which events a consumer group has handled. The durable implementation lives
 * on Redis in the state lib; the bus only needs this shape.
 */
export interface DedupeStore {
  /** Whether `group` already handled `eventId`. */
  isDone(group: string, eventId: string): Promise<boolean>;
  /** Records that `group` handled `eventId`. */
  markDone(group: string, eventId: string): Promise<void>;
}

/** A bounded set of ids that forgets the least recently seen first. */
export class RecentIds {
  // A Map iterates in insertion order, so re-inserting on access makes its first key the oldest.
  private readonly ids = new Map<string, true>();

  constructor(readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be an integer >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    if (!this.ids.has(id)) return false;
    this.ids.delete(id);
    this.ids.set(id, true);
    return true;
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.keys().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}

/**
 * Best-effort dedupe in process memory, one bounded set per group: catches redeliveries
 * after a rebalance within one process, forgets everything on restart.
 */
export class InMemoryDedupeStore implements DedupeStore {
  private readonly groups = new Map<string, RecentIds>();

  constructor(private readonly capacityPerGroup = 10_000) {}

  async isDone(group: string, eventId: string): Promise<boolean> {
    return this.groups.get(group)?.has(eventId) ?? false;
  }

  async markDone(group: string, eventId: string): Promise<void> {
    let ids = this.groups.get(group);
    if (!ids) {
      ids = new RecentIds(this.capacityPerGroup);
      this.groups.set(group, ids);
    }
    ids.add(eventId);
  }
}
