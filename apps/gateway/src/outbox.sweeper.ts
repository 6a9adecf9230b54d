import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MessageBus } from '@baton/messaging';
import { BUS, STATE_STORE } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { EscalationDecisions } from './escalations.service';
import { TaskSubmissions } from './submissions.service';

/** Most outbox entries of each kind one sweep publishes, so a backlog never makes one sweep long. */
export const SWEEP_BATCH = 100;

/** What one sweep published. */
export interface SweepCounts {
  /** `task.submitted` events published. */
  submissions: number;
  /** `task.decision` events published. */
  decisions: number;
}

/**
 * Publishes what a request stored but did not get to publish (the gateway crashed, or the
 * broker refused and the client never retried): submissions and escalation decisions
 * (the planner's timeouts included) older than GATEWAY_OUTBOX_AFTER_MS, with the event ids they were stored with, so a copy of one the
 * request did publish is dropped by its consumers. Every gateway replica sweeps; two
 * sweeping the same entry publish the same event id.
 */
@Injectable()
export class OutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('gateway outbox');
  private readonly submissions: TaskSubmissions;
  private readonly decisions: EscalationDecisions;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    @Inject(BUS) bus: MessageBus,
    @Inject(STATE_STORE) state: StateStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    const warn = (m: string): void => this.log.warn(m);
    this.submissions = new TaskSubmissions({ tasks: state.tasks, publish: (e) => bus.publish(e), warn });
    // The sweep only republishes recorded decisions: nothing to redact.
    this.decisions = new EscalationDecisions({ escalations: state.escalations, publish: (e) => bus.publish(e), warn, vault: async () => ({}) });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.GATEWAY_OUTBOX_SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One sweep of entries stored at or before `nowMs` minus GATEWAY_OUTBOX_AFTER_MS. */
  async sweep(nowMs: number): Promise<SweepCounts> {
    const cutoff = nowMs - this.config.GATEWAY_OUTBOX_AFTER_MS;
    return {
      submissions: await this.submissions.republishDue(cutoff, SWEEP_BATCH),
      decisions: await this.decisions.republishDue(cutoff, SWEEP_BATCH),
    };
  }

  // One sweep at a time: a slow broker must not pile sweeps up.
  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep(Date.now());
    } catch (err) {
      this.log.error(`outbox sweep failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
    }
  }
}
