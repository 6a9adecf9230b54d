import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  ServiceUnavailableException,
  UseGuards,
} from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import type { Response } from 'express';
import { callerName, type Caller } from '@baton/api-keys';
import { TaskId } from '@baton/contracts';
import { PII_VAULT, type PiiVault } from '@baton/guard';
import type { MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE } from '@baton/service-kit';
import type { EscalationDecision, StateStore } from '@baton/state';
import { Attr, withSpan } from '@baton/telemetry';
import { fieldProblem, parseListLimit } from './escalations-request';
import { EscalationDecisions } from './escalations.service';
import { type EscalationSummary, type EscalationView, toEscalationSummary, toEscalationView } from './escalations-view';
import { AllowRoles } from './access';
import { ApiCaller, ApiKeyGuard, Tenant } from './api-key.guard';

/** Answer to an accepted decision (202 when recorded now, 200 for a repeat of the recorded one). */
export interface DecisionAnswer {
  status: 'accepted';
  /** True when the same decision had been recorded before; its event was published again. */
  duplicate: boolean;
  taskId: string;
  escalationId: string;
  /** The recorded decision. */
  decision: EscalationDecision;
}

function checkTaskId(taskId: string): void {
  if (!TaskId.safeParse(taskId).success) throw new BadRequestException(fieldProblem('taskId', 'must be a UUID'));
}

/** Humans in the loop: list escalated tasks, read one, decide it. */
@Controller('v1/escalations')
@UseGuards(ApiKeyGuard)
export class EscalationsController {
  private readonly log = new Logger('gateway escalations');
  private readonly decisions: EscalationDecisions;

  constructor(
    @Inject(BUS) bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
  ) {
    this.decisions = new EscalationDecisions({
      escalations: state.escalations,
      publish: (event) => bus.publish(event),
      warn: (m) => this.log.warn(m),
      vault: async (taskId) => (await state.context.get<PiiVault>(taskId, PII_VAULT)) ?? {},
    });
  }

  @Get()
  @AllowRoles(['reviewer', 'viewer'])
  async list(@Tenant() tenantId: string, @Query('limit') limit: unknown): Promise<{ escalations: EscalationSummary[] }> {
    const parsed = parseListLimit(limit);
    if (!parsed.ok) throw new BadRequestException(parsed.problem);
    const open = await this.state.escalations.listOpen(tenantId, { limit: parsed.value });
    return { escalations: open.map(toEscalationSummary) };
  }

  @Get(':taskId')
  @AllowRoles(['reviewer', 'viewer'])
  async get(@Tenant() tenantId: string, @Param('taskId') taskId: string): Promise<EscalationView> {
    checkTaskId(taskId);
    const record = await this.state.escalations.get(taskId);
    // Another tenant's escalation answers exactly like a missing one.
    if (!record || record.tenantId !== tenantId) throw new NotFoundException({ error: 'not_found', message: `no escalation for task ${taskId}` });
    return toEscalationView(record);
  }

  @Post(':taskId/decision')
  @HttpCode(202)
  @AllowRoles(['reviewer'])
  async decide(
    @ApiCaller() caller: Caller,
    @Param('taskId') taskId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DecisionAnswer> {
    checkTaskId(taskId);
    const tenantId = caller.tenant;
    // The decision and the work it resumes join the task's own trace, under its submission.
    const task = await this.state.tasks.get(taskId);
    const parent = task?.tenantId === tenantId ? { traceId: task.traceId, spanId: task.rootSpanId ?? null } : null;
    return withSpan('POST /v1/escalations/:taskId/decision', { [Attr.tenantId]: tenantId, [Attr.taskId]: taskId }, async (span) => {
      const outcome = await this.decisions.decide({ tenantId, decidedBy: callerName(caller) }, taskId, body);
      switch (outcome.kind) {
        case 'invalid':
          throw new BadRequestException(outcome.problem);
        case 'not_found':
          throw new NotFoundException({ error: 'not_found', message: outcome.message });
        case 'conflict':
          throw new ConflictException({
            error: 'conflict',
            message: outcome.message,
            escalationId: outcome.record.escalationId,
            escalationStatus: outcome.record.status,
            ...(outcome.record.decision ? { decision: outcome.record.decision } : {}),
          });
        case 'unpublished':
          throw new ServiceUnavailableException({ error: 'unavailable', message: outcome.message, escalationId: outcome.record.escalationId });
        case 'accepted':
          span.setAttributes({
            [Attr.escalationId]: outcome.record.escalationId,
            [Attr.decisionAction]: outcome.decision.action,
            [Attr.eventId]: outcome.eventId,
          });
          if (outcome.duplicate) res.status(200);
          return {
            status: 'accepted',
            duplicate: outcome.duplicate,
            taskId,
            escalationId: outcome.record.escalationId,
            decision: outcome.decision,
          };
      }
    }, { kind: SpanKind.SERVER, parent });
  }
}
