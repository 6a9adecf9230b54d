import { Module } from '@nestjs/common';
import { factoryProvider } from '@baton/config';
import { BUDGET_POLICY, loadBudgetPolicy } from '@baton/budget';
import { ServiceKitModule } from '@baton/service-kit';
import { PLANNER_CONFIG, loadPlannerConfig } from './config';
import { DeadlineSweeper } from './deadline-sweeper.service';
import { PlannerRuns } from './planner-runs.service';
import { PlannerConsumer } from './planner.consumer';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'planner' })],
  controllers: [PlannerConsumer],
  providers: [factoryProvider(PLANNER_CONFIG, loadPlannerConfig), factoryProvider(BUDGET_POLICY, () => loadBudgetPolicy()), PlannerRuns, DeadlineSweeper],
})
export class AppModule {}
