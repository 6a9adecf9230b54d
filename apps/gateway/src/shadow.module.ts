import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { factoryProvider } from '@baton/config';
import { namespaceKeyPrefix } from '@baton/service-kit';
import { StateStore } from '@baton/state';
import { SHADOW_CONFIG, SHADOW_STATE, loadShadowConfig, type ShadowConfig } from './shadow.config';

/** Closes the shadow keyspace's connection with the app. */
@Injectable()
class ShadowStateLifecycle implements OnApplicationShutdown {
  constructor(@Inject(SHADOW_STATE) private readonly state: StateStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.state.close();
  }
}

/**
 * A second, read-only StateStore over the shadow pipeline's keyspace (`baton:<ns>:`), for the
 * shadow report. Always opened: one idle connection, and the report answers empty when no
 * shadow runs.
 */
@Module({
  providers: [
    factoryProvider(SHADOW_CONFIG, loadShadowConfig),
    factoryProvider(SHADOW_STATE, (c: ShadowConfig) =>
      StateStore.connect(c.REDIS_URL, { name: 'gateway-shadow-reader', keyPrefix: namespaceKeyPrefix(c.BATON_SHADOW_NAMESPACE) }), [SHADOW_CONFIG]),
    ShadowStateLifecycle,
  ],
  exports: [SHADOW_STATE, SHADOW_CONFIG],
})
export class ShadowModule {}
