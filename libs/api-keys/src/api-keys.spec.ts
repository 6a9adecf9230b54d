import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { ALL_ROLES, ApiKeyTable, KEY_PREFIX, apiKeyDigest, callerName, formatKeyEntry, hashApiKey, mintApiKey, newApiKey, parseApiKeysFile, type ApiKeyEntry } from './index';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const entry = (over: Partial<ApiKeyEntry> = {}): ApiKeyEntry => ({ id: 'acme-ops', tenant: 'acme', roles: ['reviewer'], sha256: sha('key-of-acme-ops'), ...over });

/** The message parseApiKeysFile threw; fails the test when it accepted the file. */
function fileError(raw: unknown): string {
  try {
    parseApiKeysFile(raw, 'keys file k.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('hashApiKey', () => {
  it('is the SHA-256 of the key in lowercase hex, and the digest is the same bytes', () => {
    expect(hashApiKey('dev-key-acme')).toBe(sha('dev-key-acme'));
    expect(apiKeyDigest('dev-key-acme').toString('hex')).toBe(sha('dev-key-acme'));
  });
});

describe('parseApiKeysFile', () => {
  it('returns the entries of a valid file', () => {
    const keys = [entry(), entry({ id: 'globex-ci', tenant: 'globex', roles: ['submitter', 'viewer'], sha256: sha('other') })];
    expect(parseApiKeysFile({ version: 1, keys }, 'f')).toEqual(keys);
  });

  it('names the bad entry by position and id, and the field', () => {
    const keys = [entry(), entry({ id: 'acme-bad', sha256: sha('x'), roles: ['approver' as 'admin'] })];
    expect(fileError({ version: 1, keys })).toMatch(/^keys file k\.yaml: keys\[1\] \(id "acme-bad"\): roles\.0: /);
  });

  it('names an entry without an id by position only', () => {
    expect(fileError({ version: 1, keys: [{ tenant: 'acme', roles: ['viewer'], sha256: sha('x') }] })).toMatch(/^keys file k\.yaml: keys\[0\]: id: /);
  });

  it.each([
    ['a digest that is not 64 hex digits', { sha256: 'abc' }, 'sha256'],
    ['an upper-case digest', { sha256: sha('x').toUpperCase() }, 'sha256'],
    ['a tenant id that is not one', { tenant: 'Acme Corp' }, 'tenant'],
    ['no role', { roles: [] }, 'roles'],
    ['a role twice', { roles: ['viewer', 'viewer'] }, 'roles'],
    ['an id with spaces', { id: 'acme ops' }, 'id'],
  ] as const)('refuses %s', (_name, over, field) => {
    expect(fileError({ version: 1, keys: [entry(over as Partial<ApiKeyEntry>)] })).toContain(`keys[0]`);
    expect(fileError({ version: 1, keys: [entry(over as Partial<ApiKeyEntry>)] })).toMatch(new RegExp(`: ${field}: `));
  });

  it('refuses a field it does not know (a plaintext key pasted in, say)', () => {
    expect(fileError({ version: 1, keys: [{ ...entry(), key: 'dev-key-acme' }] })).toMatch(/keys\[0\] \(id "acme-ops"\): .*key/);
  });

  it('refuses a file without keys, of another version, or not a mapping', () => {
    expect(fileError({ version: 1, keys: [] })).toMatch(/keys: lists no keys/);
    expect(fileError({ version: 2, keys: [entry()] })).toMatch(/version/);
    expect(fileError(null)).toMatch(/^keys file k\.yaml: /);
    expect(fileError([entry()])).toMatch(/^keys file k\.yaml: /);
  });

  it('refuses two entries with one id, or one key under two ids', () => {
    expect(fileError({ version: 1, keys: [entry(), entry({ sha256: sha('y') })] })).toBe('keys file k.yaml: keys[1] (id "acme-ops"): the id is taken by keys[0]');
    expect(fileError({ version: 1, keys: [entry(), entry({ id: 'acme-two' })] })).toMatch(/keys\[1\] \(id "acme-two"\): the same key as "acme-ops"/);
  });
});

describe('ApiKeyTable', () => {
  const table = ApiKeyTable.of([
    entry({ id: 'acme-ops', sha256: sha('acme-ops-secret') }),
    entry({ id: 'globex-all', tenant: 'globex', roles: [...ALL_ROLES], sha256: sha('globex-secret') }),
  ]);

  it('identifies the caller of a known key: its id, tenant and roles', () => {
    expect(table.identify('acme-ops-secret')).toEqual({ keyId: 'acme-ops', tenant: 'acme', roles: ['reviewer'] });
    expect(table.identify('globex-secret')).toEqual({ keyId: 'globex-all', tenant: 'globex', roles: ['submitter', 'reviewer', 'viewer', 'admin'] });
    expect(table.size).toBe(2);
  });

  it('answers null for a missing, empty or unknown key, a prefix of a known one, or its digest', () => {
    expect(table.identify(undefined)).toBeNull();
    expect(table.identify('')).toBeNull();
    expect(table.identify('acme-ops-secreT')).toBeNull();
    expect(table.identify('acme-ops-secre')).toBeNull();
    // Whoever reads the file cannot use what it stores as a key.
    expect(table.identify(sha('acme-ops-secret'))).toBeNull();
  });

  it('names a caller key:<id>', () => {
    expect(callerName({ keyId: 'acme-ops' })).toBe('key:acme-ops');
  });
});

describe('minting', () => {
  it('mints the prefix and 32 random bytes as base64url; two keys differ', () => {
    const key = mintApiKey();
    expect(key).toMatch(new RegExp(`^${KEY_PREFIX}[A-Za-z0-9_-]{43}$`));
    expect(mintApiKey()).not.toBe(key);
    expect(mintApiKey(Buffer.alloc(32, 0xff))).toBe(`${KEY_PREFIX}${'_'.repeat(42)}8`);
  });

  it('refuses fewer than 32 random bytes', () => {
    expect(() => mintApiKey(Buffer.alloc(16))).toThrow('an API key needs 32 random bytes, got 16');
  });

  it('builds an entry whose digest identifies the minted key', () => {
    const { key, entry: e } = newApiKey({ id: 'acme-dana', tenant: 'acme', roles: ['reviewer', 'viewer'] });
    expect(e).toEqual({ id: 'acme-dana', tenant: 'acme', roles: ['reviewer', 'viewer'], sha256: sha(key) });
    expect(ApiKeyTable.of([e]).identify(key)).toEqual({ keyId: 'acme-dana', tenant: 'acme', roles: ['reviewer', 'viewer'] });
  });

  it('refuses to mint for an entry the gateway would refuse, naming the field', () => {
    expect(() => newApiKey({ id: 'acme-dana', tenant: 'acme', roles: ['approver' as 'admin'] })).toThrow(/^roles\.0: /);
    expect(() => newApiKey({ id: 'Dana Smith', tenant: 'acme', roles: ['viewer'] })).toThrow(/^id: /);
  });

  it('formats the entry as an item of keys: that reads back as the same entry, quoting what YAML would not read as text', () => {
    const e = entry({ id: '1e5', tenant: '123', roles: ['submitter', 'viewer'], sha256: sha('another key') });
    const text = formatKeyEntry(e);
    expect(text.split('\n').every((line) => line.startsWith('  '))).toBe(true);
    expect(text).toContain('"1e5"');
    expect(parseApiKeysFile(parse(`version: 1\nkeys:\n${text}\n`), 'f')).toEqual([e]);
    const two = `version: 1\nkeys:\n${formatKeyEntry(entry())}\n${text}\n`;
    expect(parseApiKeysFile(parse(two), 'f').map((x) => x.id)).toEqual(['acme-ops', '1e5']);
  });
});
