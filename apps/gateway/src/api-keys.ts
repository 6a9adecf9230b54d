import { resolve } from 'node:path';
import { ALL_ROLES, ApiKeyTable, Role, checkUnique, hashApiKey, parseApiKeysFile, type ApiKeyEntry } from '@baton/api-keys';
import { ConfigError, findUpward, readYamlFile } from '@baton/config';
import { TenantId } from '@baton/contracts';
import type { GatewayConfig } from './config';

/** Where the keys file is looked for when GATEWAY_API_KEYS_FILE is unset. */
export const DEFAULT_KEYS_FILE = 'config/api-keys.yaml';

/**
 * The keys used when nothing is configured, for local runs only: each tenant's demo key
 * has every role, and acme has one key per role to try the others with.
 */
export const DEV_API_KEYS = [
  'acme:dev-key-acme',
  'globex:dev-key-globex',
  'acme/submitter:dev-key-acme-submitter',
  'acme/reviewer:dev-key-acme-reviewer',
  'acme/viewer:dev-key-acme-viewer',
].join(',');

const HOW_TO_CONFIGURE = `configure a keys file (GATEWAY_API_KEYS_FILE, or ${DEFAULT_KEYS_FILE}; \`baton keys new\` mints a key and prints its entry)`;

/**
 * Parses GATEWAY_API_KEYS: comma-separated `tenant:key` (every role) or
 * `tenant/role+role:key`. Each key's id is its tenant and the first 8 hex digits of its
 * digest, so two keys of a tenant are told apart in decisions without showing either.
 * Throws naming the bad entry by tenant and roles, never by key.
 */
export function parseKeySpec(spec: string): ApiKeyEntry[] {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair): ApiKeyEntry => {
      const at = pair.indexOf(':');
      const who = pair.slice(0, Math.max(at, 0));
      const key = pair.slice(at + 1);
      const slash = who.indexOf('/');
      const tenant = slash < 0 ? who : who.slice(0, slash);
      const bad = (why: string) => new ConfigError(`GATEWAY_API_KEYS: entry "${who}:…" ${why}`);
      if (at <= 0 || key.length < 8 || !TenantId.safeParse(tenant).success) throw bad('must be tenant:key or tenant/role+role:key with a key of 8+ characters');
      const roles = slash < 0 ? [...ALL_ROLES] : who.slice(slash + 1).split('+');
      for (const role of roles) {
        if (!Role.safeParse(role).success) throw bad(`names an unknown role "${role}" (roles: ${ALL_ROLES.join(', ')})`);
      }
      const sha256 = hashApiKey(key);
      return { id: `${tenant}-${sha256.slice(0, 8)}`, tenant, roles: [...new Set(roles)] as Role[], sha256 };
    });
  if (!entries.length) throw new ConfigError('GATEWAY_API_KEYS: no keys configured');
  try {
    checkUnique(entries, 'GATEWAY_API_KEYS');
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return entries;
}

/** Where the keys come from. */
export type KeySource =
  | { kind: 'file'; path: string }
  /** Plaintext keys; `dev` when they are the built-in development keys. */
  | { kind: 'env'; spec: string; dev: boolean };

/**
 * Picks the keys' source: GATEWAY_API_KEYS_FILE, else GATEWAY_API_KEYS, else the default
 * keys file when present, else the development keys. With NODE_ENV=production only a keys
 * file will do: plaintext keys (the development ones above all) are refused, naming what
 * to configure instead.
 */
export function chooseKeySource(c: Pick<GatewayConfig, 'NODE_ENV' | 'GATEWAY_API_KEYS_FILE' | 'GATEWAY_API_KEYS'>, defaultFile: string | undefined): KeySource {
  const production = c.NODE_ENV === 'production';
  if (c.GATEWAY_API_KEYS_FILE && c.GATEWAY_API_KEYS) throw new ConfigError('GATEWAY_API_KEYS_FILE and GATEWAY_API_KEYS are both set: keep one');
  if (production && c.GATEWAY_API_KEYS) {
    throw new ConfigError(`GATEWAY_API_KEYS holds plaintext keys for local use and is refused with NODE_ENV=production: unset it and ${HOW_TO_CONFIGURE}`);
  }
  if (c.GATEWAY_API_KEYS_FILE) return { kind: 'file', path: resolve(c.GATEWAY_API_KEYS_FILE) };
  if (c.GATEWAY_API_KEYS) return { kind: 'env', spec: c.GATEWAY_API_KEYS, dev: false };
  if (defaultFile) return { kind: 'file', path: defaultFile };
  if (production) throw new ConfigError(`no API keys configured, and the development keys are refused with NODE_ENV=production: ${HOW_TO_CONFIGURE}`);
  return { kind: 'env', spec: DEV_API_KEYS, dev: true };
}

/** The gateway's keys, and a line saying where they came from (logged at start-up). */
export interface LoadedKeys {
  table: ApiKeyTable;
  summary: string;
  /** Set when the development keys are in use. */
  warning?: string;
}

/** Loads the keys from their source (chooseKeySource); throws naming the bad entry. */
export function loadApiKeys(
  c: Pick<GatewayConfig, 'NODE_ENV' | 'GATEWAY_API_KEYS_FILE' | 'GATEWAY_API_KEYS'>,
  io: { findDefaultFile: () => string | undefined; readYaml: (path: string) => unknown } = {
    findDefaultFile: () => findUpward(DEFAULT_KEYS_FILE),
    readYaml: (path) => readYamlFile(path, 'API keys file'),
  },
): LoadedKeys {
  const source = chooseKeySource(c, io.findDefaultFile());
  if (source.kind === 'file') {
    let entries: ApiKeyEntry[];
    try {
      entries = parseApiKeysFile(io.readYaml(source.path), `API keys file ${source.path}`);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
    return { table: ApiKeyTable.of(entries), summary: `${entries.length} API keys from ${source.path}` };
  }
  const entries = parseKeySpec(source.spec);
  if (!source.dev) return { table: ApiKeyTable.of(entries), summary: `${entries.length} API keys from GATEWAY_API_KEYS` };
  return {
    table: ApiKeyTable.of(entries),
    summary: `${entries.length} development API keys (dev-key-acme, ...)`,
    warning: `the development API keys are in use; for any shared deployment ${HOW_TO_CONFIGURE}`,
  };
}
