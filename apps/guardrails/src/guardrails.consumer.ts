import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Topics, causedBy, createEvent, type OutputProposed, type TaskSubmitted } from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, Readiness, SERVICE_NAMESPACE, STATE_STORE, startConsumer, type ServiceNamespace } from '@baton/service-kit';
import { ShadowIndex } from '@baton/shadow';
import type { StateStore } from '@baton/state';
import { Attr, currentTraceId, withSpan } from '@baton/telemetry';
import { GUARDRAILS_CONFIG, type GuardrailsConfig } from './config';
import { screenInput } from './input-screen';
import { screenOutput } from './output-screen';

/**
 * Wiring only: applies the input and output screens and publishes their verdicts.
 * State moves before the verdict is published, so the next service never sees a task
 * its state does not know yet; event ids derive from the cause, so a redelivery
 * republishes the same ids and downstream drops them.
 *
 * In a namespace (a shadow), `task.submitted` is read from live: the gateway created the
 * live record only, so the guardrails create the namespace's own record first and index it
 * for the shadow report; everything downstream then runs unchanged in the namespace.
 */
@Injectable()
export class GuardrailsConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(GUARDRAILS_CONFIG) private readonly config: GuardrailsConfig,
    @Inject(SERVICE_NAMESPACE) private readonly namespace: ServiceNamespace,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await startConsumer(this.bus, this.readiness, {
      groupId: 'guardrails',
      topics: [Topics.taskSubmitted, Topics.outputProposed],
      handlers: {
        'task.submitted': (e) => this.onSubmitted(e),
        'output.proposed': (e) => this.onProposed(e),
      },
    });
  }

  private onSubmitted(event: TaskSubmitted): Promise<void> {
    return withSpan('guard input', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId }, async (span) => {
      if (this.namespace.namespace !== null) await this.enterNamespace(event);
      const verdict = screenInput(event.data, {
        maxInputChars: this.config.GUARD_MAX_INPUT_CHARS,
        maxInstructionChars: this.config.GUARD_MAX_INSTRUCTION_CHARS,
      });
      span.setAttribute(Attr.guardVerdict, verdict.admit ? 'admit' : 'reject');
      if (verdict.admit) {
        await this.state.tasks.transition(event.taskId, 'admitted', { from: ['submitted'] });
        await this.bus.publish(createEvent('task.admitted', causedBy(event, 'guard.input'), verdict.task));
      } else {
        span.setAttribute(Attr.guardReason, verdict.reason.code);
        await this.state.tasks.transition(event.taskId, 'rejected', { from: ['submitted'], fields: { error: verdict.reason } });
        await this.bus.publish(
          createEvent('task.rejected', causedBy(event, 'guard.input'), { stage: 'input', reason: verdict.reason }),
        );
      }
    });
  }

  /** Creates the namespace's record of a live task (idempotent) and indexes it for the shadow report. */
  private async enterNamespace(event: TaskSubmitted): Promise<void> {
    const { taskId, tenantId } = event;
    await this.state.tasks.create({ taskId, tenantId, taskType: event.data.taskType, traceId: currentTraceId() });
    await new ShadowIndex(this.state.context).add(tenantId, taskId, new Date(event.occurredAt));
  }

  private onProposed(event: OutputProposed): Promise<void> {
    const d = event.data;
    return withSpan(
      'guard output',
      { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepId]: d.stepId, [Attr.stepAttempt]: d.attempt },
      async (span) => {
        const verdict = screenOutput(d);
        span.setAttribute(Attr.guardVerdict, verdict.approve ? 'approve' : 'block');
        const origin = causedBy(event, 'guard.output');
        const tools = d.toolCalls === undefined ? {} : { toolCalls: d.toolCalls };
        if (verdict.approve) {
          await this.bus.publish(createEvent('output.approved', origin, { stepId: d.stepId, attempt: d.attempt, output: verdict.output, ...tools }));
        } else {
          span.setAttribute(Attr.guardReason, verdict.reason.code);
          await this.bus.publish(createEvent('output.blocked', origin, { stepId: d.stepId, attempt: d.attempt, reason: verdict.reason, ...tools }));
        }
      },
    );
  }
}
