import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One export request as the collector saw it. */
export interface CapturedExport {
  path: string;
  contentType: string;
  body: Buffer;
  at: number;
}

/** A stand-in OTLP/HTTP collector on loopback that keeps every request and answers 200. */
export class OtlpCapture {
  readonly requests: CapturedExport[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push({
        path: req.url ?? '',
        contentType: String(req.headers['content-type'] ?? ''),
        body: Buffer.concat(chunks),
        at: Date.now(),
      });
      const json = String(req.headers['content-type']).includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Spans of every OTLP/JSON request: name, trace id and the resource's service.name. */
  jsonSpans(): Array<{ name: string; traceId: string; service: string; parentSpanId?: string; spanId: string }> {
    const out: Array<{ name: string; traceId: string; service: string; parentSpanId?: string; spanId: string }> = [];
    for (const r of this.requests.filter((x) => x.contentType.includes('json'))) {
      const body = JSON.parse(r.body.toString('utf8')) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: Array<{ name: string; traceId: string; spanId: string; parentSpanId?: string }> }>;
        }>;
      };
      for (const rs of body.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) out.push({ name: s.name, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, service });
        }
      }
    }
    return out;
  }
}
