import { Logger, Module } from '@nestjs/common';
import { factoryProvider } from '@baton/config';
import type { ApiKeyTable } from '@baton/api-keys';
import { BUDGET_POLICY, loadBudgetPolicy } from '@baton/budget';
import { ServiceKitModule } from '@baton/service-kit';
import { loadApiKeys } from './api-keys';
import { ApiKeyGuard } from './api-key.guard';
import { API_KEYS, GATEWAY_CONFIG, loadGatewayConfig, type GatewayConfig } from './config';
import { DeadLettersController } from './dead-letters.controller';
import { EscalationsController } from './escalations.controller';
import { OutboxSweeper } from './outbox.sweeper';
import { ShadowController } from './shadow.controller';
import { ShadowModule } from './shadow.module';
import { TasksController } from './tasks.controller';

/** The API keys, from a keys file (or, outside production, GATEWAY_API_KEYS or the development keys). */
function apiKeys(c: GatewayConfig): ApiKeyTable {
  const loaded = loadApiKeys(c);
  const log = new Logger('gateway');
  log.log(loaded.summary);
  if (loaded.warning) log.warn(loaded.warning);
  return loaded.table;
}

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'gateway' }), ShadowModule],
  controllers: [TasksController, EscalationsController, DeadLettersController, ShadowController],
  providers: [
    factoryProvider(GATEWAY_CONFIG, loadGatewayConfig),
    factoryProvider(API_KEYS, apiKeys, [GATEWAY_CONFIG]),
    factoryProvider(BUDGET_POLICY, () => loadBudgetPolicy()),
    ApiKeyGuard,
    OutboxSweeper,
  ],
})
export class AppModule {}
