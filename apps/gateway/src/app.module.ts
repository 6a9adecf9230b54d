import { Module } from '@nestjs/common';
import { BUDGET_POLICY, loadBudgetPolicy } from '@baton/budget';
import { ServiceKitModule } from '@baton/service-kit';
import { ApiKeys } from './api-keys';
import { API_KEYS, GATEWAY_CONFIG, loadGatewayConfig, type GatewayConfig } from './config';
import { DeadLettersController } from './dead-letters.controller';
import { EscalationsController } from './escalations.controller';
import { OutboxSweeper } from './outbox.sweeper';
import { ShadowController } from './shadow.controller';
import { ShadowModule } from './shadow.module';
import { TasksController } from './tasks.controller';
import { TenantGuard } from './tenant.guard';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'gateway' }), ShadowModule],
  controllers: [TasksController, EscalationsController, DeadLettersController, ShadowController],
  providers: [
    { provide: GATEWAY_CONFIG, useFactory: loadGatewayConfig },
    { provide: API_KEYS, inject: [GATEWAY_CONFIG], useFactory: (c: GatewayConfig) => ApiKeys.parse(c.GATEWAY_API_KEYS) },
    { provide: BUDGET_POLICY, useFactory: () => loadBudgetPolicy() },
    TenantGuard,
    OutboxSweeper,
  ],
})
export class AppModule {}
