/**
 * Whether a handler's failure is worth waiting out. `transient`: the infrastructure is
 * restarting or moving (a Redis restart or failover, a Kafka leader election, a dropped
 * connection); the same message will succeed once it is back. `poison`: anything else;
 * retrying the same message cannot help, so it goes to the dead-letter topic quickly.
 */
export type ErrorKind = 'transient' | 'poison';

// Redis replies that mean "the server is not ready yet", not "your command is wrong":
// LOADING (replaying its AOF after a restart), READONLY (a replica, mid-failover),
// MASTERDOWN, TRYAGAIN / CLUSTERDOWN (cluster resharding), BUSY (a long script running).
const REDIS_TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY)\b/;

// Messages ioredis rejects commands with when it has no connection (utils CONNECTION_CLOSED_ERROR_MSG,
// Redis.js' offline-queue refusal).
const REDIS_CONNECTION_MESSAGES = [/^Connection is closed\.?$/, /^Stream isn't writeable/];

// Error names that always mean the connection, not the message: ioredis gives up on a command
// after maxRetriesPerRequest reconnects; kafkajs' connection and request-timeout errors.
const TRANSIENT_NAMES = new Set([
  'MaxRetriesPerRequestError',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
  // Our own withTimeout: work that did not answer in time (a server that hangs during a restart).
  'TimeoutError',
]);

// Node socket errors (`err.code`) of a peer that is down, restarting or unreachable.
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'ECONNABORTED', 'EAI_AGAIN']);

// kafkajs protocol errors that are retriable by nature even when wrapped as non-retriable.
const KAFKA_TRANSIENT_TYPES = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_COORDINATOR',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'KAFKA_STORAGE_ERROR',
  'PREFERRED_LEADER_NOT_AVAILABLE',
]);

const MAX_CHAIN = 16;

/**
 * Classifies a thrown value. Walks its `cause` chain (kafkajs wraps the error its retrier gave
 * up on, `KafkaJSNumberOfRetriesExceeded`, as `cause`), `originalError` and an AggregateError's
 * `errors`: one transient link makes the whole failure transient. Pure; never throws.
 */
export function classifyError(error: unknown): ErrorKind {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < MAX_CHAIN) {
    const e = queue.shift();
    if (e === null || e === undefined || seen.has(e)) continue;
    seen.add(e);
    if (isTransientLink(e)) return 'transient';
    if (typeof e === 'object') {
      const o = e as { cause?: unknown; originalError?: unknown; errors?: unknown };
      queue.push(o.cause, o.originalError);
      if (Array.isArray(o.errors)) queue.push(...o.errors);
    }
  }
  return 'poison';
}

/** Whether the broker refused a message as larger than its `max.message.bytes` (anywhere in the cause chain). */
export function isMessageTooLarge(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < MAX_CHAIN && typeof e === 'object' && e !== null; depth++) {
    if ((e as { type?: unknown }).type === 'MESSAGE_TOO_LARGE') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function isTransientLink(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { name?: unknown; message?: unknown; code?: unknown; type?: unknown; retriable?: unknown };
  // kafkajs marks every error it would retry itself (KafkaJSError's `retriable`, true by default);
  // our own errors that clear by themselves use the same flag (the tool ledger's ToolCallInFlightError).
  if (o.retriable === true) return true;
  if (typeof o.name === 'string' && TRANSIENT_NAMES.has(o.name)) return true;
  if (typeof o.type === 'string' && KAFKA_TRANSIENT_TYPES.has(o.type)) return true;
  if (typeof o.code === 'string' && TRANSIENT_CODES.has(o.code)) return true;
  if (typeof o.message === 'string') {
    // Only a Redis reply carries these prefixes verbatim (ioredis' ReplyError, from redis-errors).
    if (o.name === 'ReplyError' && REDIS_TRANSIENT_REPLY.test(o.message)) return true;
    if (REDIS_CONNECTION_MESSAGES.some((re) => re.test(o.message as string))) return true;
  }
  return false;
}
