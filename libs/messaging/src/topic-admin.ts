import type { Admin } from 'kafkajs';
import { sleep } from './timing';

const LEADER_WAIT_MS = 30_000;

/** The audit trail is kept for a long time (400 days); every other topic keeps the broker's default. */
const AUDIT_RETENTION_MS = String(400 * 24 * 3600 * 1000);

/** Per-topic settings at creation: long retention for the audit topic (and its namespaced copies). */
export function topicConfig(topic: string): Array<{ name: string; value: string }> {
  return /\.audit$/.test(topic) ? [{ name: 'retention.ms', value: AUDIT_RETENTION_MS }] : [];
}

/**
 * Creates the topics that do not exist yet, replication 1. Several services start at once
 * and race to create the same topics; losing that race is fine.
 */
export async function ensureTopicsExist(admin: Admin, topics: string[], partitions: number): Promise<void> {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be >= 1, got ${partitions}`);
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(topics)].filter((t) => !existing.has(t));
  if (missing.length === 0) return;
  // Resolves false rather than throwing when every failure is TOPIC_ALREADY_EXISTS (the race).
  // kafkajs's own leader wait is off: when several services create the same topics at once
  // on a fresh broker its metadata call can fail with UNKNOWN_TOPIC_OR_PARTITION and throw,
  // and after a lost race it skips the wait anyway. Ours retries until the leaders exist.
  await admin.createTopics({
    topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1, configEntries: topicConfig(topic) })),
    waitForLeaders: false,
  });
  await waitForLeaders(admin, missing);
}

async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      const ready = meta.length === topics.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (ready) return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    if (Date.now() >= deadline) throw new Error(`topics have no leader after ${LEADER_WAIT_MS} ms: ${topics.join(', ')}`);
    await sleep(100);
  }
}

/**
 * Commits the current end of `topic` for every partition where `groupId` has no committed
 * offset yet; returns how many it set. A new group told to start at the latest message
 * otherwise resolves "latest" at its first fetch, after it has reported joined, and skips
 * whatever is published in between. Throws when a member of the group is already running
 * (its own position stands then).
 */
export async function commitEndWhereUncommitted(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const unset = new Set((committed?.partitions ?? []).filter((p) => Number(p.offset) < 0).map((p) => p.partition));
  if (unset.size === 0) return 0;
  const ends = await admin.fetchTopicOffsets(topic);
  const partitions = ends.filter((e) => unset.has(e.partition)).map((e) => ({ partition: e.partition, offset: e.high }));
  if (partitions.length === 0) return 0;
  await admin.setOffsets({ groupId, topic, partitions });
  return partitions.length;
}
