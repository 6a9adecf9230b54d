/*
 * Load with `node --require <dist>/libs/telemetry/src/preload.js <app main>` so the SDK
 * is registered before Nest and the clients load: spans and context propagation then
 * work from the first line of the app. Configuration is the environment only:
 * OTEL_SERVICE_NAME (or BATON_SERVICE_NAME), OTEL_EXPORTER_OTLP_*, OTEL_BSP_*,
 * OTEL_SDK_DISABLED.
 */
import { startTelemetry } from './sdk';
import { combineHandles, startMetrics } from './metrics';
import { installShutdownHooks } from './shutdown-hooks';
import { isSdkDisabled, serviceFromEnv } from './telemetry-env';

if (!isSdkDisabled(process.env)) {
  const { serviceName, serviceVersion, warning } = serviceFromEnv(process.env);
  if (warning) process.emitWarning(warning, { code: 'BATON_TELEMETRY' });
  // Metrics first, so anything registered later finds the meter provider; one set of
  // shutdown hooks flushes both (two sets would each wait on the other and never exit).
  const metricsHandle = startMetrics({ serviceName, serviceVersion });
  installShutdownHooks(combineHandles(startTelemetry({ serviceName, serviceVersion }), metricsHandle));
}
