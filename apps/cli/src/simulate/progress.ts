// Progress of a simulation on stderr: a live bar on a terminal, a line per tenth otherwise
// (a redrawn bar would fill a CI log or a pipe with control characters).
import { Presets, SingleBar } from 'cli-progress';
import type { RunOutcome } from './report';

/** Where progress goes: process.stderr, or a fake in tests. */
export interface ProgressStream extends NodeJS.WritableStream {
  isTTY?: boolean;
}

/** Follows the runs as they end. */
export interface Progress {
  /** A run ended; `counts` holds every outcome so far. */
  update(ended: number, counts: Partial<Record<RunOutcome, number>>): void;
  /** Leaves the last state on screen and releases the terminal. */
  stop(): void;
}

/** The outcomes so far, short: `completed 5, failed 1`. */
export function summarizeCounts(counts: Partial<Record<RunOutcome, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([outcome, n]) => `${outcome} ${n}`);
  return parts.join(', ') || 'none yet';
}

/** A bar on a terminal, else one line each time another tenth of the runs has ended. */
export function createProgress(total: number, stream: ProgressStream): Progress {
  return stream.isTTY ? barProgress(total, stream) : lineProgress(total, (line) => stream.write(`${line}\n`));
}

/** The non-terminal form: a line when the share of ended runs reaches the next 10%. */
export function lineProgress(total: number, writeLine: (line: string) => void): Progress {
  let tenths = 0;
  return {
    update(ended, counts) {
      const now = total === 0 ? 10 : Math.floor((ended * 10) / total);
      if (now <= tenths) return;
      tenths = now;
      writeLine(`simulate: ${ended}/${total} runs ended (${Math.round((100 * ended) / total)}%): ${summarizeCounts(counts)}`);
    },
    stop() {
      // Nothing held.
    },
  };
}

function barProgress(total: number, stream: ProgressStream): Progress {
  const bar = new SingleBar(
    { stream, format: 'simulate {bar} {value}/{total} runs | {outcomes} | {duration_formatted}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  bar.start(total, 0, { outcomes: summarizeCounts({}) });
  let running = true;
  return {
    update: (ended, counts) => bar.update(ended, { outcomes: summarizeCounts(counts) }),
    stop: () => {
      if (running) bar.stop();
      running = false;
    },
  };
}
