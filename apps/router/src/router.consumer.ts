import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { BUDGET_POLICY, budgetScopes, usdToMicros, worstCaseMicros, type BudgetPolicy } from '@baton/budget';
import { causedBy, createEvent, type ErrorInfo, type LlmUsage, type Pattern, type PlanProposed, type RoutingDecision, type RoutingPolicy, type TaskAdmitted } from '@baton/contracts';
import type { ModelCatalog } from '@baton/llm';
import type { MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE } from '@baton/service-kit';
import { CallReservations, budgetScopeIds, cutOffUsage, type OrphanReservation, type StateStore } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import { WorkflowNotFoundError, type WorkflowRegistry } from '@baton/workflows';
import { MODEL_CATALOG, PATTERN_CLASSIFIER, ROUTER_CONFIG, ROUTING_POLICIES, WORKFLOWS, type RouterConfig } from './config';
import { noModelError } from './model-choice';
import { CLASSIFY_STEP_ID, type PatternClassifier, type SpendGate } from './pattern-classifier';
import { choosePattern, type PatternPick } from './pattern-choice';
import { planRoutedData, routePlan } from './plan-routing';
import { chooseRole } from './role-rules';
import { withBudget } from './budget-policy-pick';
import type { PolicyPick, RoutingPolicies } from './routing-config';
import { routeDebate, routeForPlanner, routeSingle, routeWorkflow, type Routing, type TaskRouting, type TaskRoutingContext } from './task-routing';

/**
 * Wiring only: for each admitted task, chooses its pattern (pattern-choice.ts, asking the
 * classifier when configured) and routes it under its policy (task-routing.ts), then
 * publishes the decision; for each proposed plan, routes its steps and answers with
 * `plan.routed`.
 */
