import type { ExecuteOutcome, ToolBackend, ToolExecution, ToolExecutionRecord } from './tool';

interface Done {
  argsHash: string;
  value: unknown;
}

/**
 * A ToolBackend in process memory, with the same guarantees as the Redis ledger within one
 * process: at most one execution per tenant and idempotency key, a ledger of every
 * execution, tenant-scoped records. For unit tests, demos and shadow runs without Redis.
 */
export class InMemoryToolBackend implements ToolBackend {
  private readonly done = new Map<string, Done>();
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly ledger: ToolExecution[] = [];
  private readonly records = new Map<string, Map<string, Record<string, unknown>>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async execute<R>(key: string, record: ToolExecutionRecord, effect: () => Promise<R>): Promise<ExecuteOutcome<R>> {
    if (!key) throw new RangeError('idempotency key must not be empty');
    const slot = `${record.tenantId}\u0000${key}`;
    for (;;) {
      const done = this.done.get(slot);
      if (done) return { value: structuredClone(done.value) as R, replayed: true, sameArgs: done.argsHash === record.argsHash };
      const inFlight = this.running.get(slot);
      if (!inFlight) break;
      // Whatever the first caller's outcome, look again: a stored result, or a free key.
      await inFlight.catch(() => undefined);
    }
    const run = effect();
    this.running.set(slot, run);
    try {
      const value = await run;
      this.ledger.push({ ...structuredClone(record), key, at: this.now().toISOString(), outcome: 'ok' });
      this.done.set(slot, { argsHash: record.argsHash, value: structuredClone(value) });
      return { value, replayed: false, sameArgs: true };
    } catch (err) {
      this.ledger.push({ ...structuredClone(record), key, at: this.now().toISOString(), outcome: 'error', error: (err as Error).message });
      throw err;
    } finally {
      this.running.delete(slot);
    }
  }

  /** Stores a record a tool may read (fixture data). */
  async seed(tenantId: string, collection: string, id: string, record: Record<string, unknown>): Promise<void> {
    const name = `${tenantId}\u0000${collection}`;
    let coll = this.records.get(name);
    if (!coll) this.records.set(name, (coll = new Map()));
    coll.set(id, structuredClone(record));
  }

  async getRecord(tenantId: string, collection: string, id: string): Promise<Record<string, unknown> | undefined> {
    const found = this.records.get(`${tenantId}\u0000${collection}`)?.get(id);
    return found && structuredClone(found);
  }

  async listRecords(tenantId: string, collection: string): Promise<Record<string, unknown>[]> {
    return [...(this.records.get(`${tenantId}\u0000${collection}`)?.values() ?? [])].map((r) => structuredClone(r));
  }

  /** Executions of a task, oldest first. */
  async executions(taskId: string): Promise<ToolExecution[]> {
    return this.ledger.filter((e) => e.taskId === taskId).map((e) => structuredClone(e));
  }

  /** Executions of a tenant's tasks, oldest first. */
  async executionsForTenant(tenantId: string): Promise<ToolExecution[]> {
    return this.ledger.filter((e) => e.tenantId === tenantId).map((e) => structuredClone(e));
  }
}
