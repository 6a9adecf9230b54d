import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IService } from 'kubernetes-models/v1/Service';
import { AGENT_ROLES } from '@baton/contracts';
import { declaredHandlers, deployableApps } from './event-handlers';

/*
 * The Kustomize manifests under deploy/k8s, offline: rendered with `kubectl kustomize`
 * (or a standalone `kustomize`), every object validated against the Kubernetes OpenAPI
 * schemas (kubernetes-models), then Baton's deployment policy: probes, resources,
 * a locked-down security context, lag-based autoscaling for every consumer, default-deny
 * networking, Services that select real pods, and no secret values in Git.
 */

const root = path.join(__dirname, '..');
const k8sDir = path.join(root, 'deploy', 'k8s');
const overlay = path.join(k8sDir, 'overlays', 'local');

/** Apps that are not long-running services. */
const NOT_DEPLOYED = new Set(['cli']);
/** Images without /readyz and /metrics (the simulator answers /healthz only). */
const HEALTHZ_ONLY = new Set(['simulator']);
/** The only pods open to any source: the public API. */
const PUBLIC = new Set(['gateway']);
const CONSUMER_LAG_METRIC = 'kafka_consumergroup_lag';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, unknown>;

// ---------------------------------------------------------------- rendering

function onPath(bin: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, bin);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `kubectl kustomize` (kustomize v5 built in), else a standalone `kustomize build`. */
function kustomizeCommand(): { bin: string; args: (dir: string) => string[] } {
  const kubectl = onPath('kubectl');
  if (kubectl) return { bin: kubectl, args: (dir) => ['kustomize', dir] };
  const kustomize = onPath('kustomize');
  if (kustomize) return { bin: kustomize, args: (dir) => ['build', dir] };
  throw new Error(
    'Rendering the manifests needs kubectl (https://kubernetes.io/docs/tasks/tools/) or kustomize on PATH; ' +
      'with Go: go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0 (then put $(go env GOPATH)/bin on PATH)',
  );
}

function render(dir: string): Obj[] {
  const { bin, args } = kustomizeCommand();
  const out = execFileSync(bin, args(dir), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseYamlStream(out);
}

function parseYamlStream(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('\n'));
      return d.toJS() as Obj | null;
    })
    .filter((o): o is Obj => o !== null);
}

// ---------------------------------------------------------------- schema validation

/*
 * kubernetes-models 5 is ESM-only (an `import` condition and nothing else), which the
 * CommonJS Jest runtime cannot load; plain Node can. So the validation runs in a child
 * Node process, objects in on stdin, one result per object out on stdout.
 */
