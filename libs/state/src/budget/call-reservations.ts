import { deriveEventId, type LlmUsage } from '@baton/contracts';
import type { ReservationState, ReserveInput, ReserveResult } from './budget-ledger';

/*
 * Reservation ids a rerun can find: an agent's step attempt, or the router's pattern
 * classifier for a task.admitted, reserves each model call under an id derived from the
 * work's event id, the call's index and a generation, so the run that follows a crash
 * finds (and charges) what a dead run reserved for a call it was in.
 */

/** How a reservation stands, as the probe reads it (BudgetLedger.reservation in the service). */
export interface ReservationReader {
  reservation(reservationId: string): Promise<ReservationState | undefined>;
}

/** What a run's calls need of the budget ledger: probing their slots and reserving (BudgetLedger in the service). */
export interface CallLedger extends ReservationReader {
  reserve(input: ReserveInput): Promise<ReserveResult>;
}

/** A reservation a dead run of the step left held: its call was cut off mid-flight, and is charged at its worst case. */
export interface OrphanReservation {
  id: string;
  state: ReservationState;
}

/** Where a call's reservation goes, and what dead runs left on the way there. */
export interface CallSlot {
  /** The id to reserve this call with: the first generation nobody used. */
  reservationId: string;
  /** Reservations of this call index still `reserved` by a run that died mid-call. */
  orphans: OrphanReservation[];
}

/**
 * Most generations probed per call: one per run of the attempt. Past it the call reserves
 * under the caller's fresh (random) id, which no later run finds.
 */
export const MAX_GENERATIONS = 32;

/**
 * The reservation id of call `callIndex` (0, 1, ... in the order the attempt's run reserves,
 * a fallback model being a call of its own) of the step attempt `stepEventId`, in its
 * `generation`-th run. The same for every run, so a rerun finds what a dead run reserved.
 */
export function callReservationId(stepEventId: string, callIndex: number, generation: number): string {
  return deriveEventId(stepEventId, `agent.reservation:${callIndex}:${generation}`);
}

/**
 * Finds the id call `callIndex` reserves under: generations 0, 1, ... are read in turn and
 * the first with no record is used. A record still `reserved` belongs to a run of this step
 * that died mid-call (the step lease lets one run at a time, and a run that ends settles or
 * releases every reservation it made): it is returned as an orphan to charge. A settled,
 * released or refused record is an earlier run's finished call: skipped. One read when the
 * step runs for the first time.
 */
export async function probeCallSlot(port: ReservationReader, stepEventId: string, callIndex: number, freshId: () => string): Promise<CallSlot> {
  const orphans: OrphanReservation[] = [];
  for (let g = 0; g < MAX_GENERATIONS; g += 1) {
    const id = callReservationId(stepEventId, callIndex, g);
    const state = await port.reservation(id);
    if (state === undefined) return { reservationId: id, orphans };
    if (state.status === 'reserved') orphans.push({ id, state });
  }
  return { reservationId: freshId(), orphans };
}

/**
 * The reservations of one run of one step attempt: numbers its calls, finds each one's
 * reservation id, and collects what dead runs of the same attempt left held. Per run, never
 * shared between runs.
 */
export class CallReservations {
  private nextIndex = 0;
  /** Whether this run's first call took generation 0: then no earlier run reserved any call. */
  private firstRun = false;

  constructor(
    private readonly port: CallLedger,
    private readonly stepEventId: string,
    private readonly freshId: () => string,
  ) {}

  /** How many calls this run reserved for so far. */
  get calls(): number {
    return this.nextIndex;
  }

  /** The slot of this run's next call. */
  async next(): Promise<CallSlot> {
    const index = this.nextIndex;
    this.nextIndex += 1;
    const slot = await probeCallSlot(this.port, this.stepEventId, index, this.freshId);
    if (index === 0) this.firstRun = slot.reservationId === callReservationId(this.stepEventId, 0, 0);
    return slot;
  }

  /**
   * Reserves this run's next call under its slot's id. What dead runs left held for the same
   * call goes to `chargeOrphans` first (their usage, published before this call reserves, so
   * settling them frees the budgets they hold); then the ledger reserves `call`.
   */
  async reserveNext(
    call: Omit<ReserveInput, 'reservationId'>,
    chargeOrphans: (orphans: OrphanReservation[]) => Promise<void>,
  ): Promise<{ reservationId: string; result: ReserveResult }> {
    const slot = await this.next();
    if (slot.orphans.length) await chargeOrphans(slot.orphans);
    const result = await this.port.reserve({ ...call, reservationId: slot.reservationId });
    return { reservationId: slot.reservationId, result };
  }

  /**
   * Orphans of call indexes this run never reached: a dead run that got further than this one
   * (its model answered differently). No read when this run's first call found no earlier
   * run (calls are reserved in order, so nothing of an earlier run can lie beyond); else reads
   * on while an index was ever used. Call once, after the run's last call.
   */
  async beyond(): Promise<OrphanReservation[]> {
    if (this.firstRun) return [];
    const orphans: OrphanReservation[] = [];
    for (let index = this.nextIndex; ; index += 1) {
      const slot = await probeCallSlot(this.port, this.stepEventId, index, this.freshId);
      orphans.push(...slot.orphans);
      if (slot.reservationId === callReservationId(this.stepEventId, index, 0)) return orphans;
    }
  }
}

/**
 * The usage of a call a dead run was in when it died: the provider served (and bills) it,
 * its tokens are unknown, and it is charged at the worst case its reservation held (the cost
 * accountant settles an `estimated` usage at `reservation.amountMicros`).
 */
export function cutOffUsage(
  orphan: OrphanReservation,
  at: { stepId: string; attempt: number; model: string },
  providerOf: (model: string) => string,
): LlmUsage['data'] {
  const model = orphan.state.model ?? at.model;
  return {
    stepId: at.stepId,
    attempt: at.attempt,
    model,
    provider: providerOf(model),
    promptTokens: 0,
    completionTokens: 0,
    latencyMs: 0,
    reservation: { id: orphan.id, scopes: orphan.state.scopeIds, ...(orphan.state.amountMicros !== undefined ? { amountMicros: orphan.state.amountMicros } : {}) },
    estimated: true,
  };
}
