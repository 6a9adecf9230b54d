import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Topics, causedBy, createEvent, type OutputProposed, type TaskSubmitted } from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, Readiness, STATE_STORE, startConsumer } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import { GUARDRAILS_CONFIG, type GuardrailsConfig } from './config';
import { screenInput } from './input-screen';
import { screenOutput } from './output-screen';

/**
 * Wiring only: applies the input and output screens and publishes their verdicts.
 * State moves before the verdict is published, so the next service never sees a task
 * its state does not know yet; event ids derive from the cause, so a redelivery
 * republishes the same ids and downstream drops them.
 */
@Injectable()
export class GuardrailsConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(GUARDRAILS_CONFIG) private readonly config: GuardrailsConfig,
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

  private onProposed(event: OutputProposed): Promise<void> {
    const d = event.data;
    return withSpan(
      'guard output',
      { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.stepId]: d.stepId, [Attr.stepAttempt]: d.attempt },
      async (span) => {
        const verdict = screenOutput(d);
        span.setAttribute(Attr.guardVerdict, verdict.approve ? 'approve' : 'block');
        const origin = causedBy(event, 'guard.output');
        if (verdict.approve) {
          await this.bus.publish(createEvent('output.approved', origin, { stepId: d.stepId, attempt: d.attempt, output: verdict.output }));
        } else {
          span.setAttribute(Attr.guardReason, verdict.reason.code);
          await this.bus.publish(createEvent('output.blocked', origin, { stepId: d.stepId, attempt: d.attempt, reason: verdict.reason }));
        }
      },
    );
  }
}