const VALIDATOR = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const objects = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = [];
for (const o of objects) {
  const apiVersion = String(o?.apiVersion ?? ''), kind = String(o?.kind ?? '');
  const where = kind + ' ' + (o?.metadata?.name ?? '?');
  if (!/^([a-z0-9.-]+\\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Za-z]+$/.test(kind)) { results.push(where + ': bad apiVersion/kind'); continue; }
  let Model;
  try { Model = (await import('kubernetes-models/' + apiVersion + '/' + kind))[kind]; } catch { Model = undefined; }
  if (typeof Model !== 'function') { results.push(where + ': no schema for ' + apiVersion + ' ' + kind); continue; }
  try { new Model(o).validate(); results.push(null); } catch (e) { results.push(where + ': ' + (e?.message ?? String(e))); }
}
process.stdout.write(JSON.stringify(results));
`;

function schemaErrors(objects: unknown[]): string[] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', VALIDATOR], { cwd: root, input: JSON.stringify(objects), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`schema validator failed (${run.status}): ${run.stderr}`);
  const results = JSON.parse(run.stdout) as Array<string | null>;
  expect(results).toHaveLength(objects.length);
  return results.filter((r): r is string => r !== null);
}

// ---------------------------------------------------------------- facts from the code

/** PORT of every Dockerfile target. */
function dockerfilePorts(): Map<string, number> {
  const ports = new Map<string, number>();
  let stage: string | undefined;
  for (const line of readFileSync(path.join(root, 'Dockerfile'), 'utf8').split('\n')) {
    const from = /^FROM\s+\S+\s+AS\s+([\w.-]+)/i.exec(line);
    if (from) stage = from[1];
    const port = /^ENV\s.*\bPORT=(\d+)/.exec(line);
    if (port && stage) ports.set(stage, Number(port[1]));
  }
  return ports;
}

/**
 * Consumer groups of every deployable app, as its source names them (event-handlers.ts):
 * the group of each `@EventPattern` handler, and agents' role groups as `agent-<role>`
 * (the agent's per-instance verdict group has no lag to scale on).
 */
function consumerGroups(): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const app of deployableApps(root, NOT_DEPLOYED)) {
    const found = new Set<string>();
    for (const h of declaredHandlers(root, app)) {
      if (!h.configured) found.add(h.group);
      else if (h.type === 'step.requested') for (const role of AGENT_ROLES) found.add(`agent-${role}`);
    }
    groups.set(app, found);
  }
  return groups;
}

/** Partitions the services create every topic with: the cap on useful consumers per group. */
function topicPartitions(): number {
  const text = readFileSync(path.join(root, 'libs', 'messaging', 'src', 'message-bus.ts'), 'utf8');
  const m = /const DEFAULT_PARTITIONS = (\d+);/.exec(text);
  if (!m) throw new Error('DEFAULT_PARTITIONS not found in libs/messaging/src/message-bus.ts: update this spec');
  return Number(m[1]);
}

interface Facts {
  ports: Map<string, number>;
  groups: Map<string, Set<string>>;
  partitions: number;
}

// ---------------------------------------------------------------- policy

const isKind = <T>(kind: string) => (o: Obj): o is Obj & T => o.kind === kind;
const deployments = (objs: Obj[]) => objs.filter(isKind<IDeployment>('Deployment'));

/** `baton/<target>` of an image reference, tag and registry aside. */
function imageTarget(image: string | undefined): string | undefined {
  return /(?:^|\/)baton\/([a-z-]+)(?::[\w.-]+)?$/.exec(image ?? '')?.[1];
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const sel = Object.entries(selector ?? {});
  return sel.length > 0 && sel.every(([k, v]) => labels?.[k] === v);
}

function envValue(c: IContainer, name: string): string | undefined {
  return c.env?.find((e) => e.name === name)?.value;
}

function containerViolations(d: IDeployment & Obj, c: IContainer, facts: Facts, configMaps: Set<string>): string[] {
  const p: string[] = [];
  const at = `Deployment ${d.metadata.name} container ${c.name}`;
  const pod = d.spec?.template.spec;
  const target = imageTarget(c.image);
  if (!target) return [`${at}: image ${c.image} is not baton/<target>`];

  if (!/:[\w.-]+$/.test(c.image ?? '') || /:latest$/.test(c.image ?? '')) p.push(`${at}: image ${c.image} needs a pinned tag`);
  const http = c.ports?.find((port) => port.name === 'http');
  if (!http) p.push(`${at}: no container port named http`);
  else if (http.containerPort !== facts.ports.get(target)) p.push(`${at}: port ${http.containerPort} is not the image's PORT ${facts.ports.get(target)}`);

  const probe = (kind: 'livenessProbe' | 'readinessProbe', want: string) => {
    const get = c[kind]?.httpGet;
    if (!get) return p.push(`${at}: no ${kind}`);
    if (get.path !== want) p.push(`${at}: ${kind} probes ${get.path}, not ${want}`);
    if (typeof get.port === 'string' ? !c.ports?.some((cp) => cp.name === get.port) : !c.ports?.some((cp) => cp.containerPort === get.port)) {
      p.push(`${at}: ${kind} port ${get.port} is not a container port`);
    }
  };
  probe('livenessProbe', '/healthz');
  probe('readinessProbe', HEALTHZ_ONLY.has(target) ? '/healthz' : '/readyz');

  for (const side of ['requests', 'limits'] as const) {
    for (const res of ['cpu', 'memory']) if (c.resources?.[side]?.[res] === undefined) p.push(`${at}: no ${res} ${side}`);
  }

  const sc = c.securityContext ?? {};
  const psc = pod?.securityContext ?? {};
  if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) p.push(`${at}: runAsNonRoot is not true`);
  const uid = sc.runAsUser ?? psc.runAsUser;
  if (!Number.isInteger(uid) || (uid as number) <= 0) p.push(`${at}: needs a numeric non-zero runAsUser`);
  if (sc.readOnlyRootFilesystem !== true) p.push(`${at}: readOnlyRootFilesystem is not true`);
  if (sc.allowPrivilegeEscalation !== false) p.push(`${at}: allowPrivilegeEscalation is not false`);
  if (!sc.capabilities?.drop?.includes('ALL')) p.push(`${at}: capabilities do not drop ALL`);
  if (sc.privileged) p.push(`${at}: privileged`);
  if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== 'RuntimeDefault') p.push(`${at}: seccompProfile is not RuntimeDefault`);
  const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
  if (!tmp || !pod?.volumes?.some((v) => v.name === tmp.name && v.emptyDir)) p.push(`${at}: /tmp is not an emptyDir`);

  for (const from of c.envFrom ?? []) {
    if (from.configMapRef && !configMaps.has(from.configMapRef.name ?? '')) p.push(`${at}: envFrom ConfigMap ${from.configMapRef.name} is not in the manifests`);
  }
  if (!(c.envFrom ?? []).some((f) => f.configMapRef)) p.push(`${at}: takes no shared ConfigMap`);
  for (const e of c.env ?? []) {
    if (/KEY|SECRET|TOKEN|PASSWORD/.test(e.name) && e.value !== undefined) p.push(`${at}: ${e.name} has a literal value; reference a Secret`);
  }
  if (target === 'agent' || target === 'router') {
    if (c.env?.find((e) => e.name === 'OPENAI_API_KEY')?.valueFrom?.secretKeyRef === undefined) p.push(`${at}: OPENAI_API_KEY must come from a Secret`);
  }

  const ann = d.spec?.template.metadata?.annotations ?? {};
  if (!HEALTHZ_ONLY.has(target) && (ann['prometheus.io/scrape'] !== 'true' || ann['prometheus.io/port'] !== String(http?.containerPort))) {
    p.push(`${at}: pod is not annotated for Prometheus on its http port`);
  }
  return p;
}

