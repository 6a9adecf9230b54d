// Test helpers of the telemetry lib; never imported by production code.
export { parsePrometheusText, type PrometheusSample, type PrometheusText } from './prometheus-text';
