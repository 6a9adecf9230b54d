import { isSdkDisabled, resolveTraceExport, serviceFromEnv } from './telemetry-env';

describe('resolveTraceExport', () => {
  it('does not export without an endpoint', () => {
    expect(resolveTraceExport({})).toEqual({ export: false, reason: 'no OTLP endpoint configured', warnings: [] });
    expect(resolveTraceExport({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).export).toBe(false);
  });

  it('exports protobuf by default when an endpoint is set', () => {
    expect(resolveTraceExport({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual({
      export: true,
      protocol: 'http/protobuf',
      endpoint: 'http://127.0.0.1:4318',
      warnings: [],
    });
  });

  it('prefers the traces-specific endpoint', () => {
    const plan = resolveTraceExport({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/v1/traces',
    });
    expect(plan).toMatchObject({ export: true, endpoint: 'http://b:4318/v1/traces' });
    expect(resolveTraceExport({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/v1/traces' }).export).toBe(true);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, 'http/json'],
    [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }, 'http/json'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }, 'http/protobuf'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }, 'http/json'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: ' http/json ' }, 'http/json'],
  ])('picks the protocol from %j', (env, protocol) => {
    expect(resolveTraceExport({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', ...env })).toMatchObject({ protocol, warnings: [] });
  });

  it('falls back to protobuf with a warning for grpc or unknown protocols', () => {
    for (const p of ['grpc', 'carrier-pigeon']) {
      const plan = resolveTraceExport({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: p });
      expect(plan).toMatchObject({ export: true, protocol: 'http/protobuf' });
      expect(plan.warnings).toEqual([expect.stringContaining(p)]);
    }
  });

  it('honours OTEL_TRACES_EXPORTER=none and warns about exporters it lacks', () => {
    expect(resolveTraceExport({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).export).toBe(false);
    const plan = resolveTraceExport({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'otlp,zipkin' });
    expect(plan.export).toBe(true);
    expect(plan.warnings).toEqual([expect.stringContaining('zipkin')]);
  });
});

describe('isSdkDisabled', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    [' true ', true],
    ['false', false],
    ['1', false],
    [undefined, false],
  ])('OTEL_SDK_DISABLED=%j → %s', (value, disabled) => {
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: value })).toBe(disabled);
  });
});

describe('serviceFromEnv', () => {
  it('prefers OTEL_SERVICE_NAME over BATON_SERVICE_NAME', () => {
    expect(serviceFromEnv({ OTEL_SERVICE_NAME: 'a', BATON_SERVICE_NAME: 'b' })).toEqual({ serviceName: 'a', serviceVersion: undefined });
    expect(serviceFromEnv({ BATON_SERVICE_NAME: 'baton-router', BATON_SERVICE_VERSION: '1.2.3' })).toEqual({
      serviceName: 'baton-router',
      serviceVersion: '1.2.3',
    });
  });

  it('falls back to the OpenTelemetry default name with a warning', () => {
    expect(serviceFromEnv({ OTEL_SERVICE_NAME: ' ' })).toMatchObject({ serviceName: 'unknown_service:node', warning: expect.any(String) });
  });
});
