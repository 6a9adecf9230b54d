import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ChaosInfra } from '@baton/chaos';

// The local broker's cluster id is random base64url; one in 64 begins with '-', which the
// storage tool then read as an option ("argument --cluster-id/-t: expected one argument") and
// the broker never started (a chaos run in CI went red on it). A stored id that begins with a
// dash must still give a broker that starts.

jest.setTimeout(180_000);

describe('local infrastructure (deploy/local/infra.sh)', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'baton-infra-'));
  const infra = new ChaosInfra({ kafka: 19192, kafkaController: 19193, redis: 16499 }, stateDir);

  afterAll(async () => {
    await infra.down().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts the broker when the stored cluster id begins with a dash', async () => {
    mkdirSync(path.join(stateDir, 'kafka'), { recursive: true });
    writeFileSync(path.join(stateDir, 'kafka', 'cluster-id'), '-Xq3vYbS0Tq2Gm6Yw0R5hA');
    await expect(infra.up()).resolves.toBeUndefined();
  });
});
