import { metrics } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import {
  AggregationTemporality,
  InstrumentType,
  MeterProvider,
  MetricReader,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { rebindObservers } from './metric-instruments';
import { serviceResource, type ServiceIdentity } from './resource';
import { isSdkDisabled, resolveMetricExport } from './telemetry-env';

/** Shuts down or flushes the metrics; the same shape as the tracing SDK's handle. */
export interface MetricsHandle {
  /** Pushes the last OTLP export (when pushing) and stops; later calls return the same promise. Never rejects. */
  shutdown(): Promise<void>;
  /** Pushes an OTLP export now (when pushing). Never rejects. */
  forceFlush(): Promise<void>;
}

/** Identity of the process's metrics (Prometheus shows it on `target_info`). */
export type MetricsOptions = ServiceIdentity;

/** A pipeline built by hand (tests): an OTLP-style exporter to push to, and how often. */
export interface MetricsPipelineOptions extends MetricsOptions {
  exporter?: PushMetricExporter;
  exportIntervalMillis?: number;
  exportTimeoutMillis?: number;
}

/**
 * A reader that only collects when asked: each /metrics request pulls from it. Cumulative,
 * as Prometheus expects, except gauges: reported as observed at this collection only, so a
 * series nobody observes any more (a partition handed to another consumer) disappears
 * instead of repeating its last value for good.
 */
class PullMetricReader extends MetricReader {
  constructor() {
    super({
      aggregationTemporalitySelector: (type) =>
        type === InstrumentType.OBSERVABLE_GAUGE || type === InstrumentType.GAUGE ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
    });
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

function warn(message: string): void {
  process.emitWarning(message, { code: 'BATON_TELEMETRY' });
}

/**
 * A MeterProvider with a pull reader rendered as Prometheus text on demand and, when
 * given an exporter, a periodic push reader. Independent of the tracing SDK.
 */
export class MetricsPipeline {
  readonly provider: MeterProvider;
  private readonly pull = new PullMetricReader();
  private readonly serializer = new PrometheusSerializer();
  private readonly reported = new Set<string>();
  private stopping?: Promise<void>;

  constructor(opts: MetricsPipelineOptions) {
    const readers: MetricReader[] = [this.pull];
    if (opts.exporter) {
      readers.push(
        new PeriodicExportingMetricReader({
          exporter: opts.exporter,
          ...(opts.exportIntervalMillis !== undefined ? { exportIntervalMillis: opts.exportIntervalMillis } : {}),
          ...(opts.exportTimeoutMillis !== undefined ? { exportTimeoutMillis: opts.exportTimeoutMillis } : {}),
        }),
      );
    }
    this.provider = new MeterProvider({
      resource: serviceResource(opts),
      readers,
    });
  }

  /** Makes this the global meter provider, so `metrics.getMeter` (and every Baton instrument) records into it. */
  install(): void {
    // The API refuses to replace a registered provider; a test pipeline replaces the previous one.
    metrics.disable();
    metrics.setGlobalMeterProvider(this.provider);
    rebindObservers();
  }

  /** Removes it from the global API again (tests). */
  uninstall(): void {
    metrics.disable();
    rebindObservers();
  }

  /** Collects every instrument now and renders Prometheus text format 0.0.4. */
  async renderPrometheus(): Promise<string> {
    const { resourceMetrics, errors } = await this.pull.collect();
    // A failing observer (Redis down for the breaker gauge) leaves its metric out; say so once.
    for (const err of errors) {
      const message = `metric collection failed: ${err instanceof Error ? err.message : String(err)}`;
      if (this.reported.has(message)) continue;
      this.reported.add(message);
      warn(message);
    }
    const text = this.serializer.serialize(resourceMetrics);
    return text.endsWith('\n') ? text : `${text}\n`;
  }

  forceFlush(): Promise<void> {
    return this.stopping ?? this.provider.forceFlush().catch((err: unknown) => warn(`metrics flush failed: ${String(err)}`));
  }

  shutdown(): Promise<void> {
    this.stopping ??= this.provider.shutdown().catch((err: unknown) => warn(`metrics shutdown failed: ${String(err)}`));
    return this.stopping;
  }
}

const NOOP: MetricsHandle = { shutdown: () => Promise.resolve(), forceFlush: () => Promise.resolve() };

let started: { pipeline: MetricsPipeline | null; handle: MetricsHandle } | undefined;

/**
 * Starts the process's metrics once: the global MeterProvider, served as Prometheus text by
 * renderPrometheus (each service's `/metrics`), and pushed over OTLP/HTTP protobuf when
 * OTEL_EXPORTER_OTLP[_METRICS]_ENDPOINT is set (see resolveMetricExport).
 * OTEL_SDK_DISABLED=true makes it a no-op. Later calls return the first handle.
 */
export function startMetrics(opts: MetricsOptions): MetricsHandle {
  if (started) return started.handle;
  if (isSdkDisabled(process.env)) {
    started = { pipeline: null, handle: NOOP };
    return NOOP;
  }
  const plan = resolveMetricExport(process.env);
  plan.warnings.forEach(warn);
  const pipeline = new MetricsPipeline({
    ...opts,
    ...(plan.export ? { exporter: new OTLPMetricExporter(), exportIntervalMillis: plan.intervalMs, exportTimeoutMillis: plan.timeoutMs } : {}),
  });
  pipeline.install();
  started = { pipeline, handle: { shutdown: () => pipeline.shutdown(), forceFlush: () => pipeline.forceFlush() } };
  return started.handle;
}

/** What a `/metrics` request answers: every Baton metric of this process in Prometheus text format. */
export function renderPrometheus(): Promise<string> {
  if (!started?.pipeline) return Promise.resolve('# metrics are off in this process (OTEL_SDK_DISABLED=true, or startMetrics was not called)\n');
  return started.pipeline.renderPrometheus();
}

/** Content type of renderPrometheus' text. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One handle for several (traces and metrics), so a single set of shutdown hooks flushes both. */
export function combineHandles(...handles: MetricsHandle[]): MetricsHandle {
  let stopping: Promise<void> | undefined;
  return {
    shutdown: () => (stopping ??= Promise.all(handles.map((h) => h.shutdown())).then(() => undefined)),
    forceFlush: () => Promise.all(handles.map((h) => h.forceFlush())).then(() => undefined),
  };
}
