import { Module } from '@nestjs/common';
import { factoryProvider } from '@baton/config';
import { BUDGET_POLICY, loadBudgetPolicy } from '@baton/budget';
import { LlmClient, ModelCatalog, defaultEndpoint } from '@baton/llm';
import { ServiceKitModule } from '@baton/service-kit';
import { WorkflowRegistry } from '@baton/workflows';
import {
  LLM_CLIENT,
  MODEL_CATALOG,
  PATTERN_CLASSIFIER,
  ROUTER_CONFIG,
  ROUTING_POLICIES,
  WORKFLOWS,
  loadRouterConfig,
  type RouterConfig,
} from './config';
import { PatternClassifier } from './pattern-classifier';
import { RouterConsumer } from './router.consumer';
import { RoutingPolicies } from './routing-config';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'router' })],
  controllers: [RouterConsumer],
  providers: [
    factoryProvider(ROUTER_CONFIG, loadRouterConfig),
    factoryProvider(BUDGET_POLICY, () => loadBudgetPolicy()),
    factoryProvider(MODEL_CATALOG, (c: RouterConfig) => ModelCatalog.fromFile(c.BATON_MODEL_CATALOG), [ROUTER_CONFIG]),
    factoryProvider(ROUTING_POLICIES, (c: RouterConfig) => RoutingPolicies.fromFile(c.BATON_ROUTING_CONFIG, {}), [ROUTER_CONFIG]),
    // Loaded once at start: a broken workflow file stops the router instead of failing tasks one by one.
    factoryProvider(WORKFLOWS, (c: RouterConfig) => WorkflowRegistry.fromDir(c.BATON_WORKFLOWS_DIR), [ROUTER_CONFIG]),
    factoryProvider(LLM_CLIENT, (c: RouterConfig, catalog: ModelCatalog) =>
      new LlmClient(catalog, {
        defaultBaseUrl: defaultEndpoint({ OPENAI_BASE_URL: c.OPENAI_BASE_URL, OPENAI_API_KEY: c.OPENAI_API_KEY }),
        ...(c.OPENAI_API_KEY ? { defaultApiKey: c.OPENAI_API_KEY } : {}),
        timeoutMs: c.LLM_TIMEOUT_MS,
        maxRetries: c.LLM_MAX_RETRIES,
      }), [ROUTER_CONFIG, MODEL_CATALOG]),
    factoryProvider(PATTERN_CLASSIFIER, (llm: LlmClient, catalog: ModelCatalog, policies: RoutingPolicies) =>
      new PatternClassifier(llm, catalog.list(), {
        ...(policies.patterns.classifier.model ? { model: policies.patterns.classifier.model } : {}),
        fallback: policies.patterns.default,
      }), [LLM_CLIENT, MODEL_CATALOG, ROUTING_POLICIES]),
  ],
})
export class AppModule {}
