// Registers `baton simulate` on the program. The command itself (stack, Redis, model
// catalog) loads only when it runs, so the other commands start as fast as before.
import { Option, type Command } from 'commander';
import type { Io } from '../commands';
import type { ExitCode } from '../format';
import {
  DEFAULT_FAULTS,
  DEFAULT_LATENCY,
  basePort,
  faultList,
  intAtLeast,
  latencyRange,
  positiveSeconds,
  rate,
  type SimulateOptions,
} from './simulate-options';

/** Runs the command once its flags are parsed; tests pass a fake. */
export type RunSimulate = (workflow: string, opts: SimulateOptions, io: Io) => Promise<ExitCode>;

const runForReal: RunSimulate = async (workflow, opts, io) => {
  const { simulateCommand } = await import('./simulate-command');
  const controller = new AbortController();
  // First Ctrl-C: stop submitting, stop the stack, report what ran. A second one ends at once.
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    io.err('simulate: interrupted; stopping (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await simulateCommand(workflow, opts, { io, progressStream: process.stderr, signal: controller.signal });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
};

/** Adds `simulate <workflow>` to the program. */
export function registerSimulateCommand(program: Command, io: Io, exit: (code: number) => void, run: RunSimulate = runForReal): void {
  program
    .command('simulate')
    .description("run a workflow's sample task many times on a local stack with injected model faults and latency, and report how the runs ended")
    .argument('<workflow>', 'workflow name, a file in workflows/ with a sample: block')
    .option('--runs <n>', 'tasks to run', intAtLeast(1), 20)
    .option('--concurrency <n>', 'tasks in flight at once', intAtLeast(1), 4)
    .option('--fault-rate <r>', 'share of model calls that get a fault, 0 to 1', rate, 0.1)
    .addOption(
      new Option('--faults <kinds>', 'fault kinds to inject, comma-separated: 429, 500, 503, 400, 401, timeout, malformed')
        .argParser(faultList)
        .default(faultList(DEFAULT_FAULTS), DEFAULT_FAULTS),
    )
    .addOption(new Option('--latency <min-max>', 'delay of every model call, ms').argParser(latencyRange).default(latencyRange(DEFAULT_LATENCY), DEFAULT_LATENCY))
    .option('--seed <s>', 'seed of the fault and latency draws (default: random, printed in the report)')
    .option('--base-port <port>', 'gateway port of the local stack; the other processes use the next ten', basePort, 21080)
    .option('--task-timeout <s>', 'longest wait for one task; unfinished runs count as timed_out', positiveSeconds, 60)
    .option('--json', 'print the report as JSON')
    .option('--out <file>', 'also write the report as Markdown to this file')
    .action(async (workflow: string, opts: SimulateOptions) => {
      exit(await run(workflow, opts, io));
    });
}
