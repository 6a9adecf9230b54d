import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { loadConfig } from '@baton/config';
import { BatonTransport } from '@baton/messaging';
import { JsonLogger } from './json-logger';

const ListenEnv = z.object({
  /** Interface to bind; loopback unless a container needs 0.0.0.0. */
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

/** How a service runs. */
export interface RunServiceOptions {
  name: string;
  defaultPort: number;
  /**
   * The service consumes events: its controllers' `@EventPattern` handlers run on the Baton
   * transport (ServiceKitModule's), whose consumer groups join before HTTP listens.
   */
  consumer?: boolean;
}

/**
 * Creates the Nest app with JSON logs (trace and span ids included) and shutdown hooks, starts
 * its event handlers when it has them, and listens on HOST:PORT. Any start-up error is printed
 * and the process exits non-zero.
 */
export async function runService(module: Type<unknown>, opts: RunServiceOptions): Promise<INestApplication> {
  try {
    const env = loadConfig(ListenEnv);
    const app = await NestFactory.create(module, {
      logger: new JsonLogger(opts.name),
    });
    app.enableShutdownHooks();
    if (opts.consumer) {
      app.get(BatonTransport).connectTo(app);
      await app.startAllMicroservices();
    }
    await app.listen(env.PORT ?? opts.defaultPort, env.HOST);
    new JsonLogger(opts.name).log(`${opts.name} listening on ${await app.getUrl()}`);
    return app;
  } catch (err) {
    process.stderr.write(`${opts.name} failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  }
}
