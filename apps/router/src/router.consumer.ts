import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Topics, causedBy, createEvent, type ErrorInfo, type RoutingDecision, type RoutingPolicy, type TaskAdmitted, type TaskRouted } from '@baton/contracts';
import type { ModelCatalog } from '@baton/llm';
import type { MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, startConsumer } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { Attr, withSpan, type Span } from '@baton/telemetry';
import { WorkflowNotFoundError, type WorkflowRegistry } from '@baton/workflows';
import { estimatePromptTokens } from './call-profile';
import { MODEL_CATALOG, ROUTER_CONFIG, ROUTING_POLICIES, WORKFLOWS, type RouterConfig } from './config';
import { blockedByBreakers, chooseModel } from './model-choice';
import { routePlan } from './plan-routing';
import { chooseRole, instructionFor } from './role-rules';
import type { RoutingPolicies } from './routing-config';

/**
 * Wiring only: routes each admitted task (a single step, or every step of its workflow)
 * to roles and models under the task's routing policy and publishes the decision.
 */
@Injectable()
export class RouterConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(MODEL_CATALOG) private readonly catalog: ModelCatalog,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    @Inject(ROUTING_POLICIES) private readonly policies: RoutingPolicies,
    @Inject(WORKFLOWS) private readonly workflows: WorkflowRegistry,
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
    return withSpan('route task', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId }, async (span) => {
      const { policy, source } = this.policies.policyFor(event.data, event.tenantId);
      span.setAttributes({ [Attr.routePolicy]: policy, [Attr.routePolicySource]: source });
      const openBreakers = await this.openBreakers();
      if (event.data.workflow) await this.routeWorkflow(event, event.data.workflow, policy, openBreakers, span);
      else await this.routeSingle(event, policy, openBreakers, span);
    });
  }

  private async routeSingle(event: TaskAdmitted, policy: RoutingPolicy, openBreakers: ReadonlySet<string>, span: Span): Promise<void> {
    const task = event.data;
    const role = chooseRole(task.taskType);
    const instruction = instructionFor(task.taskType, task.instruction);
    const expectedOutputTokens = this.config.ROUTER_EXPECTED_OUTPUT_TOKENS;
    const choice = chooseModel(
      this.catalog.list(),
      {
        ...(task.needs ? { needs: task.needs } : {}),
        structuredOutput: task.outputSchema !== undefined,
        promptTokens: estimatePromptTokens(instruction, task.input),
        expectedOutputTokens,
        openBreakers,
      },
      policy,
    );
    span.setAttribute(Attr.routeReason, choice.decision.reason);
    if (choice.model === null) {
      await this.fail(event, noModel(choice.decision, choice.decision.reason));
      return;
    }
    span.setAttributes({ [Attr.routeRole]: role, [Attr.routeModel]: choice.model });
    await this.publishRouted(event, role, choice.model, {
      instruction,
      pattern: 'single',
      ...(choice.fallbackModels.length ? { fallbackModels: choice.fallbackModels } : {}),
      ...(choice.cascadeModels.length ? { cascadeModels: choice.cascadeModels } : {}),
      decision: choice.decision,
    });
  }

  private async routeWorkflow(event: TaskAdmitted, name: string, policy: RoutingPolicy, openBreakers: ReadonlySet<string>, span: Span): Promise<void> {
    const task = event.data;
    span.setAttribute(Attr.workflowName, name);
    if (!this.workflows.has(name)) {
      const message = new WorkflowNotFoundError(name, this.workflows.list().map((w) => w.name)).message;
      await this.fail(event, { reason: { kind: 'user', code: 'unknown_workflow', message } });
      return;
    }
    const workflow = this.workflows.get(name);
    const routed = routePlan(
      workflow.plan,
      this.catalog.list(),
      {
        ...(task.needs ? { needs: task.needs } : {}),
        input: task.input,
        expectedOutputTokens: this.config.ROUTER_EXPECTED_OUTPUT_TOKENS,
        openBreakers,
      },
      policy,
    );
    span.setAttribute(Attr.routeReason, routed.decision.reason);
    if (!routed.ok) {
      await this.fail(event, noModel(routed.decision, `workflow ${name}, ${routed.decision.reason}`));
      return;
    }
    const [first] = routed.plan.steps;
    if (!first?.model) throw new Error(`workflow ${name}: the routed plan has no first step with a model`);
    span.setAttributes({ [Attr.routeRole]: first.role, [Attr.routeModel]: first.model });
    await this.publishRouted(event, first.role, first.model, {
      instruction: task.instruction ?? workflow.description,
      pattern: 'workflow',
      ...(first.fallbackModels ? { fallbackModels: first.fallbackModels } : {}),
      ...(first.cascadeModels ? { cascadeModels: first.cascadeModels } : {}),
      plan: routed.plan,
      decision: routed.decision,
    });
  }

  /** Moves the task to routed and publishes the routing, carrying the task's own fields along. */
  private async publishRouted(
    event: TaskAdmitted,
    role: TaskRouted['data']['role'],
    model: string,
    routing: Pick<TaskRouted['data'], 'instruction' | 'pattern' | 'fallbackModels' | 'cascadeModels' | 'plan' | 'decision'>,
  ): Promise<void> {
    const { redactions: _redactions, ...spec } = event.data;
    const moved = await this.state.tasks.transition(event.taskId, 'routed', { from: ['admitted'], fields: { role, model } });
    if (!settled(moved, 'routed')) return;
    await this.bus.publish(createEvent('task.routed', causedBy(event, 'router'), { ...spec, ...routing, role, model }));
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

/**
 * The failure of a task no model can serve: the submitter's fault when its needs rule out
 * every model, a system fault when only open breakers stand in the way.
 */
function noModel(decision: RoutingDecision, message: string): { reason: ErrorInfo; stopReason: 'no_eligible_model' } {
  const kind = blockedByBreakers(decision) ? 'system' : 'user';
  return { reason: { kind, code: 'no_eligible_model', message, details: decision }, stopReason: 'no_eligible_model' };
}
