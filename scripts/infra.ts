import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '@baton/stack';

const script = () => path.join(repoRoot(), 'deploy', 'local', 'infra.sh');

/** Starts local Kafka and Redis unless running or configured; returns their addresses and whether it started them. */
export function infraUp(): { env: Record<string, string>; started: boolean } {
  const before = execFileSync('bash', [script(), 'status'], { encoding: 'utf8' });
  execFileSync('bash', [script(), 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const env: Record<string, string> = {};
  for (const line of execFileSync('bash', [script(), 'env'], { encoding: 'utf8' }).trim().split('\n')) {
    const at = line.indexOf('=');
    env[line.slice(0, at)] = line.slice(at + 1);
  }
  const started = before.includes('down') && !process.env.KAFKA_BROKERS && !process.env.REDIS_URL;
  return { env, started };
}

/** Stops the Kafka and Redis this project started. */
export function infraDown(): void {
  execFileSync('bash', [script(), 'down'], { stdio: ['ignore', 'inherit', 'inherit'] });
}
