export type { BusLogger } from './logger';
export { stderrLogger } from './logger';
export type { DedupeStore } from './dedupe';
export type { RetryPolicy } from './retry';
export { DEFAULT_RETRY_POLICY } from './retry';
export { UnprocessableEvent, type EventHandlers, type HandlerContext } from './message-processor';
export type { DeadLetterReason } from './dead-letter';
export { classifyError, type ErrorKind } from './error-kind';
export { decodeDeadLetterValue } from './dead-letter';
export {
  DeadLetterNotRedrivableError,
  MessageBus,
  type MessageBusOptions,
  type Redriven,
  type SubscribeOptions,
  type Subscription,
} from './message-bus';
export { tenantOfDeadLetter, type StoredDeadLetter } from './dead-letter-reader';
export { waitForKafka } from './wait-for-kafka';
export {
  BATON_TRANSPORT,
  BatonTransport,
  PassHandlerErrors,
  type BatonTransportOptions,
  type EventSubscriber,
  type ReadinessPort,
} from './baton-transport';
export { BatonClient, type EventPublisher } from './baton-client';
export { ConsumerGroups, HandlerDeclarationError, type EventHandlerOptions, type GroupMember } from './consumer-groups';
export { runBareKafkaChain, type BareChainOptions, type BareChainResult } from './bare-chain';
export { NAMESPACE_PATTERN, TopicNamespace, parseTopicList, type TopicNamespaceOptions } from './topic-namespace';
export { readTopicsToEnd, listTopics, type ReadRecord, type ReadTopicsOptions } from './topic-reader';
