// Loaded with `node -r` before every service: resolves the @baton/* aliases of the
// compiled code, then starts OpenTelemetry before Nest or any client library loads.
import './paths';
import '@baton/telemetry/preload';
