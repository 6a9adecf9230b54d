import { Kafka, logLevel } from 'kafkajs';
import { kafkaLogCreator, type BusLogger } from './logger';

/** Builds a kafkajs client whose WARN and ERROR lines go to `logger`. */
export function createKafka(opts: { brokers: string[]; clientId: string; logger: BusLogger; silent?: boolean }): Kafka {
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    // Below WARN kafkajs logs every connection and group step: noise in service logs.
    logLevel: opts.silent ? logLevel.NOTHING : logLevel.WARN,
    logCreator: kafkaLogCreator(opts.logger),
  });
}

/** Consumer settings shared by the bus, the bare baseline and the test collectors. */
export const CONSUMER_SETTINGS = {
  // kafkajs' defaults, explicit because handlers that call an LLM depend on them: a consumer
  // silent for longer than the session is thrown out of the group (handlers heartbeat).
  sessionTimeout: 30_000,
  heartbeatInterval: 3_000,
  // How long a rebalance waits for busy members to rejoin (kafkajs: 60 s). A member rejoins
  // only once its in-flight handlers return, and an agent step (a model conversation with
  // tools) can run for minutes: past this window the group would drop the member and hand its
  // uncommitted step to another replica, which would run it again. The step lease in Redis
  // guards that case too; this keeps it rare, at the price of a group pausing while a joining
  // or leaving replica waits for the longest running step.
  rebalanceTimeout: 300_000,
  // A stopping consumer waits for its in-flight long-poll fetch; 1 s instead of 5 s keeps
  // shutdown and tests quick. Latency is unaffected: a fetch returns as soon as data arrives.
  maxWaitTimeInMs: 1_000,
  // The broker does not auto-create; topics are created explicitly with their dead-letter twins.
  allowAutoTopicCreation: false,
} as const;
