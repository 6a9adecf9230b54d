import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as the tests look at it, flattened from OTLP/JSON. */
export interface CollectedSpan {
  service: string;
  /** `service.instance.id` of the process that made it (the stack's process name), '' when unset. */
  instance: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** Span events: name and attributes. */
  events: Array<{ name: string; attributes: Record<string, string | number | boolean> }>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttr {
  key: string;
  value: OtlpValue;
}
interface OtlpRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttr[] };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttr[];
        events?: Array<{ name: string; attributes?: OtlpAttr[] }>;
      }>;
    }>;
  }>;
}

function flatten(attrs: OtlpAttr[] = []): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const a of attrs) {
    const v = a.value;
    out[a.key] = v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue ?? '';
  }
  return out;
}

/** A minimal OTLP/HTTP JSON trace receiver for tests: keeps every span it is sent. */
export class OtlpCollector {
  readonly spans: CollectedSpan[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpCollector> {
    const server = createServer();
    const collector = new OtlpCollector(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/traces') {
          try {
            collector.ingest(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest);
          } catch {
            res.writeHead(400).end();
            return;
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return collector;
  }

  /** Base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private ingest(body: OtlpRequest): void {
    for (const rs of body.resourceSpans ?? []) {
      const resource = flatten(rs.resource?.attributes);
      const service = String(resource['service.name'] ?? 'unknown');
      const instance = String(resource['service.instance.id'] ?? '');
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({
            service,
            instance,
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId ?? '',
            name: s.name,
            kind: s.kind,
            attributes: flatten(s.attributes),
            events: (s.events ?? []).map((e) => ({ name: e.name, attributes: flatten(e.attributes) })),
          });
        }
      }
    }
  }

  /** Spans of one trace. */
  trace(traceId: string): CollectedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
