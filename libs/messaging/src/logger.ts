import { logLevel, type logCreator } from 'kafkajs';
import { logCorrelation } from '@baton/telemetry';

/** Where the messaging lib writes its own log lines and those of kafkajs. */
export interface BusLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

type Level = 'info' | 'warn' | 'error';

// Errors serialise to `{}` by default and a log line must never throw, whatever the fields hold.
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Serialises one log line as JSON, with the active span's trace and span ids; falls back
 * to the bare message (ids kept) if the fields cannot be serialised.
 */
export function formatLogLine(level: Level, msg: string, fields?: Record<string, unknown>): string {
  const ids = logCorrelation();
  const line = { time: new Date().toISOString(), level, msg, ...ids, ...fields };
  try {
    return JSON.stringify(line, replacer);
  } catch {
    return JSON.stringify({ time: line.time, level, msg, ...ids });
  }
}

/** The default logger: JSON lines on stderr, so stdout stays free for program output. */
export const stderrLogger: BusLogger = {
  info: (msg, fields) => process.stderr.write(`${formatLogLine('info', msg, fields)}\n`),
  warn: (msg, fields) => process.stderr.write(`${formatLogLine('warn', msg, fields)}\n`),
  error: (msg, fields) => process.stderr.write(`${formatLogLine('error', msg, fields)}\n`),
};

/** A kafkajs log creator that routes kafkajs' entries to a BusLogger (kafkajs filters by level first). */
export function kafkaLogCreator(logger: BusLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _source, ...rest } = log;
      const fields = { component: 'kafkajs', namespace, ...rest };
      if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(message, fields);
      else if (level === logLevel.WARN) logger.warn(message, fields);
      else logger.info(message, fields);
    };
}
