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

/** The exporters an OTEL_*_EXPORTER variable lists, lower-cased; `otlp` when it is unset. */
function exporterNames(env: Env, name: string): string[] {
  return (read(env, name) ?? 'otlp').split(',').map((s) => s.trim().toLowerCase());
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
  const exporters = exporterNames(env, 'OTEL_TRACES_EXPORTER');
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

/** What the environment asks for metrics: push them over OTLP as well, or only serve /metrics. */
export type MetricExportPlan =
  | { export: true; endpoint: string; intervalMs: number; timeoutMs: number; warnings: string[] }
  | { export: false; reason: string; warnings: string[] };

const DEFAULT_METRIC_INTERVAL_MS = 60_000;
const DEFAULT_METRIC_TIMEOUT_MS = 30_000;

function positiveMs(env: Env, name: string, fallback: number, warnings: string[]): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n > 0) return n;
  warnings.push(`${name}=${raw} is not a positive number of milliseconds; using ${fallback}`);
  return fallback;
}

/**
 * Decides the OTLP metric push from the standard OTEL_* variables. /metrics (Prometheus)
 * is always served; the push happens only when an endpoint is configured and
 * OTEL_METRICS_EXPORTER (default `otlp`) includes `otlp`, so `none` or `prometheus` turn
 * it off. Only OTLP/HTTP protobuf is a dependency; the exporter reads the endpoint,
 * headers and temporality itself.
 */
export function resolveMetricExport(env: Env): MetricExportPlan {
  const warnings: string[] = [];
  const exporters = exporterNames(env, 'OTEL_METRICS_EXPORTER');
  if (exporters.includes('none')) return { export: false, reason: 'OTEL_METRICS_EXPORTER=none', warnings };
  const unsupported = exporters.filter((e) => e !== 'otlp' && e !== 'prometheus' && e !== '');
  if (unsupported.length > 0) warnings.push(`OTEL_METRICS_EXPORTER=${unsupported.join(',')} is not supported; only otlp and prometheus are`);
  if (!exporters.includes('otlp')) return { export: false, reason: `OTEL_METRICS_EXPORTER=${exporters.join(',')} has no otlp`, warnings };

  const endpoint = read(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT') ?? read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!endpoint) return { export: false, reason: 'no OTLP endpoint configured', warnings };

  const protocol = read(env, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') ?? read(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (protocol !== 'http/protobuf') warnings.push(`OTLP protocol ${protocol} is not supported for metrics; exporting with http/protobuf`);
  const intervalMs = positiveMs(env, 'OTEL_METRIC_EXPORT_INTERVAL', DEFAULT_METRIC_INTERVAL_MS, warnings);
  // The reader refuses a timeout longer than the interval; an export may not outlast its period.
  const timeoutMs = Math.min(positiveMs(env, 'OTEL_METRIC_EXPORT_TIMEOUT', DEFAULT_METRIC_TIMEOUT_MS, warnings), intervalMs);
  return { export: true, endpoint, intervalMs, timeoutMs, warnings };
}
