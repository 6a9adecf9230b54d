import { EventEmitter } from 'node:events';
import type { TelemetryHandle } from './sdk';
import { installShutdownHooks } from './shutdown-hooks';

/** A process stand-in: signals are events, kill() records what would have been sent. */
class FakeProcess extends EventEmitter {
  pid = 4242;
  killed: string[] = [];
  kill(_pid: number, signal: string): boolean {
    this.killed.push(signal);
    return true;
  }
}

/** shutdownMs = null: an export that never finishes. */
function fakeTelemetry(shutdownMs: number | null = 0): TelemetryHandle & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    forceFlush: async () => {
      calls.push('flush');
    },
    shutdown: () => {
      calls.push('shutdown');
      return new Promise((r) => {
        if (shutdownMs !== null) setTimeout(r, shutdownMs);
      });
    },
  };
}

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('installShutdownHooks', () => {
  it('alone on a signal: shuts down, removes itself and re-raises the signal', async () => {
    const proc = new FakeProcess();
    const telemetry = fakeTelemetry(5);
    installShutdownHooks(telemetry, proc);
    proc.emit('SIGTERM', 'SIGTERM');
    expect(proc.killed).toEqual([]);
    await tick(20);
    expect(telemetry.calls).toEqual(['shutdown']);
    expect(proc.killed).toEqual(['SIGTERM']);
    expect(proc.listenerCount('SIGTERM') + proc.listenerCount('SIGINT') + proc.listenerCount('beforeExit')).toBe(0);
  });

  it('re-raises after the timeout when the export hangs', async () => {
    const proc = new FakeProcess();
    installShutdownHooks(fakeTelemetry(null), proc, 20);
    proc.emit('SIGINT', 'SIGINT');
    await tick(60);
    expect(proc.killed).toEqual(['SIGINT']);
  });

  it('a second signal while waiting re-raises at once, and only once', async () => {
    const proc = new FakeProcess();
    installShutdownHooks(fakeTelemetry(null), proc, 30);
    proc.emit('SIGINT', 'SIGINT');
    proc.emit('SIGINT', 'SIGINT');
    expect(proc.killed).toEqual(['SIGINT']);
    await tick(60);
    expect(proc.killed).toEqual(['SIGINT']);
  });

  it('with the app listening (Nest style): flushes, lets the app shut down, then exports the rest on the re-raise', async () => {
    const proc = new FakeProcess();
    const telemetry = fakeTelemetry();
    installShutdownHooks(telemetry, proc);
    const order: string[] = [];
    const appCleanup = (signal: string): void => {
      proc.off('SIGTERM', appCleanup);
      order.push('app cleanup');
      // Nest re-raises the signal once its hooks ran.
      setTimeout(() => proc.emit(signal, signal), 5);
    };
    proc.on('SIGTERM', appCleanup);

    proc.emit('SIGTERM', 'SIGTERM');
    expect(telemetry.calls).toEqual(['flush']);
    expect(order).toEqual(['app cleanup']);
    expect(proc.killed).toEqual([]);

    await tick(30);
    expect(telemetry.calls).toEqual(['flush', 'shutdown']);
    expect(proc.killed).toEqual(['SIGTERM']);
  });

  it('shuts down once when the event loop drains', async () => {
    const proc = new FakeProcess();
    const telemetry = fakeTelemetry();
    installShutdownHooks(telemetry, proc);
    proc.emit('beforeExit', 0);
    await tick();
    proc.emit('beforeExit', 0);
    expect(telemetry.calls).toEqual(['shutdown']);
    expect(proc.killed).toEqual([]);
  });

  it('can be uninstalled', () => {
    const proc = new FakeProcess();
    const uninstall = installShutdownHooks(fakeTelemetry(), proc);
    uninstall();
    expect(proc.eventNames()).toEqual([]);
  });
});
