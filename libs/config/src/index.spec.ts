import { z } from 'zod';
import { BrokerList, CommonEnv, ConfigError, LocalDefaults, Port, loadConfig } from './index';

const Schema = z.object({ ...CommonEnv, PORT: Port(8080), NAME: z.string().min(1) });

/** Runs loadConfig and returns the ConfigError it threw; fails the test when it did not throw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(Schema, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig', () => {
  it('applies the defaults for unset variables', () => {
    expect(loadConfig(Schema, { NAME: 'router' })).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      REDIS_URL: LocalDefaults.redisUrl,
      LOG_LEVEL: 'info',
      BATON_TRANSIENT_RETRY_MS: 60_000,
      PORT: 8080,
      NAME: 'router',
    });
  });

  it('uses set variables, coercing numbers, and keeps only the declared keys', () => {
    const config = loadConfig(Schema, {
      NAME: 'router',
      PORT: '9000',
      LOG_LEVEL: 'debug',
      REDIS_URL: 'redis://redis:6379',
      KAFKA_BROKERS: 'k1:9092,k2:9093',
      BATON_TRANSIENT_RETRY_MS: '5000',
      PATH: '/usr/bin',
    });
    expect(config).toEqual({
      NAME: 'router',
      PORT: 9000,
      LOG_LEVEL: 'debug',
      REDIS_URL: 'redis://redis:6379',
      KAFKA_BROKERS: ['k1:9092', 'k2:9093'],
      BATON_TRANSIENT_RETRY_MS: 5000,
    });
  });

  it('names a missing required variable', () => {
    const err = configError({});
    expect(err.message).toMatch(/^invalid configuration:\n/);
    expect(err.message).toContain('  NAME: ');
  });

  it('names each bad variable, one per line', () => {
    const err = configError({ NAME: 'x', PORT: '70000', LOG_LEVEL: 'loud', REDIS_URL: 'not a url' });
    const lines = err.message.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.trim().split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'REDIS_URL']);
  });

  it('reads process.env when no env is given', () => {
    const Only = z.object({ BATON_CONFIG_SPEC_PROBE: z.string() });
    process.env.BATON_CONFIG_SPEC_PROBE = 'from-process';
    try {
      expect(loadConfig(Only)).toEqual({ BATON_CONFIG_SPEC_PROBE: 'from-process' });
    } finally {
      delete process.env.BATON_CONFIG_SPEC_PROBE;
    }
  });
});

describe('BrokerList', () => {
  it('defaults to the local broker', () => {
    expect(BrokerList.parse(undefined)).toEqual([LocalDefaults.kafkaBrokers]);
  });

  it('splits on commas, trims and drops empty entries', () => {
    expect(BrokerList.parse(' k1:9092 , k2:9093,,k3:19092, ')).toEqual(['k1:9092', 'k2:9093', 'k3:19092']);
  });

  it('refuses an entry without a port, naming its position', () => {
    const r = BrokerList.safeParse('k1:9092,kafka');
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['1', 'expected host:port']]);
  });

  it('refuses a non-numeric port and whitespace inside a host', () => {
    expect(BrokerList.safeParse('k1:port').success).toBe(false);
    expect(BrokerList.safeParse('my host:9092').success).toBe(false);
  });

  it('refuses an empty or blank list rather than connecting to nothing', () => {
    expect(BrokerList.safeParse('').success).toBe(false);
    expect(BrokerList.safeParse(' , ').success).toBe(false);
  });

  it('shows the bad element in the loadConfig error', () => {
    expect(() => loadConfig(z.object({ KAFKA_BROKERS: BrokerList }), { KAFKA_BROKERS: 'kafka' })).toThrow(
      /KAFKA_BROKERS\.0: expected host:port/,
    );
  });
});

describe('Port', () => {
  it('coerces, defaults and bounds a port', () => {
    expect(Port(3000).parse(undefined)).toBe(3000);
    expect(Port(3000).parse('443')).toBe(443);
    for (const bad of ['0', '65536', '80.5', 'http']) expect(Port(3000).safeParse(bad).success).toBe(false);
  });
});
