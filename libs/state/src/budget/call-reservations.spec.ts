import type { ReservationState, ReserveInput, ReserveResult } from './budget-ledger';
import { CallReservations, MAX_GENERATIONS, callReservationId, cutOffUsage, probeCallSlot, type CallLedger } from './call-reservations';

const STEP = 'eeeeeeee-eeee-4eee-8eee-000000000001';
const OTHER_STEP = 'eeeeeeee-eeee-4eee-8eee-000000000002';

/** Reservation records in memory, counting reads; a reserve is granted and logged with the step of the run it came in. */
class Records implements CallLedger {
  readonly rows = new Map<string, ReservationState['status']>();
  readonly log: string[] = [];
  reads = 0;
  set(index: number, generation: number, status: ReservationState['status']): string {
    const id = callReservationId(STEP, index, generation);
    this.rows.set(id, status);
    return id;
  }
  async reservation(id: string): Promise<ReservationState | undefined> {
    this.reads += 1;
    const status = this.rows.get(id);
    return status && { status, scopeIds: ['task:t1'], amountMicros: 100, model: 'sim-mini' };
  }
  async reserve(input: ReserveInput): Promise<ReserveResult> {
    this.log.push(`reserve ${input.reservationId} ${input.amountMicros}`);
    this.rows.set(input.reservationId, 'reserved');
    return { ok: true, remainingMicros: {}, crossedLow: [] };
  }
}

const CALL = { taskId: 't1', tenantId: 'acme', model: 'sim-mini', amountMicros: 40, scopes: [{ id: 'task:t1', limitMicros: 1000 }], ttlMs: 60_000 };

let fresh = 0;
const freshId = (): string => `fresh-${(fresh += 1)}`;

