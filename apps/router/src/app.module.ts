import { Module } from '@nestjs/common';
import { ModelCatalog } from '@baton/llm';
import { ServiceKitModule } from '@baton/service-kit';
import { MODEL_CATALOG, ROUTER_CONFIG, loadRouterConfig, type RouterConfig } from './config';
import { RouterConsumer } from './router.consumer';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'router' })],
  providers: [
    { provide: ROUTER_CONFIG, useFactory: loadRouterConfig },
    { provide: MODEL_CATALOG, inject: [ROUTER_CONFIG], useFactory: (c: RouterConfig) => ModelCatalog.fromFile(c.BATON_MODEL_CATALOG) },
    RouterConsumer,
  ],
})
export class AppModule {}
