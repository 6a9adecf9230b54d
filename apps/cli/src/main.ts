import { CommanderError } from 'commander';
import { buildProgram } from './program';

const program = buildProgram({
  io: { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) },
  // exitCode rather than exit(): lets stdout drain when piped.
  exit: (code) => {
    process.exitCode = code;
  },
});

program.parseAsync(process.argv).catch((err: unknown) => {
  // Commander has already printed usage errors and help; only its exit code is left to set.
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
    return;
  }
  process.stderr.write(`baton: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
