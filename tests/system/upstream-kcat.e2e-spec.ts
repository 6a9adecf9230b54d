import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DeadLetterRecord, Topics, parseEvent } from '@baton/contracts';
import { GatewayClient, Stack, repoRoot } from '@baton/stack';
import { resetModelBreakers } from '../support/breakers';
import { waitFor } from '../support/wait-for';

// An upstream team follows docs/upstream.md and nothing else: the commands run here are
// the guide's own fenced blocks (marked `<!-- upstream-kcat: <name> -->`), run with the
// real kcat against the whole stack, so the guide cannot drift from what works.

jest.setTimeout(240000);

const BASE_PORT = 25080;
const GUIDE_BROKER = '127.0.0.1:9092';
const run = promisify(execFile);

/** The bash block of the guide marked `name`, pointed at the broker the tests use when it is not the guide's. */
function guideCommand(name: string): string {
  const guide = readFileSync(path.join(repoRoot(), 'docs', 'upstream.md'), 'utf8');
  const block = new RegExp(`<!-- upstream-kcat: ${name} -->\\n\`\`\`bash\\n([\\s\\S]*?)\`\`\``).exec(guide);
  if (!block) throw new Error(`docs/upstream.md has no bash block marked "upstream-kcat: ${name}"`);
  const broker = (process.env.KAFKA_BROKERS ?? GUIDE_BROKER).split(',')[0];
  return block[1].replaceAll(GUIDE_BROKER, broker);
}

/** Runs a guide command to its end; its stdout. */
async function runGuide(command: string): Promise<string> {
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', command], { timeout: 30000 });
  return stdout;
}

/** One line of kcat's `-J` output. */
interface KcatRecord {
  topic: string;
  key: string | null;
  payload: string | null;
  headers?: unknown;
}

/** A long-running guide command whose stdout is kcat `-J` lines; resolves with the first record `match` accepts. */
function readUntil(command: string, match: (r: KcatRecord) => boolean, timeoutMs: number): { found: Promise<KcatRecord>; child: ChildProcess } {
  // Its own process group, so stopping it stops kcat too.
  const child = spawn('bash', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-2000)));
  const found = new Promise<KcatRecord>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching record within ${timeoutMs} ms; kcat said:\n${stderr}`)), timeoutMs);
    let buffered = '';
    child.stdout?.on('data', (c: Buffer) => {
      buffered += c.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        const record = JSON.parse(line) as KcatRecord;
        if (match(record)) {
          clearTimeout(timer);
          resolve(record);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kcat exited (code ${code}) before a matching record:\n${stderr}`));
    });
  });
  found.catch(() => undefined);
  return { found, child };
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(-child.pid, 'SIGTERM');
  return exited;
}

let stack: Stack;
const readers: ChildProcess[] = [];

beforeAll(async () => {
  await run('kcat', ['-V']).catch(() => {
    throw new Error('kcat is not installed (Debian: apt-get install -y kcat)');
  });
  await resetModelBreakers();
  stack = await Stack.start({ basePort: BASE_PORT, modelsOnSimulator: true });
}, 180000);

afterAll(async () => {
  await Promise.all(readers.map((r) => stop(r)));
  await stack?.stop();
}, 60000);

describe('an upstream system following docs/upstream.md', () => {
  it('publishes a task with kcat and reads its completion with kcat', async () => {
    const published = await runGuide(guideCommand('publish'));
    const taskId = /submitted task ([0-9a-f-]{36})/.exec(published)?.[1];
    expect(taskId).toBeDefined();

    const reader = readUntil(guideCommand('results'), (r) => r.key === taskId, 120000);
    readers.push(reader.child);
    const outcome = await reader.found.finally(() => stop(reader.child));
    const event = parseEvent(JSON.parse(outcome.payload ?? 'null'));
    expect({ topic: outcome.topic, type: event.type, data: event.data }).toMatchObject({ topic: Topics.taskCompleted, type: 'task.completed' });
    expect({ taskId: event.taskId, tenantId: event.tenantId }).toEqual({ taskId, tenantId: 'acme' });
    if (event.type !== 'task.completed') throw new Error('unreachable');
    expect(typeof event.data.result).toBe('string');
    expect(String(event.data.result).length).toBeGreaterThan(0);

    // The guide's HTTP section: a task that came in on Kafka is visible to its tenant's API key too.
    const view = await new GatewayClient(stack.gatewayUrl, 'dev-key-acme').get(taskId!);
    expect({ status: view.status, result: view.result }).toEqual({ status: 'completed', result: event.data.result });
  });

  it('finds a malformed task among the dead letters, with the reason the guide names', async () => {
    // The guide's own publish command with the one thing the contract forbids: an empty input text.
    const publish = guideCommand('publish').replace(/"text":"[^"]*"/, '"text":""');
    expect(publish).toContain('"text":""');
    const taskId = /submitted task ([0-9a-f-]{36})/.exec(await runGuide(publish))?.[1];
    expect(taskId).toBeDefined();

    const record = await waitFor(
      'the dead letter of the malformed task',
      async () => {
        const lines = (await runGuide(guideCommand('dead-letters'))).split('\n').filter((l) => l.trim());
        const hit = lines.map((l) => JSON.parse(l) as KcatRecord).find((r) => r.key === taskId);
        return hit ? DeadLetterRecord.parse(JSON.parse(hit.payload ?? 'null')) : undefined;
      },
      60000,
      500,
    );
    expect(record).toMatchObject({ originalTopic: Topics.taskSubmitted, reason: 'invalid_event', key: taskId, consumerGroup: 'guardrails', attempts: 0 });
    expect(record.error).toContain('data.input.text');
  });
});
