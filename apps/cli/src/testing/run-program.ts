import { CommanderError } from 'commander';
import { buildProgram, type ProgramEnv } from '../program';

/** Runs `baton <argv>` in-process, capturing what it prints and the exit code it reports. For specs. */
export async function runProgram(argv: string[], opts: Pick<ProgramEnv, 'env' | 'deps'> = {}): Promise<{ code: number | undefined; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  let code: number | undefined;
  const program = buildProgram({
    io: { out: (s) => out.push(s), err: (s) => err.push(s) },
    ...opts,
    exit: (c) => {
      code = c;
    },
  });
  try {
    await program.parseAsync(['node', 'baton', ...argv]);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}
