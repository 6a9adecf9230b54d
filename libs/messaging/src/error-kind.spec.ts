import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { AbortError, ReplyError } from 'redis-errors';
import { ZodError, z } from 'zod';
import { classifyError } from './error-kind';
import { TimeoutError } from './timing';

// kafkajs builds protocol errors from its code table (src/protocol/error.js, createErrorFromCode);
// that module has no types, so the real constructor is loaded untyped.
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode(code: number): KafkaJSProtocolError };

// ioredis' MaxRetriesPerRequestError, built as ioredis builds it (ioredis may only be imported by the state lib).
class MaxRetriesPerRequestError extends AbortError {
  constructor(maxRetriesPerRequest: number) {
    super(`Reached the max retries per request limit (which is ${maxRetriesPerRequest}). Refer to "maxRetriesPerRequest" option for details.`);
  }
  override get name(): string {
    return this.constructor.name;
  }
}

// kafkajs' typings omit the `cause` option its constructor takes.
const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error, meta: { cause: Error }) => KafkaJSNonRetriableError;
function nonRetriable(e: Error): KafkaJSNonRetriableError {
  return new NonRetriable(e, { cause: e });
}

function sysError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
}

describe('classifyError', () => {
  describe('Redis restarts and outages are transient', () => {
    it.each([
      ['LOADING', new ReplyError('LOADING Redis is loading the dataset in memory')],
      ['READONLY', new ReplyError("READONLY You can't write against a read only replica.")],
      ['MASTERDOWN', new ReplyError('MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no')],
      ['TRYAGAIN', new ReplyError('TRYAGAIN Multiple keys request during rehashing of slot')],
      ['BUSY', new ReplyError('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.')],
      ['Connection is closed', new Error('Connection is closed.')],
      ['offline queue disabled', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
      ['MaxRetriesPerRequestError', new MaxRetriesPerRequestError(20)],
      ['ECONNREFUSED', sysError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6399')],
      ['ECONNRESET', sysError('ECONNRESET', 'read ECONNRESET')],
      ['our withTimeout', new TimeoutError('redis ping did not finish within 1000 ms')],
    ])('%s', (_name, error) => {
      expect(classifyError(error)).toBe('transient');
    });
  });

  describe('broker leader changes and connection loss are transient', () => {
    it.each([
      ['NOT_LEADER_FOR_PARTITION', createErrorFromCode(6)],
      ['LEADER_NOT_AVAILABLE', createErrorFromCode(5)],
      ['REQUEST_TIMED_OUT', createErrorFromCode(7)],
      ['a connection error', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092' })],
      ['a request timeout', new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out')],
      ['any retriable KafkaJSError', new KafkaJSError('There is no leader for this topic-partition')],
      [
        'retries exhausted on a retriable error',
        new KafkaJSNumberOfRetriesExceeded(createErrorFromCode(6), { retryCount: 5, retryTime: 3000 }),
      ],
      // As kafkajs' retrier wraps an error it will not retry itself (src/retry/index.js).
      ['a non-retriable wrapper of a leader change', nonRetriable(createErrorFromCode(6))],
    ])('%s', (_name, error) => {
      expect(classifyError(error)).toBe('transient');
    });

    it('walks a cause chain of application errors down to the transient one', () => {
      const inner = new ReplyError('LOADING Redis is loading the dataset in memory');
      const mid = new Error('budget reserve failed', { cause: inner });
      expect(classifyError(new Error('step failed', { cause: mid }))).toBe('transient');
    });

    it('finds a transient error inside an aggregate', () => {
      expect(classifyError(new AggregateError([new Error('nope'), new Error('Connection is closed.')], 'several'))).toBe('transient');
    });
  });

  describe('everything else is poison', () => {
    const zodError = (() => {
      try {
        z.object({ a: z.string() }).parse({});
      } catch (e) {
        return e as ZodError;
      }
      throw new Error('unreachable');
    })();
    it.each([
      ['a plain error', new Error('handler exploded')],
      ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
      ['a zod error', zodError],
      ['a Redis script error', new ReplyError('ERR Error running script (call to f_1234): @user_script:1: bad argument')],
      ['WRONGTYPE', new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value')],
      ['LOADING outside a Redis reply', new Error('LOADING the page')],
      ['MESSAGE_TOO_LARGE', createErrorFromCode(10)],
      ['a non-retriable wrapper of MESSAGE_TOO_LARGE', nonRetriable(createErrorFromCode(10))],
      ['a string', 'boom'],
      ['undefined', undefined],
      ['null', null],
    ])('%s', (_name, error) => {
      expect(classifyError(error)).toBe('poison');
    });

    it('survives a cause cycle', () => {
      const a = new Error('a');
      const b = new Error('b', { cause: a });
      (a as { cause?: unknown }).cause = b;
      expect(classifyError(a)).toBe('poison');
    });
  });
});
