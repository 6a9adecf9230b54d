const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalTeardown() {
  if (globalThis.__BATON_STARTED_INFRA__) {
    execFileSync('bash', [path.join(__dirname, '..', '..', 'deploy', 'local', 'infra.sh'), 'down'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
};
