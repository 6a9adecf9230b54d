import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { logCorrelation } from '@baton/telemetry';

/** What Nest's ConsoleLogger puts in a JSON line, plus the active span's ids. */
export type JsonLogObject = ReturnType<ConsoleLogger['getJsonLogObject']> & { trace_id?: string; span_id?: string };

/**
 * Nest's JSON console logger with `trace_id` and `span_id` on every line written inside a
 * span (a handler, a request), so a log line leads to its trace and back.
 */
export class JsonLogger extends ConsoleLogger {
  constructor(prefix: string) {
    super({ json: true, prefix });
  }

  protected override getJsonLogObject(
    message: unknown,
    options: { context: string; logLevel: LogLevel; writeStreamType?: 'stdout' | 'stderr'; errorStack?: unknown },
  ): JsonLogObject {
    return { ...super.getJsonLogObject(message, options), ...logCorrelation() };
  }
}
