import { Module } from '@nestjs/common';
import { LlmClient, ModelCatalog, defaultEndpoint } from '@baton/llm';
import { ServiceKitModule } from '@baton/service-kit';
import { AgentConsumer } from './agent.consumer';
import { AGENT_CONFIG, LLM_CLIENT, agentRoles, loadAgentConfig } from './config';

const config = loadAgentConfig();

@Module({
  imports: [ServiceKitModule.forRoot({ name: `agent-${agentRoles(config).join('+')}` })],
  providers: [
    { provide: AGENT_CONFIG, useValue: config },
    {
      provide: LLM_CLIENT,
      useFactory: () =>
        new LlmClient(ModelCatalog.fromFile(config.BATON_MODEL_CATALOG), {
          defaultBaseUrl: defaultEndpoint({ OPENAI_BASE_URL: config.OPENAI_BASE_URL, OPENAI_API_KEY: config.OPENAI_API_KEY }),
          ...(config.OPENAI_API_KEY ? { defaultApiKey: config.OPENAI_API_KEY } : {}),
          timeoutMs: config.LLM_TIMEOUT_MS,
          maxRetries: config.LLM_MAX_RETRIES,
        }),
    },
    AgentConsumer,
  ],
})
export class AppModule {}
