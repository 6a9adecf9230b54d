import type { Command } from 'commander';
import { type Connection, resolveConnection } from './cli-config';
import { reportErrors } from './commands';
import { ExitCode } from './format';
import { GatewayClient } from './gateway-client';
import { formatAudit, formatSpend } from './governance-format';
import type { ProgramEnv } from './program-env';

/** What the governance commands need from the gateway. */
export type GovernanceClient = Pick<GatewayClient, 'audit' | 'spend'>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Adds `audit <taskId>` (a task's trail: guard verdicts, tool calls, human decisions,
 * budget events) and `spend` (the tenant's spend in real time, budgets left, a task's).
 */
export function addGovernanceCommands(
  program: Command,
  penv: Pick<ProgramEnv, 'io' | 'env' | 'exit'>,
  clientFor: (conn: Connection) => GovernanceClient = (conn) => new GatewayClient(conn),
): void {
  const client = (cmd: Command): GovernanceClient => clientFor(resolveConnection(cmd.optsWithGlobals<{ gateway?: string; apiKey?: string }>(), penv.env));

  program
    .command('audit')
    .description("show a task's audit trail: guard verdicts, tool calls, human decisions, budget events")
    .argument('<taskId>', 'task id')
    .option('--json', 'print the raw JSON answer')
    .action(async (taskId: string, opts: { json?: boolean }, cmd: Command) => {
      penv.exit(
        await reportErrors(penv.io, async () => {
          const view = await client(cmd).audit(taskId);
          penv.io.out(opts.json ? JSON.stringify(view, null, 2) : formatAudit(view));
          return ExitCode.ok;
        }),
      );
    });

  program
    .command('spend')
    .description("show the tenant's spend in real time: per model, per day, budgets left, and one task's")
    .option('--day <yyyy-mm-dd>', 'UTC day (default: today)')
    .option('--task <taskId>', "also show this task's spend")
    .option('--json', 'print the raw JSON answer')
    .action(async (opts: { day?: string; task?: string; json?: boolean }, cmd: Command) => {
      penv.exit(
        await reportErrors(penv.io, async () => {
          if (opts.day !== undefined && !DAY.test(opts.day)) {
            penv.io.err('baton: --day must be a UTC day like 2026-11-24');
            return ExitCode.error;
          }
          const view = await client(cmd).spend({ ...(opts.day ? { day: opts.day } : {}), ...(opts.task ? { taskId: opts.task } : {}) });
          penv.io.out(opts.json ? JSON.stringify(view, null, 2) : formatSpend(view));
          return ExitCode.ok;
        }),
      );
    });
}
