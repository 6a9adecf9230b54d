import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError, findUpward, readYamlFile } from '@baton/config';
import { DEV_API_KEYS, chooseKeySource, loadApiKeys, parseKeySpec } from './api-keys';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The error `run` threw, checked to be a ConfigError; fails the test when it did not throw. */
function configError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('did not throw');
}

describe('parseKeySpec (GATEWAY_API_KEYS)', () => {
  it('gives a tenant:key every role, and names it by tenant and digest prefix', () => {
    expect(parseKeySpec(' acme:acme-secret-1 ,, globex:globex-secret-2 ,')).toEqual([
      { id: `acme-${sha('acme-secret-1').slice(0, 8)}`, tenant: 'acme', roles: ['submitter', 'reviewer', 'viewer', 'admin'], sha256: sha('acme-secret-1') },
      { id: `globex-${sha('globex-secret-2').slice(0, 8)}`, tenant: 'globex', roles: ['submitter', 'reviewer', 'viewer', 'admin'], sha256: sha('globex-secret-2') },
    ]);
  });

  it('gives tenant/role+role:key those roles only', () => {
    expect(parseKeySpec('acme/reviewer+viewer:acme-review-key').map((e) => [e.tenant, e.roles])).toEqual([['acme', ['reviewer', 'viewer']]]);
    expect(parseKeySpec('acme/submitter:acme-submit-key')[0].roles).toEqual(['submitter']);
  });

  it('keeps colons after the first one as part of the key', () => {
    expect(parseKeySpec('acme:abc:defgh')[0].sha256).toBe(sha('abc:defgh'));
  });

  it('refuses an empty spec', () => {
    expect(configError(() => parseKeySpec(' , '))).toBe('GATEWAY_API_KEYS: no keys configured');
  });

  it('refuses a key shorter than 8 characters, naming the tenant but not the key', () => {
    const message = configError(() => parseKeySpec('acme:acme-secret-1,globex:short'));
    expect(message).toBe('GATEWAY_API_KEYS: entry "globex:…" must be tenant:key or tenant/role+role:key with a key of 8+ characters');
    expect(message).not.toContain('short');
  });

  it('refuses an entry without a tenant or a colon, or with a tenant that is not a TenantId', () => {
    expect(configError(() => parseKeySpec(':some-long-key'))).toMatch(/must be tenant:key/);
    expect(configError(() => parseKeySpec('some-long-key'))).toMatch(/must be tenant:key/);
    expect(configError(() => parseKeySpec('Acme:acme-secret-1'))).toMatch(/entry "Acme:…"/);
  });

  it('refuses an unknown or empty role, naming it and the roles there are', () => {
    expect(configError(() => parseKeySpec('acme/approver:acme-secret-1'))).toBe(
      'GATEWAY_API_KEYS: entry "acme/approver:…" names an unknown role "approver" (roles: submitter, reviewer, viewer, admin)',
    );
    expect(configError(() => parseKeySpec('acme/:acme-secret-1'))).toMatch(/unknown role ""/);
  });

  it('refuses the same key twice', () => {
    expect(configError(() => parseKeySpec('acme:same-secret,acme/viewer:same-secret'))).toMatch(/^GATEWAY_API_KEYS: keys\[1\] \(id "acme-[0-9a-f]{8}"\): the same key as "acme-[0-9a-f]{8}"/);
  });

  it('parses the development keys: the demo keys have every role, and acme has one key per role', () => {
    const dev = parseKeySpec(DEV_API_KEYS);
    const bySha = new Map(dev.map((e) => [e.sha256, e]));
    expect(bySha.get(sha('dev-key-acme'))).toMatchObject({ tenant: 'acme', roles: ['submitter', 'reviewer', 'viewer', 'admin'] });
    expect(bySha.get(sha('dev-key-globex'))).toMatchObject({ tenant: 'globex', roles: ['submitter', 'reviewer', 'viewer', 'admin'] });
    for (const role of ['submitter', 'reviewer', 'viewer']) expect(bySha.get(sha(`dev-key-acme-${role}`))).toMatchObject({ tenant: 'acme', roles: [role] });
  });
});

