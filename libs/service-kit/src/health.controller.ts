import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { MessageBus } from '@baton/messaging';
import type { StateStore } from '@baton/state';
import { Readiness } from './readiness';
import { BUS, SERVICE_INFO, STATE_STORE } from './tokens';

/** Liveness and readiness that check the real dependencies (Kafka producer, Redis, consumers). */
@Controller()
export class HealthController {
  constructor(
    @Inject(BUS) private readonly bus: MessageBus,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(SERVICE_INFO) private readonly info: { name: string },
    private readonly readiness: Readiness,
  ) {}

  /** Alive: the process answers. */
  @Get('healthz')
  health(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.info.name };
  }

  /** Ready: Kafka and Redis answer and every consumer has joined its group. */
  @Get('readyz')
  async ready(): Promise<{ status: 'ready'; service: string }> {
    const problems: string[] = [];
    if (!this.bus.isHealthy()) problems.push('kafka: not connected');
    if (!(await this.state.ping().catch(() => false))) problems.push('redis: no answer');
    for (const w of this.readiness.waitingFor()) problems.push(`waiting for ${w}`);
    if (problems.length) {
      throw new HttpException({ status: 'not_ready', service: this.info.name, problems }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ready', service: this.info.name };
  }
}
