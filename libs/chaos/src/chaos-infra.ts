import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@baton/stack';

const run = promisify(execFile);

/** The chaos run's own Kafka and Redis: own ports and state folder, never the shared ones. */
export class ChaosInfra {
  readonly stateDir: string;

  constructor(
    readonly ports: { kafka: number; kafkaController: number; redis: number },
    stateDir = path.join(repoRoot(), '.baton', 'chaos'),
  ) {
    this.stateDir = stateDir;
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.ports.kafka}`];
  }

  /** Redis itself (the services reach it through the fault proxy). */
  get redisUrl(): string {
    return `redis://127.0.0.1:${this.ports.redis}`;
  }

  /** Wipes the data of an earlier run (the run reads every topic from the beginning). Call while stopped. */
  wipe(): void {
    rmSync(path.join(this.stateDir, 'kafka', 'data'), { recursive: true, force: true });
    rmSync(path.join(this.stateDir, 'redis'), { recursive: true, force: true });
  }

  async up(): Promise<void> {
    await this.sh('redis-up');
    await this.sh('kafka-up');
  }

  async down(): Promise<void> {
    await this.sh('down');
  }

  /** Stops the broker (SIGKILL as in a crash, or SIGTERM) and starts it again on the same data. */
  async restartKafka(signal: 'KILL' | 'TERM'): Promise<void> {
    await this.sh('kafka-stop', signal);
    await this.sh('kafka-up');
  }

  /** Stops Redis (SIGTERM: it writes its AOF) and starts it again on the same data. */
  async restartRedis(signal: 'KILL' | 'TERM', downMs = 0): Promise<void> {
    await this.sh('redis-stop', signal);
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.sh('redis-up');
  }

  private async sh(...args: string[]): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BATON_STATE_DIR: this.stateDir,
      BATON_KAFKA_PORT: String(this.ports.kafka),
      BATON_KAFKA_CONTROLLER_PORT: String(this.ports.kafkaController),
      BATON_REDIS_PORT: String(this.ports.redis),
      BATON_TRACE_VIEWER: 'none',
    };
    // Set, they would mean "use that one" and nothing of ours would start.
    delete env.KAFKA_BROKERS;
    delete env.REDIS_URL;
    try {
      await run('bash', [path.join(repoRoot(), 'deploy', 'local', 'infra.sh'), ...args], { env, maxBuffer: 1 << 24 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`infra.sh ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-5).join('\n')}`);
    }
  }
}