describe('chooseKeySource', () => {
  const dev = { NODE_ENV: 'development' };
  const prod = { NODE_ENV: 'production' };

  it('outside production: the keys file named, else GATEWAY_API_KEYS, else the default file, else the development keys', () => {
    expect(chooseKeySource({ ...dev, GATEWAY_API_KEYS_FILE: 'keys.yaml' }, '/repo/config/api-keys.yaml')).toEqual({ kind: 'file', path: resolve('keys.yaml') });
    expect(chooseKeySource({ ...dev, GATEWAY_API_KEYS: 'acme:local-key-1' }, '/repo/config/api-keys.yaml')).toEqual({ kind: 'env', spec: 'acme:local-key-1', dev: false });
    expect(chooseKeySource(dev, '/repo/config/api-keys.yaml')).toEqual({ kind: 'file', path: '/repo/config/api-keys.yaml' });
    expect(chooseKeySource(dev, undefined)).toEqual({ kind: 'env', spec: DEV_API_KEYS, dev: true });
    expect(chooseKeySource({}, undefined)).toEqual({ kind: 'env', spec: DEV_API_KEYS, dev: true });
  });

  it('in production: a keys file, named or found, is used', () => {
    expect(chooseKeySource({ ...prod, GATEWAY_API_KEYS_FILE: '/etc/baton/api-keys.yaml' }, undefined)).toEqual({ kind: 'file', path: '/etc/baton/api-keys.yaml' });
    expect(chooseKeySource(prod, '/app/config/api-keys.yaml')).toEqual({ kind: 'file', path: '/app/config/api-keys.yaml' });
  });

  it('in production: refuses GATEWAY_API_KEYS, even beside a keys file, saying to configure a keys file', () => {
    expect(configError(() => chooseKeySource({ ...prod, GATEWAY_API_KEYS: 'acme:dev-key-acme' }, '/app/config/api-keys.yaml'))).toMatch(
      /^GATEWAY_API_KEYS holds plaintext keys for local use and is refused with NODE_ENV=production: unset it and configure a keys file \(GATEWAY_API_KEYS_FILE, or config\/api-keys\.yaml/,
    );
  });

  it('in production: refuses to fall back to the development keys when there is no keys file', () => {
    expect(configError(() => chooseKeySource(prod, undefined))).toMatch(
      /^no API keys configured, and the development keys are refused with NODE_ENV=production: configure a keys file \(GATEWAY_API_KEYS_FILE/,
    );
  });

  it('refuses both a keys file and GATEWAY_API_KEYS', () => {
    expect(configError(() => chooseKeySource({ ...dev, GATEWAY_API_KEYS_FILE: 'k.yaml', GATEWAY_API_KEYS: 'acme:local-key-1' }, undefined))).toBe(
      'GATEWAY_API_KEYS_FILE and GATEWAY_API_KEYS are both set: keep one',
    );
  });
});

describe('loadApiKeys', () => {
  const file = { version: 1, keys: [{ id: 'acme-ops', tenant: 'acme', roles: ['reviewer'], sha256: sha('acme-ops-secret') }] };
  const io = (found: string | undefined, content: unknown = file) => ({
    findDefaultFile: () => found,
    readYaml: (p: string) => (p === found || p === resolve('keys.yaml') ? content : (() => { throw new Error(`cannot read ${p}`); })()),
  });

  it('in production with a keys file, identifies its keys, and nothing else', () => {
    const loaded = loadApiKeys({ NODE_ENV: 'production', GATEWAY_API_KEYS_FILE: 'keys.yaml' }, io(undefined));
    expect(loaded.table.identify('acme-ops-secret')).toEqual({ keyId: 'acme-ops', tenant: 'acme', roles: ['reviewer'] });
    expect(loaded.table.identify('dev-key-acme')).toBeNull();
    expect(loaded.summary).toBe(`1 API keys from ${resolve('keys.yaml')}`);
    expect(loaded.warning).toBeUndefined();
  });

  it('names the bad entry of the keys file as a configuration error', () => {
    const bad = { version: 1, keys: [file.keys[0], { id: 'acme-x', tenant: 'acme', roles: ['root'], sha256: sha('x') }] };
    expect(configError(() => loadApiKeys({ NODE_ENV: 'production' }, io('/app/config/api-keys.yaml', bad)))).toMatch(
      /^API keys file \/app\/config\/api-keys\.yaml: keys\[1\] \(id "acme-x"\): roles\.0: /,
    );
  });

  it('uses the development keys, with a warning, when nothing is configured outside production', () => {
    const loaded = loadApiKeys({}, io(undefined));
    expect(loaded.table.identify('dev-key-acme')).toMatchObject({ tenant: 'acme', roles: ['submitter', 'reviewer', 'viewer', 'admin'] });
    expect(loaded.table.identify('dev-key-acme-reviewer')).toMatchObject({ tenant: 'acme', roles: ['reviewer'] });
    expect(loaded.warning).toMatch(/development API keys are in use/);
  });

  it('uses GATEWAY_API_KEYS without a warning', () => {
    const loaded = loadApiKeys({ GATEWAY_API_KEYS: 'acme/viewer:local-view-key' }, io(undefined));
    expect(loaded.table.identify('local-view-key')).toMatchObject({ tenant: 'acme', roles: ['viewer'] });
    expect(loaded.table.identify('dev-key-acme')).toBeNull();
    expect(loaded.warning).toBeUndefined();
  });
});

describe('config/api-keys.example.yaml', () => {
  it('is a valid keys file the gateway loads in production, and none of the development keys opens it', () => {
    const example = findUpward('config/api-keys.example.yaml');
    expect(example).toBeDefined();
    const loaded = loadApiKeys({ NODE_ENV: 'production', GATEWAY_API_KEYS_FILE: example }, { findDefaultFile: () => undefined, readYaml: (p) => readYamlFile(p, 'API keys file') });
    expect(loaded.table.size).toBe(3);
    for (const dev of ['dev-key-acme', 'dev-key-globex', 'dev-key-acme-submitter', 'dev-key-acme-reviewer', 'dev-key-acme-viewer']) expect(loaded.table.identify(dev)).toBeNull();
  });
});
