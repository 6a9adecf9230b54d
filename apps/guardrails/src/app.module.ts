import { Module } from '@nestjs/common';
import { factoryProvider } from '@baton/config';
import { ServiceKitModule } from '@baton/service-kit';
import { loadPermissionPolicy } from '@baton/guard';
import { defaultRegistry } from '@baton/agent-tools';
import { GUARDRAILS_CONFIG, OUTPUT_RULES, PERMISSION_POLICY, TOOL_REGISTRY, loadGuardrailsConfig, loadOutputRules, type GuardrailsConfig } from './config';
import { GuardrailsConsumer } from './guardrails.consumer';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'guardrails' })],
  controllers: [GuardrailsConsumer],
  providers: [
    factoryProvider(GUARDRAILS_CONFIG, loadGuardrailsConfig),
    factoryProvider(TOOL_REGISTRY, defaultRegistry),
    factoryProvider(OUTPUT_RULES, loadOutputRules, [GUARDRAILS_CONFIG]),
    factoryProvider(PERMISSION_POLICY, (c: GuardrailsConfig, tools: ReturnType<typeof defaultRegistry>) => loadPermissionPolicy(c.BATON_PERMISSIONS, { tools }), [GUARDRAILS_CONFIG, TOOL_REGISTRY]),
  ],
})
export class AppModule {}
