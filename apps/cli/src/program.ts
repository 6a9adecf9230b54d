import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveConnection } from './cli-config';
import { statusCommand, submitCommand, type CommandDeps } from './commands';
import { addDlqCommands } from './dlq-program';
import { addEscalationCommands } from './escalation-program';
import { GatewayClient } from './gateway-client';
import { addKeysCommands } from './keys-program';
import { addGovernanceCommands } from './governance-program';
import { registerSimulateCommand } from './simulate/simulate-program';
import { addTraceCommand } from './trace-program';
import type { ProgramEnv } from './program-env';

export type { ProgramEnv } from './program-env';


function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

/** The `baton` command line. */
export function buildProgram(penv: ProgramEnv): Command {
  const program = new Command('baton')
    .description('Submit tasks to Baton and follow them, through the gateway.')
    .option('--gateway <url>', 'gateway base URL (env BATON_GATEWAY_URL, default http://127.0.0.1:8080)')
    .option('--api-key <key>', 'API key sent as x-api-key (env BATON_API_KEY, default dev-key-acme)')
    .showHelpAfterError()
    // Commander throws instead of exiting, so callers (and tests) decide how the process ends.
    .exitOverride()
    .configureOutput({ writeOut: (s) => penv.io.out(s.trimEnd()), writeErr: (s) => penv.io.err(s.trimEnd()) });

  const depsFor = (cmd: Command): CommandDeps => {
    const conn = resolveConnection(cmd.optsWithGlobals<{ gateway?: string; apiKey?: string }>(), penv.env);
    const made = penv.deps ? penv.deps(conn) : { client: new GatewayClient(conn) };
    return { ...made, io: penv.io };
  };

  program
    .command('submit')
    .description('submit a task and wait for its result')
    .requiredOption('--type <taskType>', 'dotted task type, e.g. lead.qualify')
    .addOption(new Option('--text <text>', 'input text').conflicts('file'))
    .addOption(new Option('--file <path>', 'read the input text from a file').conflicts('text'))
    .option('--schema <jsonSchemaFile>', 'JSON Schema file the output must satisfy')
    .option('--instruction <s>', 'what the specialist should do (default: per task type)')
    .option('--idempotency-key <k>', 'resubmitting with the same key returns the same task')
    .option('--no-wait', 'print the accepted task and return at once')
    .option('--timeout <s>', 'seconds to wait for the task to finish', seconds, 120)
    .option('--json', 'print the raw JSON answer')
    .action(async (opts: Parameters<typeof submitCommand>[0], cmd: Command) => {
      penv.exit(await submitCommand(opts, depsFor(cmd)));
    });

  program
    .command('status')
    .description('show a task')
    .argument('<taskId>', 'task id printed by submit')
    .option('--json', 'print the raw JSON answer')
    .action(async (taskId: string, opts: { json?: boolean }, cmd: Command) => {
      penv.exit(await statusCommand(taskId, opts, depsFor(cmd)));
    });

  addEscalationCommands(program, penv);

  addGovernanceCommands(program, penv);

  addDlqCommands(program, penv);

  addTraceCommand(program, penv);

  addKeysCommands(program, penv);

  registerSimulateCommand(program, penv.io, penv.exit);

  return program;
}
