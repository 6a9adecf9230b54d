import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { loadConfig } from '@baton/config';
import { JsonLogger } from './json-logger';

const ListenEnv = z.object({
  /** Interface to bind; loopback unless a container needs 0.0.0.0. */
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

/**
 * Creates the Nest app with JSON logs (trace and span ids included) and shutdown hooks and listens on HOST:PORT.
 * Any start-up error is printed and the process exits non-zero.
 */
export async function runService(module: Type<unknown>, opts: { name: string; defaultPort: number }): Promise<INestApplication> {
  try {
    const env = loadConfig(ListenEnv);
    const app = await NestFactory.create(module, {
      logger: new JsonLogger(opts.name),
    });
    app.enableShutdownHooks();
    await app.listen(env.PORT ?? opts.defaultPort, env.HOST);
    new JsonLogger(opts.name).log(`${opts.name} listening on ${await app.getUrl()}`);
    return app;
  } catch (err) {
    process.stderr.write(`${opts.name} failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  }
}
