import { Injectable } from '@nestjs/common';

/**
 * Tracks what a service still waits for before it is ready (e.g. its consumer groups).
 * Readiness is what start-up scripts and orchestrators poll; liveness is separate.
 */
@Injectable()
export class Readiness {
  private readonly pending = new Set<string>();
  private readonly done = new Set<string>();

  /** Declares something the service must finish before it is ready. */
  expect(name: string): void {
    if (!this.done.has(name)) this.pending.add(name);
  }

  /** Marks it finished. */
  complete(name: string): void {
    this.pending.delete(name);
    this.done.add(name);
  }

  /** What is still pending. */
  waitingFor(): string[] {
    return [...this.pending];
  }
}
