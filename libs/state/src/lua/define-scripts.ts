import type { Redis } from 'ioredis';
import { breakerFailureScript, breakerProbeScript, breakerSuccessScript } from '../breakers/breaker.scripts';
import { releaseScript, reserveScript, settleScript, sweepBudgetScript } from '../budget/budget.scripts';
import { saveIfRevisionScript } from '../context/context.scripts';
import { decideEscalationScript, openEscalationScript, resumeEscalationScript } from '../escalations/escalation.scripts';
import { claimScript } from '../idempotency/idempotency.scripts';
import { leaseAcquireScript, leaseFinishScript, leaseRenewScript } from '../leases/lease.scripts';
import { rateRefundScript, rateTakeScript } from '../rate/rate.scripts';
import { redriveAbandonScript } from '../redrive/redrive.scripts';
import { recordSpendScript } from '../spend/spend.scripts';
import { createTaskScript, settleSubmissionScript, submitTaskScript, transitionScript } from '../task/task.scripts';
import { toolCallOrdinalScript, toolFinishScript, toolReleaseScript } from '../tools/tool.scripts';
import type { BatonRedis, LuaScript } from './lua-script';

/** Every script of the state lib, each defined in the folder of the store that runs it. */
export const ALL_SCRIPTS: readonly LuaScript<never, unknown>[] = [
  createTaskScript,
  submitTaskScript,
  settleSubmissionScript,
  transitionScript,
  recordSpendScript,
  claimScript,
  breakerFailureScript,
  breakerSuccessScript,
  breakerProbeScript,
  openEscalationScript,
  decideEscalationScript,
  resumeEscalationScript,
  reserveScript,
  settleScript,
  releaseScript,
  sweepBudgetScript,
  rateTakeScript,
  rateRefundScript,
  leaseAcquireScript,
  leaseRenewScript,
  leaseFinishScript,
  saveIfRevisionScript,
  toolFinishScript,
  toolReleaseScript,
  toolCallOrdinalScript,
  redriveAbandonScript,
];

/** Registers every script on a client (SHA computed locally; loaded on first use). */
export function defineScripts(redis: Redis): BatonRedis {
  for (const script of ALL_SCRIPTS) {
    redis.defineCommand(script.command, script.numberOfKeys === 'variadic' ? { lua: script.lua } : { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
  return redis as BatonRedis;
}
