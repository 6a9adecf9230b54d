import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { stepRequestedTopic, type AgentRole, type StepRequested, type ToolVerdict } from '@baton/contracts';
import { ConsumerGroups, type HandlerContext } from '@baton/messaging';
import { STATE_STORE } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { runLeased } from './step-lease';
import { StepRunner } from './step-runner.service';
import { VerdictInbox } from './verdict-inbox';

/** A step's lease outlives this many ms without renewal: a dead replica's step is taken over after it. */
const STEP_LEASE_TTL_MS = 15_000;
/** How often a replica handed a step another one is running looks whether it finished. */
const STEP_LEASE_POLL_MS = 1_000;

/** Group of the step handler: one consumer group per role (see agentConsumerGroups). */
const STEPS = 'agent-steps';
/** Group of the verdict handler: one consumer group per instance (see agentConsumerGroups). */
const VERDICTS = 'agent-verdicts';

/** A name no other agent instance has: its verdict inbox and its group on the verdict topic. */
export function agentInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * The agent's consumer groups: one per role it serves (`agent-<role>` on that role's step
 * topic), so each role scales and lags on its own; and one of this instance alone on the
 * verdict topic, since every instance must see the verdicts addressed to it.
 */
export function agentConsumerGroups(roles: readonly AgentRole[], instanceId: string): ConsumerGroups {
  return new ConsumerGroups({
    [STEPS]: roles.map((role) => ({ groupId: `agent-${role}`, topics: [stepRequestedTopic(role)] })),
    [VERDICTS]: [{ groupId: `agent-verdicts-${instanceId}` }],
  });
}

/**
 * Wiring only: each requested step runs under the step's lease, so one replica runs it even
 * when its message reaches two (step-lease.ts, step-runner.service.ts); each verdict goes to
 * the inbox of this instance, where a step waits for it.
 */
@Controller()
export class AgentConsumer {
  private readonly log = new Logger('agent');

  constructor(
    private readonly runner: StepRunner,
    private readonly inbox: VerdictInbox,
    @Inject(STATE_STORE) private readonly state: StateStore,
  ) {}

  /**
   * A verdict on a tool call of this instance. Read from the latest on (an instance only waits
   * for verdicts on calls it proposes from now on); started before the steps and stopped after
   * they drained, so a step in the middle of a tool call still gets its verdict on shutdown.
   */
  @EventPattern('tool.verdict', { group: VERDICTS, fromBeginning: false, shutdownPhase: 1 })
  async onVerdict(@Payload() event: ToolVerdict): Promise<void> {
    this.inbox.deliver(event.data);
  }

  /** One attempt of a step, run by one replica only even when its message reaches two (step-lease.ts). */
  @EventPattern('step.requested', { group: STEPS })
  async onStep(@Payload() event: StepRequested, @Ctx() ctx: HandlerContext): Promise<void> {
    const outcome = await runLeased(
      this.state.leases,
      { taskId: event.taskId, workId: event.eventId, owner: this.inbox.instanceId },
      {
        ttlMs: STEP_LEASE_TTL_MS,
        pollMs: STEP_LEASE_POLL_MS,
        heartbeat: () => ctx.heartbeat(),
        onLost: () => this.log.warn(`task ${event.taskId}: lost the lease on ${event.data.stepId} attempt ${event.data.attempt} while running it`),
      },
      () => this.runner.run(event, ctx),
    );
    if (outcome === 'skipped') this.log.log(`task ${event.taskId}: ${event.data.stepId} attempt ${event.data.attempt} was already run by another replica`);
  }
}
