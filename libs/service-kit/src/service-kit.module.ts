import { Global, Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { z } from 'zod';
import { allTopics } from '@baton/contracts';
import { CommonEnv, factoryProvider, loadConfig, valueProvider } from '@baton/config';
import { BatonClient, BatonTransport, ConsumerGroups, MessageBus, type BusLogger } from '@baton/messaging';
import { StateStore } from '@baton/state';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { NamespaceEnv, SERVICE_NAMESPACE, serviceNamespace } from './namespace';
import { Readiness } from './readiness';
import { BUS, SERVICE_INFO, STATE_STORE } from './tokens';

/** Closes Kafka before Redis: in-flight handlers still need Redis while they finish. */
@Injectable()
class ServiceLifecycle implements OnApplicationShutdown {
  private readonly log = new Logger('lifecycle');
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.log.log(`shutting down${signal ? ` on ${signal}` : ''}`);
    await this.bus.close();
    await this.state.close();
  }
}

function busLogger(name: string): BusLogger {
  const log = new Logger(`${name}:kafka`);
  const fmt = (msg: string, fields?: Record<string, unknown>) => (fields ? `${msg} ${JSON.stringify(fields)}` : msg);
  return {
    info: (msg, fields) => log.log(fmt(msg, fields)),
    warn: (msg, fields) => log.warn(fmt(msg, fields)),
    error: (msg, fields) => log.error(fmt(msg, fields)),
  };
}

/** Options of ServiceKitModule.forRoot. */
export interface ServiceKitOptions {
  /** The service name: Kafka client id, and the consumer group of handlers that name none. */
  name: string;
  /** Consumer groups known only at start (ids per instance, one group per configured role). */
  groups?: ConsumerGroups;
}

/**
 * What every Baton service needs: its Redis state store, its Kafka bus (topics ensured,
 * dedupe by event id in Redis), the Baton transport its `@EventPattern` handlers run on and a
 * client to emit events, readiness tracking, the health endpoints and `/metrics`. With
 * `BATON_NAMESPACE` set, the bus and the store both live in that namespace (see namespace.ts).
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot(opts: ServiceKitOptions): DynamicModule {
    const env = loadConfig(z.object(CommonEnv));
    const ns = serviceNamespace(loadConfig(NamespaceEnv));
    return {
      module: ServiceKitModule,
      controllers: [HealthController, MetricsController],
      providers: [
        valueProvider(SERVICE_INFO, { name: opts.name }),
        valueProvider(SERVICE_NAMESPACE, ns),
        Readiness,
        factoryProvider(STATE_STORE, () => StateStore.connect(env.REDIS_URL, { name: opts.name, keyPrefix: ns.keyPrefix })),
        factoryProvider(BUS, async (state: StateStore) => {
          const bus = new MessageBus({
            brokers: env.KAFKA_BROKERS,
            clientId: opts.name,
            dedupe: state.dedupe,
            logger: busLogger(opts.name),
            retry: { transientBudgetMs: env.BATON_TRANSIENT_RETRY_MS },
            ...(ns.namespace ? { namespace: ns.namespace, liveInputs: ns.liveInputs } : {}),
          });
          await bus.connect();
          await bus.ensureTopics(allTopics());
          return bus;
        }, [STATE_STORE]),
        {
          provide: BatonTransport,
          inject: [BUS, Readiness],
          useFactory: (bus: MessageBus, readiness: Readiness) => new BatonTransport(bus, { groupId: opts.name, readiness, ...(opts.groups ? { groups: opts.groups } : {}) }),
        },
        { provide: BatonClient, inject: [BUS], useFactory: (bus: MessageBus) => new BatonClient(bus) },
        ServiceLifecycle,
      ],
      exports: [SERVICE_INFO, SERVICE_NAMESPACE, Readiness, STATE_STORE, BUS, BatonTransport, BatonClient],
    };
  }
}
