import type { ToolVerdict } from '@baton/contracts';

/**
 * Where an agent instance waits for the guardrails' verdicts on the tool calls it
 * proposed. Every instance reads the verdict topic in a consumer group of its own and
 * keeps only verdicts addressed to it (`replyTo`); a verdict for a call nobody waits on
 * any more (the wait timed out, the instance restarted) is dropped, and the call it
 * answers was never run.
 */
export class VerdictInbox {
  private readonly waiting = new Map<string, (verdict: ToolVerdict['data'] | null) => void>();

  constructor(readonly instanceId: string) {}

  /**
   * Registers interest in `callId` before the proposal is published, so a fast verdict is
   * never missed. Resolves with the verdict, or null after `timeoutMs` (fail closed: the
   * caller must treat no answer as a refusal).
   */
  expect(callId: string, timeoutMs: number): Promise<ToolVerdict['data'] | null> {
    if (this.waiting.has(callId)) throw new Error(`already waiting for a verdict on ${callId}`);
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(null), timeoutMs);
      const settle = (verdict: ToolVerdict['data'] | null): void => {
        clearTimeout(timer);
        this.waiting.delete(callId);
        resolve(verdict);
      };
      this.waiting.set(callId, settle);
    });
  }

  /** Hands a verdict to its waiter; false when it is not for this instance or nobody waits. */
  deliver(verdict: ToolVerdict['data']): boolean {
    if (verdict.replyTo !== this.instanceId) return false;
    const settle = this.waiting.get(verdict.callId);
    if (!settle) return false;
    settle(verdict);
    return true;
  }

  /** Calls still waiting. */
  get pending(): number {
    return this.waiting.size;
  }
}
