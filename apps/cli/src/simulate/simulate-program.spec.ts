import { Command } from 'commander';
import { ExitCode } from '../format';
import { registerSimulateCommand, type RunSimulate } from './simulate-program';
import type { SimulateOptions } from './simulate-options';

function setup() {
  const out: string[] = [];
  const err: string[] = [];
  const exits: number[] = [];
  const calls: Array<{ workflow: string; opts: SimulateOptions }> = [];
  const run: RunSimulate = async (workflow, opts) => {
    calls.push({ workflow, opts });
    return ExitCode.ok;
  };
  const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
  const program = new Command('baton')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s.trimEnd()), writeErr: (s) => err.push(s.trimEnd()) });
  registerSimulateCommand(program, io, (c) => exits.push(c), run);
  const parse = (...args: string[]) => program.parseAsync(['node', 'baton', 'simulate', ...args]);
  return { parse, calls, exits, out, err };
}

describe('baton simulate flags', () => {
  it('has the documented defaults', async () => {
    const t = setup();
    await t.parse('fraud-hold');
    expect(t.calls).toEqual([
      {
        workflow: 'fraud-hold',
        opts: {
          runs: 20,
          concurrency: 4,
          faultRate: 0.1,
          faults: [429, 500, 'timeout', 'malformed'],
          latency: { min: 20, max: 200 },
          basePort: 21080,
          taskTimeout: 60,
        },
      },
    ]);
    expect(t.exits).toEqual([0]);
  });

  it('reads every flag', async () => {
    const t = setup();
    await t.parse(
      'lead-qualification',
      ...['--runs', '50', '--concurrency', '8', '--fault-rate', '0.3', '--faults', '429,timeout', '--latency', '5-10'],
      ...['--seed', 'abc', '--base-port', '23080', '--task-timeout', '30', '--json', '--out', 'report.md'],
    );
    expect(t.calls[0].opts).toEqual({
      runs: 50,
      concurrency: 8,
      faultRate: 0.3,
      faults: [429, 'timeout'],
      latency: { min: 5, max: 10 },
      seed: 'abc',
      basePort: 23080,
      taskTimeout: 30,
      json: true,
      out: 'report.md',
    });
  });

  it('refuses bad values naming the flag, before anything runs', async () => {
    const t = setup();
    await expect(t.parse('fraud-hold', '--fault-rate', '2')).rejects.toThrow();
    await expect(t.parse('fraud-hold', '--latency', '300-20')).rejects.toThrow();
    await expect(t.parse('fraud-hold', '--runs', '0')).rejects.toThrow();
    expect(t.err.join('\n')).toMatch(/--fault-rate <r>' argument '2' is invalid\. expected a number from 0 to 1/);
    expect(t.err.join('\n')).toMatch(/--latency <min-max>' argument '300-20' is invalid\. MIN \(300\) must not exceed MAX \(20\)/);
    expect(t.calls).toEqual([]);
  });

  it('needs a workflow', async () => {
    const t = setup();
    await expect(t.parse()).rejects.toThrow(/missing required argument 'workflow'/);
  });
});
