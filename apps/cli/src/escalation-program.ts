import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { DecisionAction } from '@baton/contracts';
import { type Connection, resolveConnection } from './cli-config';
import { type DecideOptions, type EscalationDeps, decideCommand, escalationCommand, escalationsCommand } from './escalation-commands';
import { GatewayClient } from './gateway-client';
import type { ProgramEnv } from './program-env';

function limit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new InvalidArgumentError('expected an integer from 1 to 200');
  return n;
}

/**
 * Adds the humans-in-the-loop commands: `escalations`, `escalation <taskId>` and
 * `decide <taskId> <action>`. `clientFor` builds the gateway client once the connection
 * flags are known; tests may replace it.
 */
export function addEscalationCommands(
  program: Command,
  penv: Pick<ProgramEnv, 'io' | 'env' | 'exit'>,
  clientFor: (conn: Connection) => EscalationDeps['client'] = (conn) => new GatewayClient(conn),
): void {
  const depsFor = (cmd: Command): EscalationDeps => ({
    client: clientFor(resolveConnection(cmd.optsWithGlobals<{ gateway?: string; apiKey?: string }>(), penv.env)),
    io: penv.io,
  });

  program
    .command('escalations')
    .description('list the tasks waiting for a human decision, oldest first')
    .option('--limit <n>', 'most escalations to list (1 to 200, default 50)', limit)
    .option('--json', 'print the raw JSON answer')
    .action(async (opts: { limit?: number; json?: boolean }, cmd: Command) => {
      penv.exit(await escalationsCommand(opts, depsFor(cmd)));
    });

  program
    .command('escalation')
    .description("show a task's escalation: the question, what was tried, outputs so far, the decision")
    .argument('<taskId>', 'id of the escalated task')
    .option('--json', 'print the raw JSON answer')
    .action(async (taskId: string, opts: { json?: boolean }, cmd: Command) => {
      penv.exit(await escalationCommand(taskId, opts, depsFor(cmd)));
    });

  program
    .command('decide')
    .description("decide a task's escalation; the task resumes (or fails, on reject)")
    .argument('<taskId>', 'id of the escalated task')
    .addArgument(new Argument('<action>', 'the decision').choices(DecisionAction.options))
    .option('--output <json>', 'for edit: the output to use instead, as JSON')
    .option('--answer <text>', 'for answer: guidance for the next attempt, or the chosen option')
    .option('--comment <text>', 'note kept with the decision')
    .option('--escalation-id <id>', 'decide only if this is still the current escalation')
    // Kept, hidden, so an old script gets the reason rather than "unknown option".
    .addOption(new Option('--decided-by <name>').hideHelp())
    .option('--json', 'print the raw JSON answer')
    .action(async (taskId: string, action: DecisionAction, opts: DecideOptions, cmd: Command) => {
      penv.exit(await decideCommand(taskId, action, opts, depsFor(cmd)));
    });
}
