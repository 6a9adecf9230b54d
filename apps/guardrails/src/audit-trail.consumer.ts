import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { AuditRecorded } from '@baton/contracts';
import { STATE_STORE } from '@baton/service-kit';
import type { StateStore } from '@baton/state';
import { auditTrailEntry } from './audit-trail';

/** Wiring only: every service publishes its audit entries on the audit topic; this group files them per task (audit-trail.ts). */
@Controller()
export class AuditTrailConsumer {
  constructor(@Inject(STATE_STORE) private readonly state: Pick<StateStore, 'audit'>) {}

  @EventPattern('audit.recorded', { group: 'audit-trail' })
  async onAudit(@Payload() event: AuditRecorded): Promise<void> {
    await this.state.audit.append(auditTrailEntry(event));
  }
}
