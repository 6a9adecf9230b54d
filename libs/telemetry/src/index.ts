export * from './names';
export { startTelemetry, type TelemetryHandle, type TelemetryOptions } from './sdk';
export { withSpan, annotateCurrentSpan, currentTraceId, setTaskAttributes, type SpanAttrs } from './spans';
export { resolveTraceExport, isSdkDisabled, type TraceExportPlan, type OtlpHttpProtocol } from './telemetry-env';
export { installShutdownHooks } from './shutdown-hooks';
export { type Span, SpanKind } from '@opentelemetry/api';
