import type { BatonEvent } from '@baton/contracts';

/** Kafka header names Baton writes besides the trace context. */
export const HeaderNames = {
  contentType: 'content-type',
  eventType: 'baton-event-type',
  deadLetterReason: 'baton-dead-letter-reason',
  /** On a redriven message: the dead letter it was sent back from (`<dlt>/<partition>/<offset>`). */
  redriveOf: 'baton-redrive-of',
} as const;

/** Content type of every value the bus writes. */
export const JSON_CONTENT_TYPE = 'application/json';

/** Header values as kafkajs hands them to a consumer. */
export type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/**
 * Headers of a published event: the trace context carrier plus Baton's own. Baton's win
 * on a name clash so a propagator can never overwrite the content type or event type.
 */
export function eventHeaders(event: Pick<BatonEvent, 'type'>, traceCarrier: Record<string, string>): Record<string, string> {
  return {
    ...traceCarrier,
    [HeaderNames.contentType]: JSON_CONTENT_TYPE,
    [HeaderNames.eventType]: event.type,
  };
}

/**
 * Kafka headers as strings, for the trace propagator and for logs. Repeated headers are
 * joined with commas, which is how W3C `tracestate` may legally be split; absent values are dropped.
 */
export function decodeHeaders(headers: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const parts = (Array.isArray(value) ? value : [value]).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
    out[name] = parts.join(',');
  }
  return out;
}
