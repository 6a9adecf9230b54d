import { Module } from '@nestjs/common';
import { factoryProvider } from '@baton/config';
import { ServiceKitModule } from '@baton/service-kit';
import { loadPermissionPolicy } from '@baton/guard';
import { defaultRegistry } from '@baton/agent-tools';
import { GUARDRAILS_CONFIG, OUTPUT_RULES, PERMISSION_POLICY, TOOL_REGISTRY, loadGuardrailsConfig, loadOutputRules, type GuardrailsConfig } from './config';
import { AuditTrailConsumer } from './audit-trail.consumer';
import { GuardrailsConsumer } from './guardrails.consumer';
import { TaskIntake } from './task-intake.service';
import { ToolPolicyConsumer } from './tool-policy.consumer';
import { ToolPolicy } from './tool-policy.service';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'guardrails' })],
  controllers: [GuardrailsConsumer, ToolPolicyConsumer, AuditTrailConsumer],
  providers: [
    factoryProvider(GUARDRAILS_CONFIG, loadGuardrailsConfig),
    factoryProvider(TOOL_REGISTRY, defaultRegistry),
    factoryProvider(OUTPUT_RULES, loadOutputRules, [GUARDRAILS_CONFIG]),
    factoryProvider(PERMISSION_POLICY, (c: GuardrailsConfig, tools: ReturnType<typeof defaultRegistry>) => loadPermissionPolicy(c.BATON_PERMISSIONS, { tools }), [GUARDRAILS_CONFIG, TOOL_REGISTRY]),
    TaskIntake,
    ToolPolicy,
  ],
})
export class AppModule {}
