import { Catch, type ArgumentsHost, type INestApplication, type RpcExceptionFilter } from '@nestjs/common';
import { NestMicroservice, Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom, throwError, type Observable } from 'rxjs';
import type { BatonEvent } from '@baton/contracts';
import { ConsumerGroups, planConsumerGroups, type PlannedGroup, type RegisteredHandler } from './consumer-groups';
import type { HandlerContext } from './message-processor';
import { stopInPhases, type SubscribeOptions, type Subscription } from './message-bus';

/** What the transport needs of a bus: MessageBus, or the in-memory bus of `@baton/messaging/testing`. */
export interface EventSubscriber {
  subscribe(opts: SubscribeOptions): Promise<Subscription>;
}

/** Where the transport reports the groups it waits for (service-kit's Readiness fits). */
export interface ReadinessPort {
  expect(name: string): void;
  complete(name: string): void;
}

/** Options of the transport. */
export interface BatonTransportOptions {
  /** Group of the handlers that name none: by convention the service name. */
  groupId: string;
  /** Ids and topic shares of groups known only at start. */
  groups?: ConsumerGroups;
  /** Told which groups are still joining; the service is not ready before they all joined. */
  readiness?: ReadinessPort;
}

/** Transport id of the Baton transport, for `@EventPattern(type, BATON_TRANSPORT)` where a service has several. */
export const BATON_TRANSPORT = Symbol('baton');

/**
 * Hands a handler's error to the transport as it was thrown. Nest's default filter turns any
 * error into `{ status: 'error', message: 'Internal server error' }`; the message processor
 * must see the original to tell a transient failure from a poison one and an
 * UnprocessableEvent from both.
 */
@Catch()
export class PassHandlerErrors implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * A Nest microservice transport over the Baton MessageBus: every `@EventPattern(type)` method
 * of the app's controllers becomes a handler of a consumer group, and each group subscribes
 * to the topics its handlers' event types are published on. Everything per message (parse
 * and validate, dedupe, retries, dead letters, commit after success, heartbeats, trace
 * context) is the bus' message processor, exactly as for `MessageBus.subscribe`; this only
 * derives the subscriptions from the declared handlers. Nest's own Kafka transport is not
 * used: see docs/architecture.md.
 */
export class BatonTransport extends Server implements CustomTransportStrategy {
  private readonly registered: RegisteredHandler[] = [];
  /** Running subscriptions, with the shutdown phase of each. */
  private readonly running = new Map<Subscription, number>();
  private closing?: Promise<void>;
  /** Set by connectTo() once PassHandlerErrors guards the handlers. */
  private errorsPassThrough = false;

  constructor(
    private readonly bus: EventSubscriber,
    private readonly opts: BatonTransportOptions,
  ) {
    super();
    this.transportId = BATON_TRANSPORT;
  }

  /**
   * Connects this transport to a hybrid app (its HTTP side stays as it is), with
   * PassHandlerErrors on the handlers of this transport only. Call before
   * `app.startAllMicroservices()`, which starts the groups.
   */
  connectTo(app: INestApplication): void {
    // Deferred so that the filter is in place before Nest wraps the handlers; then what
    // connectMicroservice does when not deferred.
    const ms = app.connectMicroservice({ strategy: this }, { deferInitialization: true });
    if (!(ms instanceof NestMicroservice)) throw new Error('BatonTransport.connectTo: unexpected microservice instance');
    ms.useGlobalFilters(new PassHandlerErrors());
    ms.registerListeners();
    ms.setIsInitialized(true);
    ms.setIsInitHookCalled(true);
    this.errorsPassThrough = true;
  }

  /** Keeps every handler on its own: Nest would chain two handlers of one pattern, which may belong to two groups. */
  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    callback.isEventHandler = isEventHandler;
    callback.extras = extras;
    this.registered.push({ pattern, extras, isEventHandler, handle: (event, ctx) => invoke(callback, event, ctx) });
  }

  /** The consumers the registered handlers need (throws when a declaration cannot be served). */
  plan(): PlannedGroup[] {
    return planConsumerGroups(this.registered, this.opts.groupId, this.opts.groups);
  }

  /** Called by Nest: starts every group, later shutdown phases first; calls back once all joined, or with the first error. */
  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  private async start(): Promise<void> {
    if (!this.errorsPassThrough) {
      throw new Error('BatonTransport: connect it with transport.connectTo(app), which keeps handler errors intact for the retry and dead-letter policy');
    }
    const groups = this.plan();
    for (const g of groups) this.opts.readiness?.expect(readinessName(g.groupId));
    // Groups that stop last start first: the agent's verdicts are read before any step can propose a tool call.
    const phases = [...new Set(groups.map((g) => g.shutdownPhase))].sort((a, b) => b - a);
    try {
      for (const phase of phases) {
        await Promise.all(groups.filter((g) => g.shutdownPhase === phase).map((g) => this.startGroup(g)));
      }
    } catch (error) {
      await this.close();
      throw error;
    }
    this._status$.next('connected');
  }

  private async startGroup(group: PlannedGroup): Promise<void> {
    const sub = await this.bus.subscribe(group);
    this.running.set(sub, group.shutdownPhase);
    this.opts.readiness?.complete(readinessName(group.groupId));
  }

  /** Called by Nest on shutdown: stops the groups phase by phase, each after its in-flight handlers finished. Idempotent. */
  close(): Promise<void> {
    this.closing ??= stopInPhases(this.running, (s) => s.stop()).then(() => {
      this.running.clear();
      this._status$.next('disconnected');
    });
    return this.closing;
  }

  on(): never {
    throw new Error('BatonTransport has no events to listen to; readiness and /readyz report its groups');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}

function readinessName(groupId: string): string {
  return `consumer group ${groupId}`;
}

/** Calls a Nest-wrapped handler and settles with it: a handler's failure surfaces as an Observable error. */
async function invoke(handler: MessageHandler, event: BatonEvent, ctx: HandlerContext): Promise<void> {
  const result: unknown = await handler(event, ctx);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}
