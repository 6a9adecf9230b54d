import { HttpException, HttpStatus } from '@nestjs/common';
import type { MessageBus } from '@baton/messaging';
import type { StateStore } from '@baton/state';
import { HealthController } from './health.controller';
import { Readiness } from './readiness';

const SERVICE = 'baton-test';

interface Fakes {
  kafkaUp?: boolean;
  ping?: () => Promise<boolean>;
}

/**
 * The controller over hand-written fakes of exactly what it calls (isHealthy, ping), so a
 * test states each dependency's answer and nothing connects. Readiness is the real class:
 * it is plain in-memory logic.
 */
function setup({ kafkaUp = true, ping = async () => true }: Fakes = {}) {
  const bus: Pick<MessageBus, 'isHealthy'> = { isHealthy: () => kafkaUp };
  const pings = jest.fn(ping);
  const state: Pick<StateStore, 'ping'> = { ping: pings };
  const readiness = new Readiness();
  const controller = new HealthController(bus as MessageBus, state as StateStore, { name: SERVICE }, readiness);
  return { controller, readiness, pings };
}

/** The 503 `ready()` must throw: its status and response body. */
async function notReady(controller: HealthController): Promise<{ status: number; body: unknown }> {
  const err = await controller.ready().then(
    () => {
      throw new Error('expected ready() to reject with 503');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpException);
  const http = err as HttpException;
  return { status: http.getStatus(), body: http.getResponse() };
}

describe('HealthController', () => {
  it('is alive without asking any dependency', () => {
    const { controller, pings } = setup({ kafkaUp: false });
    expect(controller.health()).toEqual({ status: 'ok', service: SERVICE });
    expect(pings).not.toHaveBeenCalled();
  });

  describe('readyz', () => {
    it('is ready when Kafka is connected, Redis answers and nothing is pending', async () => {
      const { controller, pings } = setup();
      await expect(controller.ready()).resolves.toEqual({ status: 'ready', service: SERVICE });
      expect(pings).toHaveBeenCalledTimes(1);
    });

    it('answers 503 when Kafka is not connected', async () => {
      const { controller } = setup({ kafkaUp: false });
      expect(await notReady(controller)).toEqual({
        status: HttpStatus.SERVICE_UNAVAILABLE,
        body: { status: 'not_ready', service: SERVICE, problems: ['kafka: not connected'] },
      });
    });

    it('answers 503 when Redis does not answer the ping', async () => {
      const { controller } = setup({ ping: async () => false });
      expect(await notReady(controller)).toMatchObject({ status: 503, body: { problems: ['redis: no answer'] } });
    });

    it('answers 503, not 500, when the ping itself fails', async () => {
      // A rejected ping (socket gone, client closed) means Redis is down, not that readyz is broken.
      const { controller } = setup({
        ping: async () => {
          throw new Error('Connection is closed.');
        },
      });
      expect(await notReady(controller)).toMatchObject({ status: 503, body: { problems: ['redis: no answer'] } });
    });

    it('answers 503 listing each consumer still joining its group, and ready once all joined', async () => {
      const { controller, readiness } = setup();
      readiness.expect('consumer baton-planner');
      readiness.expect('consumer baton-router');
      readiness.complete('consumer baton-planner');
      expect(await notReady(controller)).toEqual({
        status: 503,
        body: { status: 'not_ready', service: SERVICE, problems: ['waiting for consumer baton-router'] },
      });

      // Checked on every call, not cached: the same controller turns ready.
      readiness.complete('consumer baton-router');
      await expect(controller.ready()).resolves.toEqual({ status: 'ready', service: SERVICE });
    });

    it('lists every problem at once, so one probe shows all that is wrong', async () => {
      const { controller, readiness } = setup({ kafkaUp: false, ping: async () => false });
      readiness.expect('consumer baton-agent');
      expect(await notReady(controller)).toMatchObject({
        status: 503,
        body: { problems: ['kafka: not connected', 'redis: no answer', 'waiting for consumer baton-agent'] },
      });
    });
  });
});
