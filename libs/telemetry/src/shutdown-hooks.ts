import type { TelemetryHandle } from './sdk';

type Signal = 'SIGTERM' | 'SIGINT';
type Listener = (...args: unknown[]) => void;

/** The slice of `process` the hooks use; tests pass a fake. */
export interface ProcessLike {
  pid: number;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  listeners(event: string): unknown[];
  kill(pid: number, signal: string): unknown;
}

/** Longest a signal waits for the final export before the process is let go. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 5_000;

const SIGNALS: readonly Signal[] = ['SIGTERM', 'SIGINT'];

function bounded(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Exports buffered spans when the process is asked to stop, without taking the stop
 * over from the app and without process.exit.
 *
 * Any signal listener cancels Node's default "terminate on signal", so:
 * - if the app also listens (Nest's enableShutdownHooks), the app owns the shutdown: we
 *   only flush and stay installed. Nest re-raises the signal once its hooks ran; by then
 *   its listener is gone, so the next case applies and the spans of the app's own
 *   shutdown get exported too;
 * - if nobody else listens, we shut the SDK down (bounded by a timeout), remove our
 *   listeners and re-raise the signal, so the process ends exactly as it would have
 *   without us (killed by that signal). A second signal while we wait skips the wait.
 * When the event loop simply drains, beforeExit shuts the SDK down once.
 * Returns a function that removes the hooks.
 */
export function installShutdownHooks(
  telemetry: TelemetryHandle,
  proc: ProcessLike = process,
  flushTimeoutMs: number = DEFAULT_FLUSH_TIMEOUT_MS,
): () => void {
  let final: Promise<void> | undefined;
  let raised = false;

  const uninstall = (): void => {
    for (const s of SIGNALS) proc.off(s, onSignal);
    proc.off('beforeExit', onBeforeExit);
  };

  const reRaise = (signal: Signal): void => {
    // Once: after a second signal cut the wait short, the pending flush must not signal again.
    if (raised) return;
    raised = true;
    uninstall();
    proc.kill(proc.pid, signal);
  };

  function onSignal(...args: unknown[]): void {
    const signal = args[0] as Signal;
    if (proc.listeners(signal).some((l) => l !== onSignal)) {
      void telemetry.forceFlush();
      return;
    }
    if (final) {
      reRaise(signal);
      return;
    }
    final = bounded(telemetry.shutdown(), flushTimeoutMs);
    void final.then(() => reRaise(signal));
  }

  function onBeforeExit(): void {
    // The flush schedules I/O, so the loop runs again and emits beforeExit once more.
    final ??= bounded(telemetry.shutdown(), flushTimeoutMs);
  }

  for (const s of SIGNALS) proc.on(s, onSignal);
  proc.on('beforeExit', onBeforeExit);
  return uninstall;
}
