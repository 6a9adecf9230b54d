// Starts the real Kafka and Redis the integration and system tests need (unless
// KAFKA_BROKERS / REDIS_URL point at running ones), and remembers what it started so the
// teardown stops only that.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const infra = path.join(__dirname, '..', '..', 'deploy', 'local', 'infra.sh');

module.exports = async function globalSetup() {
  // Pure unit runs (npm run test:unit) need no infrastructure.
  if (process.env.BATON_SKIP_INFRA === '1') return;
  const before = execFileSync('bash', [infra, 'status'], { encoding: 'utf8' });
  execFileSync('bash', [infra, 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (const line of execFileSync('bash', [infra, 'env'], { encoding: 'utf8' }).trim().split('\n')) {
    const [k, ...v] = line.split('=');
    process.env[k] = v.join('=');
  }
  // Started here (was down before) and not asked to keep: stop it after the run.
  globalThis.__BATON_STARTED_INFRA__ = before.includes('down') && process.env.BATON_KEEP_INFRA !== '1';
};
