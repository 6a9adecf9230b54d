import { z } from 'zod';

/** A configuration error: names every missing or invalid variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables once with a zod object schema whose keys are the variable
 * names. Fails fast, naming each bad variable.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Local defaults shared by every service; each can be overridden by its variable. */
export const LocalDefaults = {
  kafkaBrokers: '127.0.0.1:9092',
  redisUrl: 'redis://127.0.0.1:6399',
  simulatorUrl: 'http://127.0.0.1:8090/v1',
  gatewayUrl: 'http://127.0.0.1:8080',
} as const;

/** Comma-separated list of brokers. */
export const BrokerList = z
  .string()
  .default(LocalDefaults.kafkaBrokers)
  .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1));

/** A TCP port. */
export const Port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** The variables every service reads. */
export const CommonEnv = {
  KAFKA_BROKERS: BrokerList,
  REDIS_URL: z.string().url().default(LocalDefaults.redisUrl),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * How long a consumer waits out transient failures (Redis or Kafka restarting) of one
   * message before dead-lettering it, in ms; default 60 s.
   */
  BATON_TRANSIENT_RETRY_MS: z.coerce.number().int().min(0).default(60_000),
};

export { findUpward, readYamlFile } from './config-files';
export { factoryProvider, token, valueProvider, type Provided, type Token } from './injection-token';
