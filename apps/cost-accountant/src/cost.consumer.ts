import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { causedBy, createEvent, type LlmUsage } from '@baton/contracts';
import { scopeTtlSeconds } from '@baton/budget';
import type { ModelCatalog } from '@baton/llm';
import { UnprocessableEvent, type MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import { MODEL_CATALOG } from './config';
import { priceUsage } from './pricing';
import { recordUsage } from './usage-metrics';

/**
 * Wiring only: prices each model call and settles the budget reservation the agent made
 * before it at the actual cost, adding it to the task's, tenant's, model's and day's spend
 * in Redis (idempotent by reservation and usage event id, so a redelivered usage never
 * charges twice). A usage marked `estimated` (a call cut off by a crash of its agent) is
 * charged at the worst case its reservation held.
 */
@Controller()
export class CostConsumer {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(MODEL_CATALOG) private readonly catalog: ModelCatalog,
  ) {}

  @EventPattern('llm.usage')
  onUsage(@Payload() event: LlmUsage): Promise<void> {
    return withSpan('record spend', { [Attr.taskId]: event.taskId, [Attr.tenantId]: event.tenantId, [Attr.genAiRequestModel]: event.data.model }, async (span) => {
      const costMicros = priceUsage(this.catalog, event.data);
      if (costMicros === null) throw new UnprocessableEvent('invalid_event', `estimated usage ${event.eventId} carries no reserved amount to charge`);
      span.setAttribute(Attr.costMicros, costMicros);
      const at = new Date(event.occurredAt);
      const reservation = event.data.reservation;
      // A reserved call settles its reservation at the actual cost (once, by reservation id);
      // usage without one (the router's classifier, older agents) is only added to the totals.
      // An estimated usage (the call was cut off by a crash) settles it at its worst case; when
      // the call's own usage also arrives, whichever comes first is the one charged.
      const totals = reservation
        ? await this.state.budgets.settle({
            reservationId: reservation.id,
            actualMicros: costMicros,
            usageEventId: event.eventId,
            model: event.data.model,
            at,
            taskId: event.taskId,
            tenantId: event.tenantId,
            scopes: reservation.scopes.map((id) => ({ id, limitMicros: 0, ttlSeconds: scopeTtlSeconds(id) })),
          })
        : await this.state.spend.record({ usageEventId: event.eventId, taskId: event.taskId, tenantId: event.tenantId, model: event.data.model, costMicros, at });
      // Counted where it is charged, and only then: a redelivered usage is neither.
      if (totals.applied) recordUsage(event.tenantId, event.data, costMicros);
      await this.bus.publish(
        createEvent('spend.recorded', causedBy(event, 'cost.recorded'), {
          usageEventId: event.eventId,
          model: event.data.model,
          costMicros,
          taskTotalMicros: totals.taskTotalMicros,
          tenantTotalMicros: totals.tenantTotalMicros,
        }),
      );
    });
  }
}
