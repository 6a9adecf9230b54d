import type { resolveConnection } from './cli-config';
import type { CommandDeps, Io } from './commands';

/** What the program needs from its surroundings; tests replace the gateway and the output. */
export interface ProgramEnv {
  io: Io;
  env?: NodeJS.ProcessEnv;
  /** Builds the dependencies once the connection flags are known. */
  deps?: (conn: ReturnType<typeof resolveConnection>) => Omit<CommandDeps, 'io'>;
  /** Receives the exit code of the command that ran. */
  exit: (code: number) => void;
}
