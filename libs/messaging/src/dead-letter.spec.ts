import { DeadLetterRecord, EventParseError } from '@baton/contracts';
import { buildDeadLetterRecord, decodeDeadLetterValue, encodeValue, errorMessage, eventIdOf } from './dead-letter';

const base = {
  topic: 'baton.task.submitted',
  partition: 2,
  offset: '41',
  key: Buffer.from('task-1'),
  groupId: 'baton-router',
  attempts: 0,
  eventId: null,
  now: new Date('2025-01-02T03:04:05.000Z'),
};

describe('buildDeadLetterRecord', () => {
  it('records where the message came from, why and when', () => {
    const record = buildDeadLetterRecord({ ...base, value: Buffer.from('{nope'), reason: 'invalid_json', error: new SyntaxError('Unexpected token') });
    expect(record).toEqual({
      originalTopic: 'baton.task.submitted',
      partition: 2,
      offset: '41',
      key: 'task-1',
      value: '{nope',
      valueEncoding: 'utf8',
      consumerGroup: 'baton-router',
      reason: 'invalid_json',
      error: 'Unexpected token',
      attempts: 0,
      eventId: null,
      failedAt: '2025-01-02T03:04:05.000Z',
    });
    expect(DeadLetterRecord.safeParse(record).success).toBe(true);
  });

  it('keeps the EventParseError message naming the bad field', () => {
    const error = new EventParseError('invalid task.submitted v1: data.input.text: input.text must not be empty');
    const record = buildDeadLetterRecord({ ...base, value: Buffer.from('{}'), reason: 'invalid_event', error, eventId: 'e-1' });
    expect(record.error).toContain('data.input.text');
    expect(record.eventId).toBe('e-1');
  });

  it('handles a null key and a null value', () => {
    const record = buildDeadLetterRecord({ ...base, key: null, value: null, reason: 'invalid_json', error: 'no value' });
    expect(record.key).toBeNull();
    expect(record.value).toBeNull();
    expect(record.valueEncoding).toBe('utf8');
  });

  it('keeps only the first bytes of a value too large for a dead letter, with its original size', () => {
    const value = Buffer.from(`{"text": "${'é'.repeat(60_000)}"`);
    const record = buildDeadLetterRecord({ ...base, value, reason: 'invalid_json', error: 'bad', maxRecordBytes: 50_000 });
    expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThanOrEqual(50_000);
    expect(record).toMatchObject({ truncated: true, originalBytes: value.length, valueEncoding: 'utf8' });
    expect(record.value!.length).toBeGreaterThan(20_000);
    expect(value.toString('utf8').startsWith(record.value!)).toBe(true);
  });

  it('truncates JSON-escape-heavy and binary values to the limit too', () => {
    const quotes = Buffer.from('\u0001"'.repeat(100_000));
    const control = buildDeadLetterRecord({ ...base, value: Buffer.from('\x01'.repeat(100_000)), reason: 'invalid_json', error: 'bad', maxRecordBytes: 20_000 });
    const binary = buildDeadLetterRecord({ ...base, value: Buffer.alloc(100_000, 0xff), reason: 'invalid_json', error: 'bad', maxRecordBytes: 20_000 });
    const escaped = buildDeadLetterRecord({ ...base, value: quotes, reason: 'invalid_json', error: 'bad', maxRecordBytes: 20_000 });
    for (const record of [control, binary, escaped]) {
      expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThanOrEqual(20_000);
      expect(record.truncated).toBe(true);
    }
    expect(binary).toMatchObject({ valueEncoding: 'base64', originalBytes: 100_000 });
  });

  it('leaves a value that fits whole, with no truncation fields', () => {
    const record = buildDeadLetterRecord({ ...base, value: Buffer.from('{}'), reason: 'invalid_json', error: 'bad', maxRecordBytes: 1_000 });
    expect(record).not.toHaveProperty('truncated');
    expect(record).not.toHaveProperty('originalBytes');
  });

  it('carries the attempts of a failed handler', () => {
    const record = buildDeadLetterRecord({ ...base, value: Buffer.from('{}'), reason: 'handler_failed', error: new Error('boom'), attempts: 3 });
    expect(record).toMatchObject({ reason: 'handler_failed', attempts: 3, error: 'boom' });
  });
});

describe('encodeValue', () => {
  it('keeps valid UTF-8 as text, multi-byte characters included', () => {
    expect(encodeValue(Buffer.from('héllo ✓'))).toEqual({ value: 'héllo ✓', valueEncoding: 'utf8' });
  });

  it('base64-encodes bytes that are not UTF-8, and they round-trip', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0xc3]);
    const encoded = encodeValue(bytes);
    expect(encoded.valueEncoding).toBe('base64');
    expect(decodeDeadLetterValue(encoded)).toEqual(bytes);
  });
});

describe('errorMessage', () => {
  it('reads errors, strings and other thrown values', () => {
    expect(errorMessage(new Error('x'))).toBe('x');
    expect(errorMessage(new TypeError(''))).toBe('TypeError');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ code: 1 })).toBe('{"code":1}');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});

describe('eventIdOf', () => {
  it('finds a string eventId only', () => {
    expect(eventIdOf({ eventId: 'abc' })).toBe('abc');
    expect(eventIdOf({ eventId: 7 })).toBeNull();
    expect(eventIdOf([1])).toBeNull();
    expect(eventIdOf(null)).toBeNull();
  });
});
