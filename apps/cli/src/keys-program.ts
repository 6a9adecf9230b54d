import { type Command, Option } from 'commander';
import { ALL_ROLES, type KeyEntryRequest, type Role, formatKeyEntry, newApiKey } from '@baton/api-keys';
import { type Io, UsageError, reportErrors } from './commands';
import { ExitCode } from './format';
import type { ProgramEnv } from './program-env';

/** Options of `baton keys new`. */
export interface NewKeyOptions {
  id: string;
  tenant: string;
  role: Role[];
  json?: boolean;
}

/**
 * `baton keys new`: mints a key and prints it with its keys-file entry. Runs offline: the
 * gateway reads the file at start-up, and nothing else keeps a copy of the key.
 */
export async function newKeyCommand(opts: NewKeyOptions, io: Io, mint: (request: KeyEntryRequest) => ReturnType<typeof newApiKey> = newApiKey): Promise<ExitCode> {
  return reportErrors(io, async () => {
    let minted: ReturnType<typeof newApiKey>;
    try {
      minted = mint({ id: opts.id, tenant: opts.tenant, roles: opts.role });
    } catch (err) {
      throw new UsageError(`cannot mint that key: ${(err as Error).message}`);
    }
    const { key, entry } = minted;
    if (opts.json) {
      io.out(JSON.stringify({ key, entry }, null, 2));
      return ExitCode.ok;
    }
    io.out(
      [
        `API key ${entry.id} for tenant ${entry.tenant} (${entry.roles.join(', ')}). Shown this once; nothing stores it, so hand it over now:`,
        '',
        `  ${key}`,
        '',
        'Add this entry under `keys:` in the keys file (config/api-keys.yaml, or the file GATEWAY_API_KEYS_FILE names), then restart the gateway:',
        '',
        formatKeyEntry(entry),
      ].join('\n'),
    );
    return ExitCode.ok;
  });
}

/** Adds `keys new`. */
export function addKeysCommands(program: Command, penv: Pick<ProgramEnv, 'io' | 'exit'>): void {
  const keys = program.command('keys').description('API keys of the gateway (see docs/api-keys.md)');
  keys
    .command('new')
    .description("mint an API key and print it with its entry for the gateway's keys file")
    .requiredOption('--id <id>', 'names the key where it decides or redrives (key:<id>), e.g. acme-dana')
    .requiredOption('--tenant <tenant>', 'the tenant the key reaches')
    .addOption(new Option('--role <role...>', 'what the key may do; repeat for several').choices(ALL_ROLES).makeOptionMandatory())
    .option('--json', 'print {key, entry} as JSON')
    .action(async (opts: NewKeyOptions) => {
      penv.exit(await newKeyCommand(opts, penv.io));
    });
}
