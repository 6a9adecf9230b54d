import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { TaskId } from '@baton/contracts';
import { STATE_STORE } from '@baton/service-kit';
import { ShadowIndex, buildShadowReport, isSettled, loadShadowPairs, sidesAgree, toShadowSide, type ShadowReport, type ShadowSide, type ShadowStores } from '@baton/shadow';
import type { StateStore } from '@baton/state';
import { SHADOW_CONFIG, SHADOW_STATE, type ShadowConfig } from './shadow.config';
import { toTaskView, type TaskView } from './task-view';
import { AllowRoles } from './access';
import { ApiKeyGuard, Tenant } from './api-key.guard';

/** Default and largest number of shadow tasks one report reads. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** What `GET /v1/shadow/report` answers. */
export interface ShadowReportAnswer extends ShadowReport {
  tenantId: string;
  /** Namespace the shadow pipeline runs in. */
  namespace: string;
  /** Most recent shadow tasks read. */
  limit: number;
}

/** What `GET /v1/shadow/tasks/:id` answers: one task as live and the shadow saw it. */
export interface ShadowTaskAnswer {
  taskId: string;
  live: TaskView | null;
  shadow: TaskView | null;
  /** Same status and result on both sides; null until both have settled. */
  agrees: boolean | null;
}

/** Compares the shadow pipeline (a candidate policy) with live, per tenant. Read-only. */
@Controller('v1/shadow')
@UseGuards(ApiKeyGuard)
export class ShadowController {
  private readonly stores: ShadowStores;
  private readonly index: ShadowIndex;

  constructor(
    @Inject(STATE_STORE) private readonly live: StateStore,
    @Inject(SHADOW_STATE) private readonly shadow: StateStore,
    @Inject(SHADOW_CONFIG) private readonly config: ShadowConfig,
  ) {
    this.stores = { live, shadow };
    this.index = new ShadowIndex(shadow.context);
  }

  @Get('report')
  @AllowRoles(['viewer'])
  async report(@Tenant() tenantId: string, @Query('limit') limitText: string | undefined): Promise<ShadowReportAnswer> {
    const limit = parseLimit(limitText);
    const pairs = await loadShadowPairs(this.index, this.stores, tenantId, limit);
    return { tenantId, namespace: this.config.BATON_SHADOW_NAMESPACE, limit, ...buildShadowReport(pairs) };
  }

  @Get('tasks/:id')
  @AllowRoles(['viewer'])
  async task(@Tenant() tenantId: string, @Param('id') id: string): Promise<ShadowTaskAnswer> {
    if (!TaskId.safeParse(id).success) throw new BadRequestException({ error: 'invalid_request', message: 'id: must be a UUID', issues: [] });
    const [live, shadow] = await Promise.all([this.view(this.live, tenantId, id), this.view(this.shadow, tenantId, id)]);
    // Another tenant's task answers exactly like a missing one.
    if (!live && !shadow) throw new NotFoundException({ error: 'not_found', message: `no task ${id}` });
    const bothSettled = live && shadow && isSettled(live.side) && isSettled(shadow.side);
    return {
      taskId: id,
      live: live?.view ?? null,
      shadow: shadow?.view ?? null,
      agrees: bothSettled ? sidesAgree(live.side, shadow.side) : null,
    };
  }

  /** The task in one keyspace, as the API shows it and as the report compares it; null when missing or another tenant's. */
  private async view(store: StateStore, tenantId: string, id: string): Promise<{ view: TaskView; side: ShadowSide } | null> {
    const record = await store.tasks.get(id);
    if (!record || record.tenantId !== tenantId) return null;
    const cost = await store.spend.taskTotal(id);
    return { view: toTaskView(record, cost), side: toShadowSide(record, cost) };
  }
}

function parseLimit(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_LIMIT;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new BadRequestException({ error: 'invalid_request', message: `limit: must be an integer from 1 to ${MAX_LIMIT}`, issues: [] });
  }
  return n;
}
