import { describeRedisUrl } from './redis-url';

describe('describeRedisUrl', () => {
  it('masks the password', () => {
    expect(describeRedisUrl('redis://:s3cret@127.0.0.1:6399/0')).toBe('redis://:***@127.0.0.1:6399/0');
    expect(describeRedisUrl('rediss://user:pw@cache.internal:6380')).not.toContain('pw');
  });

  it('keeps URLs without credentials readable', () => {
    expect(describeRedisUrl('redis://127.0.0.1:6399')).toBe('redis://127.0.0.1:6399');
  });

  it('rejects what is not a Redis URL', () => {
    expect(() => describeRedisUrl('127.0.0.1:6379')).toThrow(/not a Redis URL/);
    expect(() => describeRedisUrl('http://127.0.0.1:6379')).toThrow(/redis:\/\//);
  });
});