@Controller()
export class RouterConsumer {
  private readonly log = new Logger('router');

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(MODEL_CATALOG) private readonly catalog: ModelCatalog,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    @Inject(ROUTING_POLICIES) private readonly policies: RoutingPolicies,
    @Inject(WORKFLOWS) private readonly workflows: WorkflowRegistry,
    @Inject(PATTERN_CLASSIFIER) private readonly classifier: PatternClassifier,
    @Inject(BUDGET_POLICY) private readonly budgets: BudgetPolicy,
  ) {}

  @EventPattern('task.admitted')
  onAdmitted(@Payload() event: TaskAdmitted): Promise<void> {
    return withSpan('route task', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId }, async (span) => {
      const task = event.data;
      const { policy, source } = await this.policyFor(task, event.tenantId);
      span.setAttributes({ [Attr.routePolicy]: policy, [Attr.routePolicySource]: source });
      const ctx: TaskRoutingContext = {
        models: this.catalog.list(),
        policy,
        openBreakers: await this.openBreakers(),
        expectedOutputTokens: this.config.ROUTER_EXPECTED_OUTPUT_TOKENS,
      };
      const pick = await choosePattern(task, this.policies.patterns, () => this.classify(event, ctx.openBreakers));
      span.setAttributes({ [Attr.routePattern]: pick.pattern, [Attr.routePatternSource]: pick.source });

      if (task.workflow) {
        span.setAttribute(Attr.workflowName, task.workflow);
        if (!this.workflows.has(task.workflow)) {
          const message = new WorkflowNotFoundError(task.workflow, this.workflows.list().map((w) => w.name)).message;
          await this.fail(event, { reason: { kind: 'user', code: 'unknown_workflow', message } });
          return;
        }
      }
      const routed = this.route(task, pick.pattern, ctx);
      span.setAttribute(Attr.routeReason, routed.ok ? routed.routing.decision.reason : routed.decision.reason);
      if (!routed.ok) {
        await this.fail(event, noModel(routed.decision, routed.message));
        return;
      }
      span.setAttributes({ [Attr.routeRole]: routed.routing.role, [Attr.routeModel]: routed.routing.model });
      await this.publishRouted(event, pick, routed.routing);
    });
  }

  /** The configured policy, moved to `cheapest` while the tenant's day budget is low. */
  private async policyFor(task: { taskType: string; routingPolicy?: RoutingPolicy }, tenantId: string): Promise<PolicyPick> {
    const pick = this.policies.policyFor(task, tenantId);
    const scope = await this.state.budgets.scope(budgetScopeIds.tenantDay(tenantId, new Date()));
    return withBudget(pick, this.budgets, tenantId, scope);
  }

  /** The task's roles and models for its pattern. */
  private route(task: TaskAdmitted['data'], pattern: Pattern, ctx: TaskRoutingContext): TaskRouting {
    switch (pattern) {
      case 'workflow':
        // Only a task naming a workflow gets this pattern, and onAdmitted checked that it exists.
        return routeWorkflow(task, ctx, this.workflows.get(task.workflow ?? ''));
      case 'plan':
        return routeForPlanner(task, ctx);
      case 'debate':
        return routeDebate(task, ctx, this.policies.debateFor(task.taskType, chooseRole(task.taskType)));
      case 'single':
        return routeSingle(task, ctx, this.policies.handoffsFor(task.taskType));
    }
  }

  /** Routes the planner agent's plan under the task's policy; the task's status is the planner's business. */
  @EventPattern('plan.proposed')
  onPlanProposed(@Payload() event: PlanProposed): Promise<void> {
    return withSpan('route plan', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId }, async (span) => {
      const d = event.data;
      const { policy, source } = await this.policyFor(d, event.tenantId);
      span.setAttributes({ [Attr.routePolicy]: policy, [Attr.routePolicySource]: source });
      const routed = routePlan(
        d.plan,
        this.catalog.list(),
        {
          ...(d.needs ? { needs: d.needs } : {}),
          input: d.input,
          expectedOutputTokens: this.config.ROUTER_EXPECTED_OUTPUT_TOKENS,
          openBreakers: await this.openBreakers(),
        },
        policy,
      );
      span.setAttribute(Attr.routeReason, routed.decision.reason);
      await this.bus.publish(createEvent('plan.routed', causedBy(event, `router.plan:${d.revision}`), planRoutedData(d.revision, routed)));
    });
  }

  /**
   * Asks the classifier, its call's worst case reserved first like any agent call, and
   * publishes the usage (carrying the reservation to settle) so the task is charged for it.
   * The usage id comes from the reservation: a redelivered task.admitted asks again, and that
   * second call is charged as the call it is.
   */
  private async classify(event: TaskAdmitted, openBreakers: ReadonlySet<string>): Promise<PatternPick> {
    const { pick, usage, failure } = await this.classifier.classify(event.data, openBreakers, this.spendGate(event));
    if (failure) this.log.warn(`task ${event.taskId}: pattern classifier failed (${failure}); using ${pick.pattern}`);
    if (usage) await this.bus.publish(createEvent('llm.usage', causedBy(event, `router.classify.usage:${usage.reservation?.id ?? ''}`), usage));
    return pick;
  }

  /**
   * Reservations of the classifier's calls on the task's, tenant's and global budgets, under
   * ids derived from the task.admitted: a router killed during the call leaves its reservation
   * held, and the redelivery charges that call at its worst case (the provider bills it) before
   * it asks again.
   */
  private spendGate(event: TaskAdmitted): SpendGate {
    const maxUsd = event.data.limits?.maxCostUsd;
    const calls = new CallReservations(this.state.budgets, event.eventId, randomUUID);
    return {
      reserve: async (request, model) => {
        const scopes = budgetScopes(this.budgets, {
          taskId: event.taskId,
          tenantId: event.tenantId,
          ...(maxUsd !== undefined ? { taskMaxMicros: usdToMicros(maxUsd) } : {}),
          at: new Date(),
        });
        const { reservationId: id, result } = await calls.reserveNext(
          {
            taskId: event.taskId,
            tenantId: event.tenantId,
            model: model.id,
            amountMicros: worstCaseMicros(model, request),
            scopes,
            ttlMs: this.budgets.reservationTtlSeconds * 1000,
            lowWatermark: this.budgets.lowWatermark,
          },
          (orphans) => this.bus.publishAll(orphans.map((o) => this.cutOffUsage(event, o))),
        );
        return result.ok ? { id, scopes: scopes.map((s) => s.id) } : null;
      },
      release: async (id) => {
        await this.state.budgets.release(id);
      },
    };
  }

  /** The usage of a classifier call a killed router was in: charged at its reserved worst case. */
  private cutOffUsage(event: TaskAdmitted, orphan: OrphanReservation): LlmUsage {
    this.log.warn(`task ${event.taskId}: charging classifier call ${orphan.id} at its worst case: a router that died was in it`);
    const providerOf = (m: string) => (this.catalog.has(m) ? this.catalog.get(m).provider : 'unknown');
    return createEvent('llm.usage', causedBy(event, `router.classify.usage.estimated:${orphan.id}`), cutOffUsage(orphan, { stepId: CLASSIFY_STEP_ID, attempt: 1, model: 'unknown' }, providerOf));
  }

  /** Moves the task to routed and publishes the routing, carrying the task's own fields along. */
  private async publishRouted(event: TaskAdmitted, pick: PatternPick, routing: Routing): Promise<void> {
    const { redactions: _redactions, ...spec } = event.data;
    const { role, model } = routing;
    const moved = await this.state.tasks.transition(event.taskId, 'routed', { from: ['admitted'], fields: { role, model } });
    if (!settled(moved, 'routed')) return;
    await this.bus.publish(
      createEvent('task.routed', causedBy(event, 'router'), { ...spec, ...routing, pattern: pick.pattern, patternReason: pick.reason }),
    );
  }

  private async fail(event: TaskAdmitted, failure: { reason: ErrorInfo; stopReason?: 'no_eligible_model' }): Promise<void> {
    const moved = await this.state.tasks.transition(event.taskId, 'failed', { from: ['admitted'], fields: { error: failure.reason } });
    if (!settled(moved, 'failed')) return;
    await this.bus.publish(createEvent('task.failed', causedBy(event, 'router.failed'), failure));
  }

  /** Models whose breaker is open now; half-open ones stay eligible so that a probe can close them. */
  private async openBreakers(): Promise<ReadonlySet<string>> {
    const states = await this.state.breakers.states(this.catalog.list().map((m) => m.id));
    return new Set(Object.entries(states).filter(([, s]) => s === 'open').map(([m]) => m));
  }
}

/**
 * Whether to publish after a transition: when it applied, or when the task already is in
 * that status (a crash between the two). A redelivered task.admitted that finds the task
 * further along, possibly routed differently since breakers change, publishes nothing.
 */
function settled(moved: { applied: boolean; status: string | null }, to: 'routed' | 'failed'): boolean {
  return moved.applied || moved.status === to;
}

/** The failure of a task no model can serve, the decision attached. */
function noModel(decision: RoutingDecision, message: string): { reason: ErrorInfo; stopReason: 'no_eligible_model' } {
  return { reason: { ...noModelError(decision, message), details: decision }, stopReason: 'no_eligible_model' };
}
