import { Module } from '@nestjs/common';
import { BUDGET_POLICY, loadBudgetPolicy } from '@baton/budget';
import { ServiceKitModule } from '@baton/service-kit';
import { PLANNER_CONFIG, loadPlannerConfig } from './config';
import { DeadlineSweeper } from './deadline-sweeper.service';
import { PlannerRuns } from './planner-runs.service';
import { PlannerConsumer } from './planner.consumer';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'planner' })],
  controllers: [PlannerConsumer],
  providers: [{ provide: PLANNER_CONFIG, useFactory: loadPlannerConfig }, { provide: BUDGET_POLICY, useFactory: () => loadBudgetPolicy() }, PlannerRuns, DeadlineSweeper],
})
export class AppModule {}
