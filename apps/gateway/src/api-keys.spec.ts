import { ApiKeys } from './api-keys';

describe('ApiKeys.parse', () => {
  it('parses tenant:key pairs, trimming spaces and skipping empty entries', () => {
    const keys = ApiKeys.parse(' acme:acme-secret-1 ,, globex:globex-secret-2 ,');
    expect(keys.tenantFor('acme-secret-1')).toBe('acme');
    expect(keys.tenantFor('globex-secret-2')).toBe('globex');
  });

  it('keeps colons after the first one as part of the key', () => {
    expect(ApiKeys.parse('acme:abc:defgh').tenantFor('abc:defgh')).toBe('acme');
  });

  it('refuses an empty spec', () => {
    expect(() => ApiKeys.parse('')).toThrow('GATEWAY_API_KEYS: no keys configured');
    expect(() => ApiKeys.parse(' , ')).toThrow('GATEWAY_API_KEYS: no keys configured');
  });

  it('refuses a key shorter than 8 characters, naming the tenant but not the key', () => {
    let message = '';
    try {
      ApiKeys.parse('acme:acme-secret-1,globex:short');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('GATEWAY_API_KEYS: entry "globex:…" must be tenant:key with a key of 8+ characters');
    expect(message).not.toContain('short');
  });

  it('refuses an entry without a tenant or without a colon', () => {
    expect(() => ApiKeys.parse(':some-long-key')).toThrow(/must be tenant:key/);
    expect(() => ApiKeys.parse('some-long-key')).toThrow(/must be tenant:key/);
  });

  it('refuses a tenant id that is not a valid TenantId', () => {
    expect(() => ApiKeys.parse('Acme:acme-secret-1')).toThrow(/entry "Acme:…"/);
    expect(() => ApiKeys.parse('acme corp:acme-secret-1')).toThrow(/entry "acme corp:…"/);
  });
});

describe('ApiKeys.tenantFor', () => {
  const keys = ApiKeys.parse('acme:acme-secret-1,globex:globex-secret-2');

  it('finds the tenant of a known key', () => {
    expect(keys.tenantFor('globex-secret-2')).toBe('globex');
  });

  it('answers null for a missing or empty key', () => {
    expect(keys.tenantFor(undefined)).toBeNull();
    expect(keys.tenantFor('')).toBeNull();
  });

  it('answers null for an unknown key of the same length', () => {
    expect(keys.tenantFor('acme-secret-9')).toBeNull();
  });

  it('answers null (without throwing) for a key of another length, including a prefix or extension of a real key', () => {
    expect(keys.tenantFor('acme-secret')).toBeNull();
    expect(keys.tenantFor('acme-secret-1x')).toBeNull();
    expect(keys.tenantFor('x')).toBeNull();
  });

  it('compares keys exactly (case matters)', () => {
    expect(keys.tenantFor('ACME-SECRET-1')).toBeNull();
  });
});
