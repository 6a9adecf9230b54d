/** OTLP encodings we export with; both over HTTP. */
export type OtlpHttpProtocol = 'http/protobuf' | 'http/json';

/** What the environment asks for: export over OTLP, or keep spans in-process only. */
export type TraceExportPlan =
  | { export: true; protocol: OtlpHttpProtocol; endpoint: string; warnings: string[] }
  | { export: false; reason: string; warnings: string[] };

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** OTEL_SDK_DISABLED, read as the OpenTelemetry spec says (case-insensitive "true"). */
export function isSdkDisabled(env: Env): boolean {
  return read(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
}

/**
 * Decides trace export from the standard OTEL_* variables. Export happens only when an
 * endpoint is configured, so a developer without a collector gets no connection errors.
 * The exporters read the endpoint, headers, timeout and compression themselves; this
 * only chooses whether and which encoding.
 */
export function resolveTraceExport(env: Env): TraceExportPlan {
  const warnings: string[] = [];
  const exporters = (read(env, 'OTEL_TRACES_EXPORTER') ?? 'otlp').split(',').map((s) => s.trim().toLowerCase());
  if (exporters.includes('none')) return { export: false, reason: 'OTEL_TRACES_EXPORTER=none', warnings };
  const unsupported = exporters.filter((e) => e !== 'otlp' && e !== '');
  if (unsupported.length > 0) warnings.push(`OTEL_TRACES_EXPORTER=${unsupported.join(',')} is not supported; only otlp is`);

  const endpoint = read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!endpoint) return { export: false, reason: 'no OTLP endpoint configured', warnings };

  const requested = read(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? read(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  let protocol: OtlpHttpProtocol = 'http/protobuf';
  if (requested === 'http/json') protocol = 'http/json';
  else if (requested !== 'http/protobuf') {
    // The gRPC exporter is not a dependency; say so instead of silently sending HTTP to a gRPC port.
    warnings.push(`OTLP protocol ${requested} is not supported; exporting with http/protobuf`);
  }
  return { export: true, protocol, endpoint, warnings };
}

/** Service identity for the preload: OTEL_SERVICE_NAME, else BATON_SERVICE_NAME. */
export function serviceFromEnv(env: Env): { serviceName: string; serviceVersion?: string; warning?: string } {
  const serviceVersion = read(env, 'BATON_SERVICE_VERSION') ?? read(env, 'npm_package_version');
  const serviceName = read(env, 'OTEL_SERVICE_NAME') ?? read(env, 'BATON_SERVICE_NAME');
  if (serviceName) return { serviceName, serviceVersion };
  // The name OpenTelemetry itself falls back to, so traces still arrive and stand out.
  return {
    serviceName: 'unknown_service:node',
    serviceVersion,
    warning: 'neither OTEL_SERVICE_NAME nor BATON_SERVICE_NAME is set; traces will show unknown_service:node',
  };
}