function deploymentViolations(objs: Obj[], facts: Facts): string[] {
  const p: string[] = [];
  const configMaps = new Set(objs.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
  const deps = deployments(objs);
  const hpas = objs.filter(isKind<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler'));

  for (const app of facts.groups.keys()) {
    if (!deps.some((d) => d.spec?.template.spec?.containers.some((c) => imageTarget(c.image) === app))) p.push(`app ${app}: no Deployment runs baton/${app}`);
  }

  const served = new Set<string>();
  for (const d of deps) {
    const pod = d.spec?.template.spec;
    if (!pod?.containers.length) {
      p.push(`Deployment ${d.metadata.name}: no containers`);
      continue;
    }
    if (pod.automountServiceAccountToken !== false) p.push(`Deployment ${d.metadata.name}: mounts a service account token`);
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) p.push(...containerViolations(d, c, facts, configMaps));

    const main = pod.containers[0];
    const target = imageTarget(main.image) ?? '';
    const roles = target === 'agent' ? (envValue(main, 'AGENT_ROLES') ?? '').split(',').map((r) => r.trim()).filter(Boolean) : [];
    if (target === 'agent' && roles.length === 0) p.push(`Deployment ${d.metadata.name}: AGENT_ROLES is empty`);
    roles.forEach((r) => served.add(r));
    const expected = target === 'agent' ? new Set(roles.map((r) => `agent-${r}`)) : facts.groups.get(target) ?? new Set<string>();
    if (expected.size === 0) continue;

    // A Kafka consumer: autoscaled on the lag of exactly its consumer groups.
    const mine = hpas.filter((h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name);
    if (mine.length !== 1) {
      p.push(`Deployment ${d.metadata.name}: consumes Kafka but has ${mine.length} HorizontalPodAutoscalers`);
      continue;
    }
    if (d.spec?.replicas !== undefined) p.push(`Deployment ${d.metadata.name}: sets replicas although an HPA owns the count`);
    const hpa = mine[0];
    const scaled = new Set<string>();
    for (const m of hpa.spec?.metrics ?? []) {
      if (m.type !== 'External' || m.external?.metric.name !== CONSUMER_LAG_METRIC) continue;
      const group = m.external.metric.selector?.matchLabels?.['consumergroup'];
      if (group) scaled.add(group);
    }
    const want = [...expected].sort().join(',');
    const got = [...scaled].sort().join(',');
    if (want !== got) p.push(`HPA ${hpa.metadata.name}: scales on the lag of [${got}], the Deployment consumes [${want}]`);
    const max = hpa.spec?.maxReplicas ?? 0;
    if (max > facts.partitions) p.push(`HPA ${hpa.metadata.name}: maxReplicas ${max} exceeds the ${facts.partitions} partitions per topic`);
    if ((hpa.spec?.minReplicas ?? 1) < 1) p.push(`HPA ${hpa.metadata.name}: minReplicas below 1`);
  }
  for (const role of AGENT_ROLES) if (!served.has(role)) p.push(`agent role ${role}: no Deployment consumes its steps`);
  for (const h of hpas) {
    const ref = h.spec?.scaleTargetRef;
    if (!deps.some((d) => ref?.kind === 'Deployment' && d.metadata.name === ref.name)) p.push(`HPA ${h.metadata.name}: targets ${ref?.kind} ${ref?.name}, which does not exist`);
  }
  return p;
}

function serviceViolations(objs: Obj[]): string[] {
  const p: string[] = [];
  const deps = deployments(objs);
  for (const s of objs.filter(isKind<IService>('Service'))) {
    const owners = deps.filter((d) => matches(s.spec?.selector, d.spec?.template.metadata?.labels));
    if (owners.length !== 1) {
      p.push(`Service ${s.metadata.name}: selects the pods of ${owners.length} Deployments`);
      continue;
    }
    const ports = owners[0].spec?.template.spec?.containers.flatMap((c) => c.ports ?? []) ?? [];
    for (const sp of s.spec?.ports ?? []) {
      const t = sp.targetPort ?? sp.port;
      if (!ports.some((cp) => (typeof t === 'string' ? cp.name === t : cp.containerPort === t))) p.push(`Service ${s.metadata.name}: targetPort ${t} is not a port of its pods`);
    }
  }
  for (const d of deps) {
    const sel = d.spec?.selector.matchLabels;
    if (!matches(sel, d.spec?.template.metadata?.labels)) p.push(`Deployment ${d.metadata.name}: selector does not match its own pods`);
    for (const other of deps) {
      if (other !== d && matches(sel, other.spec?.template.metadata?.labels)) p.push(`Deployment ${d.metadata.name}: selector also matches the pods of ${other.metadata.name}`);
    }
  }
  return p;
}

function networkViolations(objs: Obj[]): string[] {
  const p: string[] = [];
  const policies = objs.filter(isKind<INetworkPolicy>('NetworkPolicy'));
  const emptySelector = (np: INetworkPolicy) =>
    Object.keys(np.spec?.podSelector?.matchLabels ?? {}).length === 0 && (np.spec?.podSelector?.matchExpressions ?? []).length === 0;
  const denyAll = policies.some(
    (np) => emptySelector(np) && (['Ingress', 'Egress'] as const).every((t) => np.spec?.policyTypes?.includes(t)) && !np.spec?.ingress?.length && !np.spec?.egress?.length,
  );
  if (!denyAll) p.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');
  const dns = policies.some((np) => emptySelector(np) && np.spec?.egress?.some((r) => r.ports?.some((pt) => pt.port === 53 && pt.protocol === 'UDP')));
  if (!dns) p.push('no NetworkPolicy lets every pod resolve names (egress UDP 53)');

  const pods = deployments(objs).map((d) => ({ name: d.metadata.name, labels: d.spec?.template.metadata?.labels ?? {}, target: imageTarget(d.spec?.template.spec?.containers[0]?.image) }));
  const selected = (np: INetworkPolicy) => pods.filter((pod) => Object.entries(np.spec?.podSelector?.matchLabels ?? {}).every(([k, v]) => pod.labels[k] === v));
  for (const np of policies) {
    for (const rule of np.spec?.ingress ?? []) {
      if (!rule.from?.length) {
        const open = selected(np).filter((pod) => !PUBLIC.has(pod.target ?? ''));
        if (open.length) p.push(`NetworkPolicy ${np.metadata?.name}: opens ${open.map((o) => o.name).join(', ')} to any source`);
      }
      if (!rule.ports?.length) p.push(`NetworkPolicy ${np.metadata?.name}: an ingress rule allows every port`);
    }
    for (const rule of np.spec?.egress ?? []) if (!rule.ports?.length) p.push(`NetworkPolicy ${np.metadata?.name}: an egress rule allows every port`);
  }
  for (const pod of pods) {
    const scraped = policies.some(
      (np) =>
        selected(np).includes(pod) &&
        np.spec?.ingress?.some((r) => r.from?.some((f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring' && !f.podSelector)),
    );
    if (!scraped && !HEALTHZ_ONLY.has(pod.target ?? '')) p.push(`Deployment ${pod.name}: the monitoring namespace cannot scrape it`);
  }
  return p;
}

function secretViolations(objs: Obj[]): string[] {
  return objs
    .filter((o) => o.kind === 'Secret' && (Object.keys((o['data'] as object | undefined) ?? {}).length || Object.keys((o['stringData'] as object | undefined) ?? {}).length))
    .map((o) => `Secret ${o.metadata.name}: carries data; secret values stay out of Git`);
}

/** Settings every service reads from the shared ConfigMap. */
const SHARED_SETTINGS = ['KAFKA_BROKERS', 'REDIS_URL', 'OPENAI_BASE_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_METRICS_EXPORTER'];

function configViolations(objs: Obj[]): string[] {
  const p: string[] = [];
  const referenced = new Set(
    deployments(objs).flatMap((d) => d.spec?.template.spec?.containers.flatMap((c) => (c.envFrom ?? []).map((f) => f.configMapRef?.name ?? '')) ?? []),
  );
  for (const cm of objs.filter((o) => o.kind === 'ConfigMap' && referenced.has(o.metadata.name))) {
    const data = (cm['data'] ?? {}) as Record<string, string>;
    for (const key of SHARED_SETTINGS) if (!data[key]) p.push(`ConfigMap ${cm.metadata.name}: no ${key}`);
    if (data['OTEL_EXPORTER_OTLP_PROTOCOL'] && data['OTEL_EXPORTER_OTLP_PROTOCOL'] !== 'http/protobuf') p.push(`ConfigMap ${cm.metadata.name}: OTLP protocol must be http/protobuf`);
    // Metrics are scraped from /metrics; Phoenix answers 405 to OTLP metrics.
    if (/otlp/.test(data['OTEL_METRICS_EXPORTER'] ?? '')) p.push(`ConfigMap ${cm.metadata.name}: OTEL_METRICS_EXPORTER pushes OTLP metrics; Prometheus scrapes them`);
    for (const key of Object.keys(data)) if (/KEY|SECRET|TOKEN|PASSWORD/.test(key)) p.push(`ConfigMap ${cm.metadata.name}: ${key} belongs in a Secret`);
  }
  return p;
}

/** Files under `dir` that define a Secret or a secretGenerator, rendered or not. */
function committedSecrets(dir: string): string[] {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
  if (files.length === 0) throw new Error(`no YAML under ${dir}`);
  return files.flatMap((file) =>
    parseYamlStream(readFileSync(file, 'utf8'))
      .filter((doc) => doc.kind === 'Secret' || doc['secretGenerator'] !== undefined)
      .map((doc) => `${path.relative(dir, file)}: ${doc.kind === 'Secret' ? `Secret ${doc.metadata.name}` : 'secretGenerator'}`),
  );
}

function policyViolations(objs: Obj[], facts: Facts): string[] {
  return [...deploymentViolations(objs, facts), ...configViolations(objs), ...serviceViolations(objs), ...networkViolations(objs), ...secretViolations(objs)];
}

// ---------------------------------------------------------------- specs

/** Deep copy, so a mutation hits one object only. */
const copy = (objs: Obj[]): Obj[] => JSON.parse(JSON.stringify(objs)) as Obj[];
const find = <T>(objs: Obj[], kind: string, name: string): Obj & T => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind} ${name} not rendered`);
  return o as Obj & T;
};
const container = (objs: Obj[], name: string): IContainer => find<IDeployment>(objs, 'Deployment', name).spec!.template.spec!.containers[0];

describe('Kubernetes manifests (deploy/k8s)', () => {
  const facts: Facts = { ports: dockerfilePorts(), groups: consumerGroups(), partitions: topicPartitions() };
  const objects = render(overlay);

  it('reads the facts it checks against from the code', () => {
    expect(Object.fromEntries(facts.ports)).toMatchObject({ gateway: 8080, guardrails: 8081, agent: 8084, simulator: 8090 });
    expect([...(facts.groups.get('guardrails') ?? [])].sort()).toEqual(['audit-trail', 'guardrails', 'guardrails-tools']);
    expect(facts.groups.get('agent')).toEqual(new Set(AGENT_ROLES.map((r) => `agent-${r}`)));
    expect(facts.groups.get('gateway')?.size).toBe(0);
    expect(facts.partitions).toBeGreaterThan(0);
  });

  it('every base renders on its own, and the local overlay includes each deployable one', () => {
    const bases = readdirSync(path.join(k8sDir, 'base'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const base of bases) expect(render(path.join(k8sDir, 'base', base)).length).toBeGreaterThan(0);
    const included = (parseYamlStream(readFileSync(path.join(overlay, 'kustomization.yaml'), 'utf8'))[0]['resources'] as string[]).map((r) => path.basename(r));
    // `agent` is the template the agent-<variant> bases build on.
    expect(bases.filter((b) => b !== 'agent' && !included.includes(b))).toEqual([]);
  });

  it('renders the local overlay into one namespace, under the restricted Pod Security profile', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Namespace', 'NetworkPolicy', 'Service', 'ServiceAccount']);
    const ns = find(objects, 'Namespace', 'baton');
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== 'baton').map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([]);
  });

  it('every object is valid against the Kubernetes schemas', () => {
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('meets the deployment policy', () => {
    expect(policyViolations(objects, facts)).toEqual([]);
  });

  it('commits no Secret and no secret generator anywhere under deploy/k8s', () => {
    expect(committedSecrets(k8sDir)).toEqual([]);
  });

  describe('catches broken manifests', () => {
    it('schema: wrong types, a missing required field, an unknown kind', () => {
      const broken = copy(objects);
      const router = find<IDeployment>(broken, 'Deployment', 'router');
      const routerSpec = router.spec as unknown as Record<string, unknown>;
      routerSpec['replicas'] = 'two';
      delete routerSpec['selector'];
      const hpa = find<IHorizontalPodAutoscaler>(broken, 'HorizontalPodAutoscaler', 'planner');
      (hpa.spec as unknown as Record<string, unknown>)['maxReplicas'] = '6';
      const errors = schemaErrors([...broken, { apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'typo' } }]).join('\n');
      expect(errors).toMatch(/Deployment router: .*spec must have required property selector/);
      expect(errors).toMatch(/Deployment router: .*spec\/replicas must be integer/);
      expect(errors).toMatch(/HorizontalPodAutoscaler planner: .*spec\/maxReplicas must be integer/);
      expect(errors).toMatch(/Deploymnt typo: no schema for apps\/v1 Deploymnt/);
    });

    it('policy: probes, resources, security context, autoscaling, Services, networking, secrets', () => {
      const broken = copy(objects);
      delete container(broken, 'router').readinessProbe;
      container(broken, 'planner').securityContext!.readOnlyRootFilesystem = false;
      delete container(broken, 'gateway').securityContext!.runAsUser;
      delete find<IDeployment>(broken, 'Deployment', 'gateway').spec!.template.spec!.securityContext!.runAsUser;
      delete container(broken, 'guardrails').resources!.limits;
      container(broken, 'agent-sales').env!.push({ name: 'OPENAI_API_KEY', value: 'not-a-real-key' });
      broken.splice(broken.indexOf(find(broken, 'HorizontalPodAutoscaler', 'cost-accountant')), 1);
      const general = find<IHorizontalPodAutoscaler>(broken, 'HorizontalPodAutoscaler', 'agent-general');
      general.spec!.metrics![0].external!.metric.selector = { matchLabels: { consumergroup: 'agent-generl' } };
      general.spec!.maxReplicas = facts.partitions + 1;
      find<IService>(broken, 'Service', 'planner').spec!.selector = { 'app.kubernetes.io/name': 'planer' };
      broken.splice(broken.indexOf(find(broken, 'NetworkPolicy', 'default-deny-all')), 1);
      find<INetworkPolicy>(broken, 'NetworkPolicy', 'gateway-public-ingress').spec!.podSelector = { matchLabels: { 'app.kubernetes.io/part-of': 'baton' } };
      broken.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'baton-secrets' }, stringData: { GATEWAY_API_KEYS: 'placeholder' } });
      const config = broken.find((o) => o.kind === 'ConfigMap')!;
      const data = config['data'] as Record<string, string>;
      delete data['REDIS_URL'];
      data['OTEL_METRICS_EXPORTER'] = 'otlp';
      data['OPENAI_API_KEY'] = 'not-a-real-key';
      const recruiting = find<IDeployment>(broken, 'Deployment', 'agent-recruiting');
      recruiting.spec!.template.spec!.containers[0].env = [{ name: 'AGENT_ROLES', value: 'sales' }];

      const problems = policyViolations(broken, facts);
      expect(problems).toEqual(
        expect.arrayContaining([
          'Deployment router container router: no readinessProbe',
          'Deployment planner container planner: readOnlyRootFilesystem is not true',
          'Deployment gateway container gateway: needs a numeric non-zero runAsUser',
          'Deployment guardrails container guardrails: no cpu limits',
          'Deployment guardrails container guardrails: no memory limits',
          'Deployment agent-sales container agent: OPENAI_API_KEY has a literal value; reference a Secret',
          'Deployment cost-accountant: consumes Kafka but has 0 HorizontalPodAutoscalers',
          'HPA agent-general: scales on the lag of [agent-generl], the Deployment consumes [agent-general]',
          `HPA agent-general: maxReplicas ${facts.partitions + 1} exceeds the ${facts.partitions} partitions per topic`,
          'HPA agent-recruiting: scales on the lag of [agent-recruiting], the Deployment consumes [agent-sales]',
          'agent role recruiting: no Deployment consumes its steps',
          'Service planner: selects the pods of 0 Deployments',
          'no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)',
          expect.stringMatching(/^NetworkPolicy gateway-public-ingress: opens .*router.* to any source$/),
          'Secret baton-secrets: carries data; secret values stay out of Git',
          `ConfigMap ${config.metadata.name}: no REDIS_URL`,
          `ConfigMap ${config.metadata.name}: OTEL_METRICS_EXPORTER pushes OTLP metrics; Prometheus scrapes them`,
          `ConfigMap ${config.metadata.name}: OPENAI_API_KEY belongs in a Secret`,
        ]),
      );
    });

    it('policy: a Deployment missing for an app, a ConfigMap that is not rendered, a second Deployment on the same pods', () => {
      const broken = copy(objects).filter((o) => !(o.kind === 'Deployment' && o.metadata.name === 'simulator') && o.kind !== 'ConfigMap');
      const twin = copy([find(broken, 'Deployment', 'planner')])[0];
      twin.metadata.name = 'planner-twin';
      broken.push(twin);
      const problems = policyViolations(broken, facts);
      expect(problems).toEqual(
        expect.arrayContaining([
          'app simulator: no Deployment runs baton/simulator',
          expect.stringMatching(/^Deployment gateway container gateway: envFrom ConfigMap baton-config-\w+ is not in the manifests$/),
          'Deployment planner: selector also matches the pods of planner-twin',
          'Service planner: selects the pods of 2 Deployments',
        ]),
      );
    });

    it('secrets: a committed Secret or secretGenerator is found even where no overlay renders it', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-k8s-'));
      try {
        writeFileSync(path.join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: baton-secrets\nstringData:\n  GATEWAY_API_KEYS: placeholder\n');
        writeFileSync(path.join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n  - name: baton-secrets\n    envs: [.env]\n');
        expect(committedSecrets(dir).sort()).toEqual(['kustomization.yaml: secretGenerator', 'secret.yaml: Secret baton-secrets']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('render: a kustomization naming a missing resource fails instead of rendering less', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-kustomize-'));
      try {
        writeFileSync(path.join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n');
        expect(() => render(dir)).toThrow(/missing\.yaml/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
