import { context, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { logLevel } from 'kafkajs';
import { formatLogLine, kafkaLogCreator, type BusLogger } from './logger';

describe('formatLogLine', () => {
  it('writes one JSON object with level, message and fields; errors keep their message', () => {
    const line = JSON.parse(formatLogLine('warn', 'hello', { error: new Error('boom'), n: 10n }));
    expect(line).toMatchObject({ level: 'warn', msg: 'hello', error: { name: 'Error', message: 'boom' }, n: '10' });
    expect(typeof line.time).toBe('string');
  });

  describe('trace and span ids', () => {
    const provider = new NodeTracerProvider();
    beforeAll(() => provider.register());
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    });

    it('carries the active span’s trace_id and span_id, even when the fields cannot be serialised', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      trace.getTracer('test').startActiveSpan('work', (span) => {
        const { traceId, spanId } = span.spanContext();
        expect(JSON.parse(formatLogLine('info', 'inside', { n: 1 }))).toMatchObject({ msg: 'inside', trace_id: traceId, span_id: spanId, n: 1 });
        expect(JSON.parse(formatLogLine('error', 'still', { cyclic }))).toEqual({ time: expect.any(String), level: 'error', msg: 'still', trace_id: traceId, span_id: spanId });
        span.end();
      });
    });

    it('has neither outside any span', () => {
      const line = JSON.parse(formatLogLine('info', 'outside'));
      expect(line).not.toHaveProperty('trace_id');
      expect(line).not.toHaveProperty('span_id');
    });
  });

  it('survives fields that cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(JSON.parse(formatLogLine('error', 'still logged', { cyclic }))).toMatchObject({ msg: 'still logged' });
  });
});

describe('kafkaLogCreator', () => {
  it('routes kafkajs levels to the bus logger with the namespace', () => {
    const calls: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const logger: BusLogger = {
      info: (m, f) => calls.push(['info', m, f]),
      warn: (m, f) => calls.push(['warn', m, f]),
      error: (m, f) => calls.push(['error', m, f]),
    };
    const log = kafkaLogCreator(logger)(logLevel.WARN);
    const entry = (level: logLevel, message: string) => ({
      namespace: 'Runner',
      level,
      label: 'X',
      log: { timestamp: 't', message, logger: 'kafkajs', groupId: 'g' },
    });
    log(entry(logLevel.ERROR, 'crash'));
    log(entry(logLevel.WARN, 'rebalancing'));
    log(entry(logLevel.INFO, 'joined'));
    expect(calls).toEqual([
      ['error', 'crash', { component: 'kafkajs', namespace: 'Runner', groupId: 'g' }],
      ['warn', 'rebalancing', { component: 'kafkajs', namespace: 'Runner', groupId: 'g' }],
      ['info', 'joined', { component: 'kafkajs', namespace: 'Runner', groupId: 'g' }],
    ]);
  });
});
