import { context, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { JsonLogger } from './json-logger';

describe('JsonLogger', () => {
  const provider = new NodeTracerProvider();
  let written: string[];
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;

  beforeAll(() => provider.register());
  beforeEach(() => {
    written = [];
    const capture = (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    };
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    stdout.mockRestore();
    stderr.mockRestore();
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  const lines = () => written.map((w) => JSON.parse(w) as Record<string, unknown>);

  it('writes one JSON object per line with the active span’s trace_id and span_id', () => {
    const logger = new JsonLogger('planner');
    trace.getTracer('test').startActiveSpan('handle task.routed', (span) => {
      logger.warn('task t-1 routed while failed', 'planner');
      logger.error('sweep failed', 'Error: boom\n    at x', 'planner');
      const { traceId, spanId } = span.spanContext();
      expect(lines()).toEqual([
        expect.objectContaining({ level: 'warn', message: 'task t-1 routed while failed', context: 'planner', trace_id: traceId, span_id: spanId }),
        expect.objectContaining({ level: 'error', message: 'sweep failed', stack: 'Error: boom\n    at x', trace_id: traceId, span_id: spanId }),
      ]);
      span.end();
    });
    expect(written.every((w) => w.endsWith('\n') && !w.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('leaves the ids out outside any span', () => {
    new JsonLogger('gateway').log('listening');
    const [line] = lines();
    expect(line).toMatchObject({ level: 'log', message: 'listening' });
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('span_id');
  });
});
