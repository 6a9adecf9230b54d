import { Module } from '@nestjs/common';
import { ModelCatalog } from '@baton/llm';
import { ServiceKitModule } from '@baton/service-kit';
import { WorkflowRegistry } from '@baton/workflows';
import { MODEL_CATALOG, ROUTER_CONFIG, ROUTING_POLICIES, WORKFLOWS, loadRouterConfig, type RouterConfig } from './config';
import { RouterConsumer } from './router.consumer';
import { RoutingPolicies } from './routing-config';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'router' })],
  providers: [
    { provide: ROUTER_CONFIG, useFactory: loadRouterConfig },
    { provide: MODEL_CATALOG, inject: [ROUTER_CONFIG], useFactory: (c: RouterConfig) => ModelCatalog.fromFile(c.BATON_MODEL_CATALOG) },
    { provide: ROUTING_POLICIES, inject: [ROUTER_CONFIG], useFactory: (c: RouterConfig) => RoutingPolicies.fromFile(c.BATON_ROUTING_CONFIG, {}) },
    // Loaded once at start: a broken workflow file stops the router instead of failing tasks one by one.
    { provide: WORKFLOWS, inject: [ROUTER_CONFIG], useFactory: (c: RouterConfig) => WorkflowRegistry.fromDir(c.BATON_WORKFLOWS_DIR) },
    RouterConsumer,
  ],
})
export class AppModule {}
