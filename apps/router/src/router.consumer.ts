import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Topics, causedBy, createEvent, type TaskAdmitted } from '@baton/contracts';
import { estimateTokens, type ModelCatalog } from '@baton/llm';
import type { MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, startConsumer } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import { MODEL_CATALOG, ROUTER_CONFIG, type RouterConfig } from './config';
import { chooseCheapestModel } from './model-choice';
import { chooseRole, instructionFor } from './role-rules';

/** Wiring only: routes each admitted task to a role and a model and publishes the decision. */
@Injectable()
export class RouterConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(MODEL_CATALOG) private readonly catalog: ModelCatalog,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await startConsumer(this.bus, this.readiness, {
      groupId: 'router',
      topics: [Topics.taskAdmitted],
      handlers: { 'task.admitted': (e) => this.onAdmitted(e) },
    });
  }

  private onAdmitted(event: TaskAdmitted): Promise<void> {
    const task = event.data;
    return withSpan('route task', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId }, async (span) => {
      const role = chooseRole(task.taskType);
      const instruction = instructionFor(task.taskType, task.instruction);
      const promptTokens = estimateTokens(instruction) + estimateTokens(task.input.text) + estimateTokens(JSON.stringify(task.input.data ?? {}));
      const choice = chooseCheapestModel(this.catalog.list(), {
        needs: task.needs,
        structuredOutput: task.outputSchema !== undefined,
        promptTokens,
        expectedOutputTokens: this.config.ROUTER_EXPECTED_OUTPUT_TOKENS,
      });
      span.setAttribute(Attr.routeReason, choice.decision.reason);
      const origin = causedBy(event, 'router');
      if (choice.model === null) {
        const reason = { kind: 'user' as const, code: 'no_eligible_model', message: choice.decision.reason, details: choice.decision };
        await this.state.tasks.transition(event.taskId, 'failed', { from: ['admitted'], fields: { error: reason } });
        await this.bus.publish(createEvent('task.failed', origin, { reason }));
        return;
      }
      span.setAttribute(Attr.routeRole, role);
      span.setAttribute(Attr.routeModel, choice.model);
      await this.state.tasks.transition(event.taskId, 'routed', { from: ['admitted'], fields: { role, model: choice.model } });
      await this.bus.publish(
        createEvent('task.routed', origin, {
          taskType: task.taskType,
          instruction,
          input: task.input,
          ...(task.outputSchema ? { outputSchema: task.outputSchema } : {}),
          ...(task.needs ? { needs: task.needs } : {}),
          pattern: 'single',
          role,
          model: choice.model,
          decision: choice.decision,
        }),
      );
    });
  }
}
