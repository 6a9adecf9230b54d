import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { deadLetterTopic } from '@baton/contracts';
import { MESSAGE_BUS, MessageBus, MessagingModule } from './index';
import { KafkaTestClient, LogCollector, testBrokers, uniqueName } from './testing';

// The per-project testTimeout in jest.config.js does not reach the test runner; set it here.
jest.setTimeout(30_000);

const brokers = testBrokers();
const kafka = new KafkaTestClient(brokers);

afterAll(() => kafka.close());

it('connects and ensures its topics on init, and closes the bus on shutdown', async () => {
  const topic = uniqueName('module');

  @Module({ imports: [MessagingModule.forRoot({ brokers, clientId: uniqueName('nest'), logger: new LogCollector(), topics: [topic] })] })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const bus = app.get<MessageBus>(MESSAGE_BUS);
  expect(bus).toBeInstanceOf(MessageBus);
  expect(bus.isHealthy()).toBe(true);
  expect(await kafka.listTopics()).toEqual(expect.arrayContaining([topic, deadLetterTopic(topic)]));

  await app.close();
  expect(bus.isHealthy()).toBe(false);
});

it('builds its options from a factory with forRootAsync', async () => {
  const topic = uniqueName('module-async');
  const OPTIONS = 'TEST_OPTIONS';

  @Module({ providers: [{ provide: OPTIONS, useValue: { clientId: uniqueName('nest-async') } }], exports: [OPTIONS] })
  class ConfigModule {}

  @Module({
    imports: [
      MessagingModule.forRootAsync({
        imports: [ConfigModule],
        inject: [OPTIONS],
        useFactory: (cfg: { clientId: string }) => ({ brokers, clientId: cfg.clientId, logger: new LogCollector(), topics: [topic] }),
      }),
    ],
  })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  expect(app.get<MessageBus>(MESSAGE_BUS).isHealthy()).toBe(true);
  expect(await kafka.listTopics()).toEqual(expect.arrayContaining([topic, deadLetterTopic(topic)]));
  await app.close();
});
