import { z } from 'zod';
import { UsageError } from './commands';

/** One span as the trace backend returns it (Phoenix's REST API). */
export const BackendSpan = z.object({
  name: z.string(),
  context: z.object({ trace_id: z.string(), span_id: z.string() }),
  parent_id: z.string().nullish(),
  start_time: z.string(),
  end_time: z.string(),
  status_code: z.string().nullish(),
  status_message: z.string().nullish(),
  attributes: z.record(z.string(), z.unknown()).default({}),
  events: z.array(z.object({ name: z.string(), attributes: z.record(z.string(), z.unknown()).nullish() })).default([]),
});
export type BackendSpan = z.infer<typeof BackendSpan>;

const SpansPage = z.object({ data: z.array(BackendSpan), next_cursor: z.string().nullish() });

/** Where the trace backend is. */
export interface TraceBackend {
  /** Base URL of Phoenix, e.g. http://127.0.0.1:6006. */
  url: string;
  /** Project the services write to (their `openinference.project.name`). */
  project: string;
}

/** A trace backend that cannot answer: unreachable, or not the API we expect. */
export class TraceBackendError extends UsageError {}

const PAGE = 1000;
const TIMEOUT_MS = 10_000;

/** Reads spans from Arize Phoenix over its REST API. */
export class TraceClient {
  constructor(
    private readonly backend: TraceBackend,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Every span of one trace, in whatever order the backend keeps them. */
  async spans(traceId: string): Promise<BackendSpan[]> {
    const out: BackendSpan[] = [];
    let cursor: string | null | undefined;
    do {
      const query = new URLSearchParams({ trace_id: traceId, limit: String(PAGE), ...(cursor ? { cursor } : {}) });
      const page = await this.get(`/v1/projects/${encodeURIComponent(this.backend.project)}/spans?${query}`);
      out.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    return out;
  }

  private async get(path: string): Promise<z.infer<typeof SpansPage>> {
    const url = `${this.backend.url.replace(/\/+$/, '')}${path}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new TraceBackendError(
        `trace viewer not reachable at ${this.backend.url} (${cause}) — \`npm start\` starts Phoenix there; or pass --trace-url / set BATON_TRACE_URL`,
      );
    }
    const text = await res.text();
    if (res.status === 404) {
      throw new TraceBackendError(`the trace viewer at ${this.backend.url} has no project "${this.backend.project}" yet: no span has reached it (is OTEL_EXPORTER_OTLP_ENDPOINT set for the services?)`);
    }
    if (!res.ok) throw new TraceBackendError(`trace viewer answered ${res.status} to GET ${path}: ${text.slice(0, 200)}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TraceBackendError(`trace viewer sent something other than JSON to GET ${path}`);
    }
    const parsed = SpansPage.safeParse(json);
    if (!parsed.success) throw new TraceBackendError(`trace viewer sent an unexpected answer to GET ${path}: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }
}
