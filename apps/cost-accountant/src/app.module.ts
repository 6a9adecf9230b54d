import { Module } from '@nestjs/common';
import { factoryProvider } from '@baton/config';
import { ModelCatalog } from '@baton/llm';
import { ServiceKitModule } from '@baton/service-kit';
import { MODEL_CATALOG, loadCostConfig } from './config';
import { CostConsumer } from './cost.consumer';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'cost-accountant' })],
  controllers: [CostConsumer],
  providers: [factoryProvider(MODEL_CATALOG, () => ModelCatalog.fromFile(loadCostConfig().BATON_MODEL_CATALOG))],
})
export class AppModule {}
