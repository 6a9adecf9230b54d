import { Module } from '@nestjs/common';
import { BUDGET_POLICY, loadBudgetPolicy } from '@baton/budget';
import { ServiceKitModule } from '@baton/service-kit';
import { PLANNER_CONFIG, loadPlannerConfig } from './config';
import { PlannerConsumer } from './planner.consumer';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'planner' })],
  providers: [{ provide: PLANNER_CONFIG, useFactory: loadPlannerConfig }, { provide: BUDGET_POLICY, useFactory: () => loadBudgetPolicy() }, PlannerConsumer],
})
export class AppModule {}
