import { BadRequestException, ConflictException, Controller, Get, GoneException, HttpCode, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { callerName, type Caller } from '@baton/api-keys';
import { allTopics } from '@baton/contracts';
import { DeadLetterNotRedrivableError, type MessageBus, type StoredDeadLetter } from '@baton/messaging';
import { BUS, STATE_STORE } from '@baton/service-kit';
import type { RedriveEntry, StateStore } from '@baton/state';
import { fieldProblem, parseListLimit } from './escalations-request';
import { type DeadLetterSummary, type DeadLetterView, toDeadLetterSummary, toDeadLetterView, visibleTo } from './dead-letters-view';
import { AllowRoles } from './access';
import { ApiCaller, ApiKeyGuard, Tenant } from './api-key.guard';

/** Answer to an accepted redrive. */
export interface RedriveAnswer {
  status: 'redriven';
  /** The dead letter sent back. */
  deadLetter: { topic: string; partition: number; offset: string };
  /** Where its original went, and whether it was read back whole (`original`) or rebuilt from the record. */
  to: { topic: string; partition: number; offset: string };
  source: 'original' | 'record';
}

function checkTopic(topic: string): void {
  if (!allTopics().includes(topic)) throw new BadRequestException(fieldProblem('topic', `must be one of Baton's topics (${allTopics().join(', ')})`));
}

function checkAddress(partition: string, offset: string): number {
  if (!/^\d{1,5}$/.test(partition)) throw new BadRequestException(fieldProblem('partition', 'must be a partition number'));
  if (!/^\d{1,19}$/.test(offset)) throw new BadRequestException(fieldProblem('offset', 'must be an offset'));
  return Number(partition);
}

/**
 * Dead letters of the caller's tenant: list them, read one, send one back to its topic once
 * the cause is fixed (`baton dlq list|show|redrive`). Read from the dead-letter topics with a
 * short-lived consumer; a redrive is recorded so the same dead letter is never sent back twice.
 */
@Controller('v1/dead-letters')
@UseGuards(ApiKeyGuard)
export class DeadLettersController {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
  ) {}

  /** The latest dead letters, newest first; `?topic=` narrows to one original topic. */
  @Get()
  @AllowRoles(['admin'])
  async list(@Tenant() tenantId: string, @Query('topic') topic: unknown, @Query('limit') limit: unknown): Promise<{ deadLetters: DeadLetterSummary[] }> {
    const parsed = parseListLimit(limit);
    if (!parsed.ok) throw new BadRequestException(parsed.problem);
    if (topic !== undefined && typeof topic !== 'string') throw new BadRequestException(fieldProblem('topic', 'must be one topic'));
    if (topic) checkTopic(topic);
    // Read `limit` per partition: after the tenant filter there are still up to `limit` of the tenant's own.
    const all = await this.bus.listDeadLetters(topic ? [topic] : allTopics(), parsed.value);
    return { deadLetters: all.filter((d) => visibleTo(tenantId, d)).slice(0, parsed.value).map(toDeadLetterSummary) };
  }

  @Get(':topic/:partition/:offset')
  @AllowRoles(['admin'])
  async get(@Tenant() tenantId: string, @Param('topic') topic: string, @Param('partition') partition: string, @Param('offset') offset: string): Promise<DeadLetterView> {
    const dead = await this.find(tenantId, topic, partition, offset);
    return toDeadLetterView(dead, await this.state.redrives.get(dead.topic, dead.partition, dead.offset));
  }

  /** Sends the dead letter's original message back to its topic; 409 when it was redriven before. */
  @Post(':topic/:partition/:offset/redrive')
  @HttpCode(202)
  @AllowRoles(['admin'])
  async redrive(@ApiCaller() caller: Caller, @Param('topic') topic: string, @Param('partition') partition: string, @Param('offset') offset: string): Promise<RedriveAnswer> {
    const dead = await this.find(caller.tenant, topic, partition, offset);
    const by = callerName(caller);
    const begun = await this.state.redrives.begin(dead.topic, dead.partition, dead.offset, by);
    if (!begun.begun) throw new ConflictException(alreadyRedriven(begun.entry));
    let sent;
    try {
      sent = await this.bus.redriveDeadLetter(dead);
    } catch (err) {
      await this.state.redrives.abandon(dead.topic, dead.partition, dead.offset, begun.entry);
      if (err instanceof DeadLetterNotRedrivableError) throw new GoneException({ error: 'original_gone', message: err.message });
      throw err;
    }
    const to = { topic: sent.topic, partition: sent.partition, offset: sent.offset };
    await this.state.redrives.finish(dead.topic, dead.partition, dead.offset, by, to);
    return { status: 'redriven', deadLetter: { topic, partition: dead.partition, offset: dead.offset }, to, source: sent.source };
  }

  /** The dead letter at the address, if the caller's tenant may see it; 404 otherwise (another tenant's looks absent). */
  private async find(tenantId: string, topic: string, partition: string, offset: string): Promise<StoredDeadLetter> {
    checkTopic(topic);
    const dead = await this.bus.getDeadLetter(topic, checkAddress(partition, offset), offset);
    if (!dead || !visibleTo(tenantId, dead)) throw new NotFoundException({ error: 'not_found', message: `no dead letter ${topic}/${partition}/${offset}` });
    return dead;
  }
}

function alreadyRedriven(entry: RedriveEntry): { error: string; message: string; redrive: RedriveEntry } {
  const message =
    entry.state === 'done'
      ? `already redriven by ${entry.by} at ${entry.at}${entry.to ? ` to ${entry.to.topic}/${entry.to.partition}/${entry.to.offset}` : ''}`
      : `a redrive by ${entry.by} started at ${entry.at} is in progress`;
  return { error: 'already_redriven', message, redrive: entry };
}