describe('callReservationId', () => {
  it('is the same in every run, and differs per step attempt, call and generation', () => {
    const id = callReservationId(STEP, 0, 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(callReservationId(STEP, 0, 0)).toBe(id);
    expect(new Set([id, callReservationId(STEP, 1, 0), callReservationId(STEP, 0, 1), callReservationId(OTHER_STEP, 0, 0)]).size).toBe(4);
  });
});

describe('probeCallSlot', () => {
  it('takes generation 0 with one read when the step never ran', async () => {
    const records = new Records();
    await expect(probeCallSlot(records, STEP, 0, freshId)).resolves.toEqual({ reservationId: callReservationId(STEP, 0, 0), orphans: [] });
    expect(records.reads).toBe(1);
  });

  it('returns a reservation a dead run left held as an orphan, and takes the next generation', async () => {
    const records = new Records();
    const dead = records.set(0, 0, 'reserved');
    const slot = await probeCallSlot(records, STEP, 0, freshId);
    expect(slot.reservationId).toBe(callReservationId(STEP, 0, 1));
    expect(slot.orphans.map((o) => o.id)).toEqual([dead]);
    expect(slot.orphans[0].state.amountMicros).toBe(100);
  });

  it('skips settled, released and refused calls of earlier runs without charging them', async () => {
    const records = new Records();
    records.set(0, 0, 'settled');
    records.set(0, 1, 'released');
    records.set(0, 2, 'refused');
    const orphan = records.set(0, 3, 'reserved');
    const slot = await probeCallSlot(records, STEP, 0, freshId);
    expect(slot).toEqual({ reservationId: callReservationId(STEP, 0, 4), orphans: [expect.objectContaining({ id: orphan })] });
  });

  it('falls back to a fresh id after the last generation', async () => {
    const records = new Records();
    for (let g = 0; g < MAX_GENERATIONS; g += 1) records.set(0, g, 'settled');
    const slot = await probeCallSlot(records, STEP, 0, () => 'fresh');
    expect(slot).toEqual({ reservationId: 'fresh', orphans: [] });
  });
});

describe('CallReservations', () => {
  it('numbers the calls of one run, a fallback being a call of its own', async () => {
    const records = new Records();
    const run = new CallReservations(records, STEP, freshId);
    expect((await run.next()).reservationId).toBe(callReservationId(STEP, 0, 0));
    expect((await run.next()).reservationId).toBe(callReservationId(STEP, 1, 0));
    expect(run.calls).toBe(2);
  });

  it('a rerun charges the call a dead run was in, and the calls it finished never', async () => {
    const records = new Records();
    records.set(0, 0, 'settled');
    const cutOff = records.set(1, 0, 'reserved');
    const rerun = new CallReservations(records, STEP, freshId);
    const first = await rerun.next();
    const second = await rerun.next();
    expect(first).toEqual({ reservationId: callReservationId(STEP, 0, 1), orphans: [] });
    expect(second.reservationId).toBe(callReservationId(STEP, 1, 1));
    expect(second.orphans.map((o) => o.id)).toEqual([cutOff]);
  });

  it('finds, after its last call, the orphans of a dead run that got further', async () => {
    const records = new Records();
    records.set(0, 0, 'settled');
    records.set(1, 0, 'settled');
    const cutOff = records.set(2, 0, 'reserved');
    const rerun = new CallReservations(records, STEP, freshId);
    await rerun.next();
    records.reads = 0;
    await expect(rerun.beyond()).resolves.toEqual([expect.objectContaining({ id: cutOff })]);
    // Index 1: generation 0 (settled), 1 (free); index 2: 0 (reserved), 1 (free); index 3: 0 (free).
    expect(records.reads).toBe(5);
  });

  it('reads nothing after the last call when its first call found no earlier run (nothing of one can lie beyond)', async () => {
    const records = new Records();
    const run = new CallReservations(records, STEP, freshId);
    await run.next();
    records.set(0, 0, 'reserved');
    records.reads = 0;
    await expect(run.beyond()).resolves.toEqual([]);
    expect(records.reads).toBe(0);
  });

  it('reads on after the last call of a rerun, and finds nothing when no earlier run went further', async () => {
    const records = new Records();
    records.set(0, 0, 'settled');
    const rerun = new CallReservations(records, STEP, freshId);
    await rerun.next();
    records.reads = 0;
    await expect(rerun.beyond()).resolves.toEqual([]);
    // Index 1, generation 0: free.
    expect(records.reads).toBe(1);
  });

  it('reserves each call under its slot, charging what a dead run left held of that call before it reserves', async () => {
    const records = new Records();
    const cutOff = records.set(1, 0, 'reserved');
    records.set(0, 0, 'settled');
    const rerun = new CallReservations(records, STEP, freshId);
    const charge = async (orphans: Array<{ id: string }>): Promise<void> => void records.log.push(`charge ${orphans.map((o) => o.id).join(',')}`);
    const first = await rerun.reserveNext(CALL, charge);
    const second = await rerun.reserveNext(CALL, charge);
    expect(first).toEqual({ reservationId: callReservationId(STEP, 0, 1), result: { ok: true, remainingMicros: {}, crossedLow: [] } });
    expect(second.reservationId).toBe(callReservationId(STEP, 1, 1));
    // No charge for the first call: nothing of it was left held.
    expect(records.log).toEqual([`reserve ${first.reservationId} 40`, `charge ${cutOff}`, `reserve ${second.reservationId} 40`]);
  });

  it('reads after a run that made no call: an earlier run may have made some', async () => {
    const records = new Records();
    const cutOff = records.set(0, 0, 'reserved');
    await expect(new CallReservations(records, STEP, freshId).beyond()).resolves.toEqual([expect.objectContaining({ id: cutOff })]);
  });
});

describe('cutOffUsage', () => {
  it('charges the reservation at its worst case, with no tokens, marked estimated', () => {
    const orphan = { id: 'r1', state: { status: 'reserved' as const, scopeIds: ['task:t1'], amountMicros: 120, model: 'sim-mini' } };
    expect(cutOffUsage(orphan, { stepId: 'main', attempt: 2, model: 'other' }, (m) => `p-${m}`)).toEqual({
      stepId: 'main',
      attempt: 2,
      model: 'sim-mini',
      provider: 'p-sim-mini',
      promptTokens: 0,
      completionTokens: 0,
      latencyMs: 0,
      reservation: { id: 'r1', scopes: ['task:t1'], amountMicros: 120 },
      estimated: true,
    });
  });
});
