import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OnModuleInit,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { allTopics } from '@baton/contracts';
import { MessageBus, type MessageBusOptions } from './message-bus';

/** Nest injection token of the app's MessageBus. */
export const MESSAGE_BUS = 'BATON_MESSAGE_BUS';

/** Bus options plus the topics to create at startup (default: every Baton topic). */
export type MessagingModuleOptions = MessageBusOptions & { topics?: string[] };

const MESSAGING_OPTIONS = 'BATON_MESSAGING_OPTIONS';

/** Ties the bus to the Nest lifecycle: ready before the app serves, closed on shutdown. */
@Injectable()
class MessageBusLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(MESSAGING_OPTIONS) private readonly opts: MessagingModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.bus.connect();
    await this.bus.ensureTopics(this.opts.topics ?? allTopics());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

function busProvider() {
  return { provide: MESSAGE_BUS, useFactory: (opts: MessagingModuleOptions) => new MessageBus(opts), inject: [MESSAGING_OPTIONS] };
}

/** Global module providing MESSAGE_BUS. Needs `app.enableShutdownHooks()` for the bus to close on SIGTERM. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(opts: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [{ provide: MESSAGING_OPTIONS, useValue: opts }, busProvider(), MessageBusLifecycle],
      exports: [MESSAGE_BUS],
    };
  }

  /** Same as forRoot, with options built by a factory from other providers (e.g. parsed config). */
  static forRootAsync(opts: {
    imports?: ModuleMetadata['imports'];
    inject?: Array<InjectionToken | OptionalFactoryDependency>;
    useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
  }): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: opts.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, useFactory: opts.useFactory, inject: opts.inject ?? [] },
        busProvider(),
        MessageBusLifecycle,
      ],
      exports: [MESSAGE_BUS],
    };
  }
}
