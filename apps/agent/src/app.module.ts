import { Module } from '@nestjs/common';
import { factoryProvider, valueProvider } from '@baton/config';
import { BUDGET_POLICY, loadBudgetPolicy } from '@baton/budget';
import { loadPermissionPolicy, redactPii } from '@baton/guard';
import { LlmClient, ModelCatalog, defaultEndpoint } from '@baton/llm';
import { ServiceKitModule } from '@baton/service-kit';
import { defaultRegistry, type ToolRegistry } from '@baton/agent-tools';
import { AgentConsumer, agentConsumerGroups, agentInstanceId } from './agent.consumer';
import { AGENT_CONFIG, LLM_CLIENT, MODEL_CATALOG, PERMISSION_POLICY, TOOL_REGISTRY, agentRoles, loadAgentConfig } from './config';
import { SpendGate } from './spend-gate';
import { StepRunner } from './step-runner.service';
import { VerdictInbox } from './verdict-inbox';

const config = loadAgentConfig();
const instanceId = agentInstanceId();

@Module({
  imports: [ServiceKitModule.forRoot({ name: `agent-${agentRoles(config).join('+')}`, groups: agentConsumerGroups(agentRoles(config), instanceId) })],
  controllers: [AgentConsumer],
  providers: [
    { provide: VerdictInbox, useValue: new VerdictInbox(instanceId) },
    valueProvider(AGENT_CONFIG, config),
    factoryProvider(MODEL_CATALOG, () => ModelCatalog.fromFile(config.BATON_MODEL_CATALOG)),
    factoryProvider(LLM_CLIENT, (catalog: ModelCatalog) =>
      new LlmClient(catalog, {
        defaultBaseUrl: defaultEndpoint({ OPENAI_BASE_URL: config.OPENAI_BASE_URL, OPENAI_API_KEY: config.OPENAI_API_KEY }),
        ...(config.OPENAI_API_KEY ? { defaultApiKey: config.OPENAI_API_KEY } : {}),
        timeoutMs: config.LLM_TIMEOUT_MS,
        maxRetries: config.LLM_MAX_RETRIES,
        ...(config.BATON_TRACE_CONTENT === 'true' ? { traceContent: (text: string) => redactPii(text).text } : {}),
      }), [MODEL_CATALOG]),
    factoryProvider(BUDGET_POLICY, () => loadBudgetPolicy()),
    factoryProvider(TOOL_REGISTRY, defaultRegistry),
    factoryProvider(PERMISSION_POLICY, (tools: ToolRegistry) => loadPermissionPolicy(config.BATON_PERMISSIONS, { tools }), [TOOL_REGISTRY]),
    StepRunner,
    SpendGate,
  ],
})
export class AppModule {}
