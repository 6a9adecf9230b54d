import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  HttpStatus,
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
import { randomUUID } from 'node:crypto';
import { BUDGET_POLICY, tenantLimits, usdToMicros, type BudgetPolicy } from '@baton/budget';
import { TaskId } from '@baton/contracts';
import type { MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE } from '@baton/service-kit';
import { budgetScopeIds, checkDay, rateScopeIds, utcDay, type AuditTrailEntry, type StateStore, type TaskRecord } from '@baton/state';
import { Attr, currentSpanId, currentTraceId, withSpan } from '@baton/telemetry';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { parseSubmitRequest } from './submit-request';
import { TaskSubmissions } from './submissions.service';
import { toTaskView, type TaskView } from './task-view';
import { AllowRoles } from './access';
import { ApiKeyGuard, Tenant } from './api-key.guard';

/** Answer to a submission. */
export interface SubmitAnswer {
  taskId: string;
  status: string;
  traceId: string | null;
  /** True when an earlier submission with the same idempotency key is returned. */
  duplicate: boolean;
}

/** A `day` query parameter as a UTC date, or a 400 naming it. */
function validDay(day: string): string {
  try {
    return checkDay(day);
  } catch {
    throw new BadRequestException({ error: 'invalid_request', message: 'day: must be a UTC day like 2026-11-24', issues: [] });
  }
}

/** The tenant's spend in real time. Amounts are integer micro-dollars. */
export interface SpendView {
  tenantId: string;
  /** The UTC day of `dayMicros` and of the budgets. */
  day: string;
  totalMicros: number;
  dayMicros: number;
  byModel: Record<string, number>;
  /** The tenant's daily budget: limit (null: none), settled spend and what running calls have reserved. */
  budgets: Array<{ scope: string; limitMicros: number | null; spentMicros: number; reservedMicros: number }>;
  task?: { taskId: string; spentMicros: number };
}

/** Submit tasks and read their state. Each task's trace starts here. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class TasksController {
  private readonly log = new Logger('gateway');
  private readonly submissions: TaskSubmissions;

  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(BUDGET_POLICY) private readonly budgets: BudgetPolicy,
  ) {
    this.submissions = new TaskSubmissions({ tasks: state.tasks, publish: (e) => bus.publish(e), warn: (m) => this.log.warn(m) });
  }

  @Post('tasks')
  @HttpCode(202)
  @AllowRoles(['submitter'])
  submit(
    @Tenant() tenantId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmitAnswer> {
    return withSpan('POST /v1/tasks', { [Attr.tenantId]: tenantId }, async (span) => {
      const parsed = parseSubmitRequest(body);
      if (!parsed.ok) throw new BadRequestException(parsed.problem);
      if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 200)) {
        throw new BadRequestException({ error: 'invalid_request', message: 'idempotency-key: must be 1 to 200 characters', issues: [] });
      }
      await this.admitRate(tenantId, res);
      const taskId = randomUUID();
      span.setAttribute(Attr.taskId, taskId);
      const outcome = await this.submissions.submit({
        tenantId,
        taskId,
        spec: parsed.value,
        ...(idempotencyKey ? { idempotency: { key: idempotencyKey, ttlSeconds: this.config.GATEWAY_IDEMPOTENCY_TTL_SECONDS } } : {}),
        traceId: currentTraceId(),
        rootSpanId: currentSpanId(),
      });
      switch (outcome.kind) {
        case 'accepted':
          return { taskId, status: 'submitted', traceId: outcome.traceId, duplicate: false };
        case 'duplicate':
          span.setAttribute(Attr.taskId, outcome.taskId);
          res.status(200);
          return { taskId: outcome.taskId, status: outcome.status, traceId: outcome.traceId, duplicate: true };
        case 'unpublished':
          throw new ServiceUnavailableException({ error: 'unavailable', message: outcome.message, taskId: outcome.taskId });
      }
    }, { kind: SpanKind.SERVER });
  }

  /**
   * The tenant's tasks-per-minute limit, shared by every gateway replica through Redis. Over
   * it, the submission is refused with 429 and Retry-After before anything is stored or
   * published; tasks already accepted are untouched, and other tenants have their own limit.
   */
  private async admitRate(tenantId: string, res: Response): Promise<void> {
    const limit = tenantLimits(this.budgets, tenantId).tasksPerMinute;
    if (limit === undefined) return;
    const taken = await this.state.rates.take({ opId: randomUUID(), scopes: [{ id: rateScopeIds.tenantTasks(tenantId), limit, windowMs: 60_000 }], costs: [1] });
    if (taken.ok) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    res.setHeader('retry-after', String(retryAfterSeconds));
    throw new HttpException(
      { error: 'rate_limited', message: `tenant ${tenantId} may submit ${limit} tasks per minute; retry in ${retryAfterSeconds} s`, retryAfterSeconds },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  @Get('tasks/:id')
  @AllowRoles(['submitter', 'reviewer', 'viewer'])
  async get(@Tenant() tenantId: string, @Param('id') id: string): Promise<TaskView> {
    const task = await this.ownTask(tenantId, id, 'id');
    const escalation = task.status === 'escalated' ? await this.state.escalations.get(id) : null;
    return toTaskView(task, await this.state.spend.taskTotal(id), escalation);
  }

  @Get('tasks/:id/audit')
  @AllowRoles(['reviewer', 'viewer'])
  async audit(@Tenant() tenantId: string, @Param('id') id: string): Promise<{ taskId: string; entries: AuditTrailEntry[] }> {
    await this.ownTask(tenantId, id, 'id');
    return { taskId: id, entries: await this.state.audit.list(id) };
  }

  @Get('spend')
  @AllowRoles(['submitter', 'viewer'])
  async spend(@Tenant() tenantId: string, @Query('day') dayParam?: string, @Query('taskId') taskId?: string): Promise<SpendView> {
    const day = dayParam === undefined ? utcDay(new Date()) : validDay(dayParam);
    if (taskId !== undefined) await this.ownTask(tenantId, taskId, 'taskId');
    const limits = tenantLimits(this.budgets, tenantId);
    const dayScope = budgetScopeIds.tenantDay(tenantId, day);
    const [totalMicros, byModel, dayMicros, budget, taskMicros] = await Promise.all([
      this.state.spend.tenantTotal(tenantId),
      this.state.spend.tenantByModel(tenantId),
      this.state.spend.tenantByDay(tenantId, day),
      this.state.budgets.scope(dayScope),
      taskId === undefined ? Promise.resolve(0) : this.state.spend.taskTotal(taskId),
    ]);
    return {
      tenantId,
      day,
      totalMicros,
      dayMicros,
      byModel,
      budgets: [
        {
          scope: dayScope,
          limitMicros: limits.dailyUsd === undefined ? null : usdToMicros(limits.dailyUsd),
          spentMicros: budget.spentMicros,
          reservedMicros: budget.reservedMicros,
        },
      ],
      ...(taskId !== undefined ? { task: { taskId, spentMicros: taskMicros } } : {}),
    };
  }

  /** The tenant's task `id` (the `field` named in a 400); another tenant's task answers exactly like a missing one. */
  private async ownTask(tenantId: string, id: string, field: string): Promise<TaskRecord> {
    if (!TaskId.safeParse(id).success) throw new BadRequestException({ error: 'invalid_request', message: `${field}: must be a UUID`, issues: [] });
    const task = await this.state.tasks.get(id);
    if (!task || task.tenantId !== tenantId) throw new NotFoundException({ error: 'not_found', message: `no task ${id}` });
    return task;
  }
}
