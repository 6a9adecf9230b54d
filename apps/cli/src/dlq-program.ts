import { type Command, InvalidArgumentError } from 'commander';
import { type Connection, resolveConnection } from './cli-config';
import { type DlqDeps, dlqListCommand, dlqRedriveCommand, dlqShowCommand } from './dlq-commands';
import { GatewayClient } from './gateway-client';
import type { ProgramEnv } from './program-env';

function limit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new InvalidArgumentError('expected an integer from 1 to 200');
  return n;
}

/**
 * Adds `dlq list`, `dlq show <address>` and `dlq redrive <address>`: the tenant's dead
 * letters through the gateway. `clientFor` builds the gateway client once the connection
 * flags are known; tests may replace it.
 */
export function addDlqCommands(
  program: Command,
  penv: Pick<ProgramEnv, 'io' | 'env' | 'exit'>,
  clientFor: (conn: Connection) => DlqDeps['client'] = (conn) => new GatewayClient(conn),
): void {
  const depsFor = (cmd: Command): DlqDeps => ({
    client: clientFor(resolveConnection(cmd.optsWithGlobals<{ gateway?: string; apiKey?: string }>(), penv.env)),
    io: penv.io,
  });
  const dlq = program.command('dlq').description("inspect the tenant's dead letters and send them back to their topic");

  dlq
    .command('list')
    .description('list the latest dead letters, newest first')
    .option('--topic <topic>', 'only the dead letters of this topic (e.g. baton.task.submitted)')
    .option('--limit <n>', 'most dead letters to list (1 to 200, default 50)', limit)
    .option('--json', 'print the raw JSON answer')
    .action(async (opts: { topic?: string; limit?: number; json?: boolean }, cmd: Command) => {
      penv.exit(await dlqListCommand(opts, depsFor(cmd)));
    });

  dlq
    .command('show')
    .description('show one dead letter: where it came from, why it failed, its value, its redrive')
    .argument('<address>', '<topic>/<partition>/<offset> as dlq list prints it')
    .option('--json', 'print the raw JSON answer')
    .action(async (at: string, opts: { json?: boolean }, cmd: Command) => {
      penv.exit(await dlqShowCommand(at, opts, depsFor(cmd)));
    });

  dlq
    .command('redrive')
    .description('send a dead letter back to its original topic (once); fix its cause first')
    .argument('<address>', '<topic>/<partition>/<offset> as dlq list prints it')
    .option('--json', 'print the raw JSON answer')
    .action(async (at: string, opts: { json?: boolean }, cmd: Command) => {
      penv.exit(await dlqRedriveCommand(at, opts, depsFor(cmd)));
    });
}
