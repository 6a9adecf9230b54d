import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { DEFAULT_TRACE_PROJECT, ResourceAttr } from './names';
import { serviceResource, type ServiceIdentity } from './resource';
import { SpanTagger } from './task-context';
import { isSdkDisabled, resolveTraceExport } from './telemetry-env';

/** What startTelemetry returns. */
export interface TelemetryHandle {
  /** Exports buffered spans and stops the SDK; later calls return the same promise. Never rejects. */
  shutdown(): Promise<void>;
  /** Exports buffered spans and keeps going. Never rejects. */
  forceFlush(): Promise<void>;
}

/** Options of startTelemetry: the service every span is of. */
export type TelemetryOptions = ServiceIdentity;

const NOOP: TelemetryHandle = { shutdown: () => Promise.resolve(), forceFlush: () => Promise.resolve() };

let started: TelemetryHandle | undefined;

function warn(message: string): void {
  process.emitWarning(message, { code: 'BATON_TELEMETRY' });
}

/**
 * Starts the OpenTelemetry SDK once per process: W3C trace context and baggage
 * propagation, `service.name` on the resource, and OTLP/HTTP export (protobuf, or JSON
 * when OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL=http/json) through a BatchSpanProcessor
 * that honours OTEL_BSP_*. Without an endpoint spans are still created, so trace ids
 * exist and propagate over Kafka, but nothing is sent. OTEL_SDK_DISABLED=true makes it a
 * no-op. Later calls return the first handle, whatever their options.
 */
export function startTelemetry(opts: TelemetryOptions): TelemetryHandle {
  if (started) return started;
  if (isSdkDisabled(process.env)) {
    started = NOOP;
    return started;
  }

  const plan = resolveTraceExport(process.env);
  plan.warnings.forEach(warn);
  let processor: SpanProcessor;
  if (plan.export) {
    const exporter = plan.protocol === 'http/json' ? new OTLPJsonTraceExporter() : new OTLPProtoTraceExporter();
    processor = new BatchSpanProcessor(exporter);
  } else {
    // A provider needs a processor to be registered at all; this one drops finished spans.
    processor = new NoopSpanProcessor();
  }

  const sdk = new NodeSDK({
    serviceName: opts.serviceName,
    resource: serviceResource(opts, { [ResourceAttr.phoenixProject]: process.env.BATON_TRACE_PROJECT?.trim() || DEFAULT_TRACE_PROJECT }),
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    // The tagger runs first, so the exporter sees its attributes.
    spanProcessors: [new SpanTagger(opts.serviceName), processor],
    // Traces only for now: without these the SDK would also start OTLP metric and log
    // exporters aimed at localhost:4318, failing noisily where no collector runs.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();

  let stopping: Promise<void> | undefined;
  started = {
    shutdown: () => {
      stopping ??= sdk.shutdown().catch((err: unknown) => warn(`telemetry shutdown failed: ${String(err)}`));
      return stopping;
    },
    forceFlush: () =>
      stopping ?? processor.forceFlush().catch((err: unknown) => warn(`telemetry flush failed: ${String(err)}`)),
  };
  return started;
}
