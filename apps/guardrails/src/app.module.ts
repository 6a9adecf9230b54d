import { Module } from '@nestjs/common';
import { ServiceKitModule } from '@baton/service-kit';
import { loadPermissionPolicy } from '@baton/guard';
import { defaultRegistry } from '@baton/tools';
import { GUARDRAILS_CONFIG, OUTPUT_RULES, PERMISSION_POLICY, TOOL_REGISTRY, loadGuardrailsConfig, loadOutputRules, type GuardrailsConfig } from './config';
import { GuardrailsConsumer } from './guardrails.consumer';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'guardrails' })],
  controllers: [GuardrailsConsumer],
  providers: [
    { provide: GUARDRAILS_CONFIG, useFactory: loadGuardrailsConfig },
    { provide: TOOL_REGISTRY, useFactory: defaultRegistry },
    { provide: OUTPUT_RULES, inject: [GUARDRAILS_CONFIG], useFactory: loadOutputRules },
    {
      provide: PERMISSION_POLICY,
      inject: [GUARDRAILS_CONFIG, TOOL_REGISTRY],
      useFactory: (c: GuardrailsConfig, tools: ReturnType<typeof defaultRegistry>) => loadPermissionPolicy(c.BATON_PERMISSIONS, { tools }),
    },
  ],
})
export class AppModule {}
