import { Attr, Metric, MetricAttr, metricCounter, observeMetric } from '@baton/telemetry';
import type { DeadLetterReason } from './dead-letter';

const MESSAGING_SYSTEM = 'kafka';

const consumed = metricCounter(Metric.consumedMessages);
const deadLetters = metricCounter(Metric.deadLetters);

/** Counts a message handed to a consumer group's pipeline. */
export function countConsumed(groupId: string, topic: string, partition: number): void {
  consumed.add(1, {
    [Attr.messagingSystem]: MESSAGING_SYSTEM,
    [MetricAttr.messagingOperationName]: 'process',
    [Attr.messagingDestination]: topic,
    [Attr.messagingConsumerGroup]: groupId,
    [Attr.messagingPartition]: String(partition),
  });
}

/** Counts a message whose dead-letter record was written. */
export function countDeadLetter(groupId: string, topic: string, reason: DeadLetterReason): void {
  deadLetters.add(1, { [Attr.messagingDestination]: topic, [Attr.deadLetterReason]: reason, [Attr.messagingConsumerGroup]: groupId });
}

/** One partition's lag as its consumer last saw it. */
export interface PartitionLag {
  groupId: string;
  topic: string;
  partition: number;
  /** Messages between the last one the batch held and the end of the partition when it was fetched. */
  lag: number;
}

/**
 * The latest lag per consumer group, topic and partition in this process, from kafkajs'
 * END_BATCH_PROCESS events. kafkajs emits none for an empty fetch, so a caught-up partition
 * keeps the value of its last batch (normally 0), and a stuck handler freezes it: the
 * broker-side lag is the one to alert on for that.
 */
export class ConsumerLagTable {
  private readonly lags = new Map<string, PartitionLag>();

  /** Records a batch's `offsetLag` (kafkajs passes it as a string). */
  record(groupId: string, topic: string, partition: number, offsetLag: string): void {
    const lag = Number(offsetLag);
    if (!Number.isFinite(lag)) return;
    this.lags.set(JSON.stringify([groupId, topic, partition]), { groupId, topic, partition, lag: Math.max(0, lag) });
  }

  /** After a rebalance: forgets the group's partitions this member no longer holds. */
  keepAssigned(groupId: string, assignment: Readonly<Record<string, readonly number[]>>): void {
    for (const [key, l] of this.lags) {
      if (l.groupId === groupId && !assignment[l.topic]?.includes(l.partition)) this.lags.delete(key);
    }
  }

  /** The group stopped consuming here. */
  forget(groupId: string): void {
    for (const [key, l] of this.lags) if (l.groupId === groupId) this.lags.delete(key);
  }

  entries(): PartitionLag[] {
    return [...this.lags.values()];
  }
}

/** The process's lag table, reported as `baton.consumer.lag`. */
export const consumerLag = new ConsumerLagTable();

let reporting = false;

/** Starts reporting the lag table (once per process; the first consumer calls it). */
export function reportConsumerLag(): void {
  if (reporting) return;
  reporting = true;
  observeMetric(Metric.consumerLag, (observe) => {
    for (const l of consumerLag.entries()) {
      observe(l.lag, { [Attr.messagingConsumerGroup]: l.groupId, [Attr.messagingDestination]: l.topic, [Attr.messagingPartition]: String(l.partition) });
    }
  });
}
