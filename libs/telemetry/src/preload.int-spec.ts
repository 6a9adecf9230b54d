import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { transformFileSync } from '@swc/core';
import { OtlpCapture } from './testing/otlp-capture';

/*
 * Runs a real Node process with `--require preload.js`, as the services do, against a
 * loopback stand-in collector: the only way to see the SDK start before the app, the
 * exporter chosen from the environment, and the flush on exit and on signals.
 */

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** A tiny app: one span, then ends in the way APP_MODE says. */
const APP = `
const { withSpan, currentTraceId, startTelemetry } = require('./index');
const mode = process.env.APP_MODE;
(async () => {
  const same = startTelemetry({ serviceName: 'other' }) === startTelemetry({ serviceName: 'again' });
  await withSpan('app.work', { 'baton.task.id': 't-1' }, async () => {
    await withSpan('app.step', {}, async () => {});
    console.log(JSON.stringify({ traceId: currentTraceId(), same }));
  });
  if (mode === 'signal-alone') {
    setInterval(() => {}, 1000);
    process.kill(process.pid, 'SIGTERM');
  } else if (mode === 'signal-nest') {
    // What Nest's enableShutdownHooks does: remove itself, run hooks, re-raise.
    const cleanup = async (signal) => {
      process.removeListener('SIGTERM', cleanup);
      await withSpan('app.shutdown', {}, async () => new Promise((r) => setTimeout(r, 50)));
      process.kill(process.pid, signal);
    };
    process.on('SIGTERM', cleanup);
    setInterval(() => {}, 1000);
    process.kill(process.pid, 'SIGTERM');
  } else if (mode === 'linger') {
    setTimeout(() => console.log(JSON.stringify({ endAt: Date.now() })), 1500);
  }
})();
`;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lines: Array<Record<string, unknown>>;
}

describe('telemetry preload in a real process', () => {
  let dir: string;
  const capture = new OtlpCapture();
  let endpoint: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'baton-telemetry-'));
    for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.includes('spec'))) {
      const { code } = transformFileSync(path.join(__dirname, file), {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      });
      writeFileSync(path.join(dir, file.replace(/\.ts$/, '.js')), code);
    }
    writeFileSync(path.join(dir, 'app.js'), APP);
    endpoint = await capture.start();
  });

  afterAll(async () => {
    await capture.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    capture.requests.length = 0;
  });

  function run(mode: string, env: Record<string, string>): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--require', path.join(dir, 'preload.js'), path.join(dir, 'app.js')], {
        env: {
          PATH: process.env['PATH'] ?? '',
          // The compiled files live outside the repo; let them find its node_modules.
          NODE_PATH: path.join(repoRoot, 'node_modules'),
          APP_MODE: mode,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`child did not exit: ${stderr}`));
      }, 20_000);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const lines = stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        resolve({ code, signal, stdout, stderr, lines });
      });
    });
  }

  const exportEnv = (protocol: string): Record<string, string> => ({
    // Metrics have their own export; these tests count trace requests only.
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_SERVICE_NAME: 'baton-preload-test',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    // Far beyond the test: only the shutdown flush can deliver the spans.
    OTEL_BSP_SCHEDULE_DELAY: '60000',
  });

  it('exports OTLP/JSON on a natural exit, one trace, with service.name and parent links', async () => {
    const r = await run('drain', exportEnv('http/json'));
    expect(r).toMatchObject({ code: 0, signal: null });
    expect(r.lines[0]).toMatchObject({ same: true });
    const spans = capture.jsonSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(['app.step', 'app.work']);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['baton-preload-test']));
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([r.lines[0]!['traceId']]));
    const work = spans.find((s) => s.name === 'app.work')!;
    expect(spans.find((s) => s.name === 'app.step')!.parentSpanId).toBe(work.spanId);
    expect(capture.requests[0]).toMatchObject({ path: '/v1/traces', contentType: expect.stringContaining('application/json') });
  });

  it('exports protobuf by default, on SIGTERM when the app has no handler, and still dies by SIGTERM', async () => {
    const r = await run('signal-alone', { ...exportEnv(''), OTEL_EXPORTER_OTLP_PROTOCOL: '' });
    expect(r.signal).toBe('SIGTERM');
    expect(capture.requests).toHaveLength(1);
    const req = capture.requests[0]!;
    expect(req.contentType).toContain('application/x-protobuf');
    expect(req.body.includes('app.work')).toBe(true);
    expect(req.body.includes('baton-preload-test')).toBe(true);
  });

  it('with a Nest-style handler: the app shuts down first, its shutdown spans are exported too', async () => {
    const r = await run('signal-nest', exportEnv('http/json'));
    expect(r.signal).toBe('SIGTERM');
    expect(capture.jsonSpans().map((s) => s.name).sort()).toEqual(['app.shutdown', 'app.step', 'app.work']);
  });

  it('honours OTEL_BSP_SCHEDULE_DELAY: spans leave while the app still runs', async () => {
    const r = await run('linger', { ...exportEnv('http/json'), OTEL_BSP_SCHEDULE_DELAY: '100' });
    expect(r.code).toBe(0);
    const endAt = r.lines.find((l) => 'endAt' in l)!['endAt'] as number;
    expect(capture.requests.length).toBeGreaterThanOrEqual(1);
    expect(capture.requests[0]!.at).toBeLessThan(endAt - 500);
  });

  it('without an endpoint: exports nothing but still mints trace ids', async () => {
    const r = await run('drain', { OTEL_SERVICE_NAME: 'baton-preload-test' });
    expect(r.code).toBe(0);
    expect(r.lines[0]!['traceId']).toMatch(/^[0-9a-f]{32}$/);
    expect(capture.requests).toHaveLength(0);
  });

  it('OTEL_SDK_DISABLED=true: a no-op, and SIGTERM keeps its default effect', async () => {
    const r = await run('signal-alone', { ...exportEnv('http/json'), OTEL_SDK_DISABLED: 'true' });
    expect(r.signal).toBe('SIGTERM');
    expect(r.lines[0]).toMatchObject({ traceId: null, same: true });
    expect(capture.requests).toHaveLength(0);
  });

  it('warns, but runs, without a service name', async () => {
    const r = await run('drain', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('OTEL_SERVICE_NAME');
    expect(new Set(capture.jsonSpans().map((s) => s.service))).toEqual(new Set(['unknown_service:node']));
  });
});
