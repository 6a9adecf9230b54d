import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { isEventType, type BatonEvent } from '@baton/contracts';

/** What the client needs of a bus: MessageBus, or the in-memory bus of `@baton/messaging/testing`. */
export interface EventPublisher {
  connect(): Promise<void>;
  publish(event: BatonEvent): Promise<void>;
}

/**
 * A Nest ClientProxy over the Baton MessageBus, for code that emits events the Nest way:
 * `client.emit(event.type, event)` publishes `event` (validated, traced, keyed by task id,
 * on its contract topic) and the Observable completes once the broker has it. The pattern
 * must be the event's own type. Request-reply (`send`) is refused: over Kafka it breaks
 * around rebalances (see docs/architecture.md); answer with an event and a correlation id.
 */
export class BatonClient extends ClientProxy {
  constructor(private readonly bus: EventPublisher) {
    super();
  }

  /** Connects the bus' producer; Nest calls it before each emit. */
  async connect(): Promise<void> {
    await this.bus.connect();
  }

  /** The bus belongs to its owner (service-kit closes it on shutdown), so there is nothing to close here. */
  close(): void {
    return undefined;
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  protected async dispatchEvent<T = undefined>(packet: ReadPacket<unknown>): Promise<T> {
    const event = packet.data as BatonEvent | undefined;
    if (!isEventType(packet.pattern) || event?.type !== packet.pattern) {
      throw new Error(`BatonClient.emit: the pattern must be the type of the event emitted (got ${String(packet.pattern)} for ${String(event?.type)})`);
    }
    await this.bus.publish(event);
    return undefined as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error(`BatonClient: request-reply (send ${String(packet.pattern)}) is not served over Kafka; emit an event and answer with one`), isDisposed: true });
    return () => undefined;
  }
}
