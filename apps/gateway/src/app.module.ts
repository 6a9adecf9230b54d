import { Module } from '@nestjs/common';
import { ServiceKitModule } from '@baton/service-kit';
import { ApiKeys } from './api-keys';
import { API_KEYS, GATEWAY_CONFIG, loadGatewayConfig, type GatewayConfig } from './config';
import { TasksController } from './tasks.controller';
import { TenantGuard } from './tenant.guard';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'gateway' })],
  controllers: [TasksController],
  providers: [
    { provide: GATEWAY_CONFIG, useFactory: loadGatewayConfig },
    { provide: API_KEYS, inject: [GATEWAY_CONFIG], useFactory: (c: GatewayConfig) => ApiKeys.parse(c.GATEWAY_API_KEYS) },
    TenantGuard,
  ],
})
export class AppModule {}
