import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_ROLES } from '@baton/contracts';
import { MAX_AGENT_REPLICAS, SHADOW_PORT_OFFSET, shadowLayout, stackLayout, type ServiceSpec } from './layout';

const byName = (specs: ServiceSpec[]): Record<string, ServiceSpec> => Object.fromEntries(specs.map((s) => [s.name, s]));

describe('stackLayout', () => {
  it('puts the gateway on the base port and every other process at a fixed offset from it', () => {
    // The offsets are what scripts and docs rely on (gateway 8080, simulator 8090 by default).
    for (const base of [8080, 20_000]) {
      const { simulator, services } = stackLayout(base, AGENT_ROLES);
      const ports = Object.fromEntries(services.map((s) => [s.name, s.port - base]));
      expect(ports).toEqual({
        gateway: 0,
        guardrails: 1,
        router: 2,
        planner: 3,
        'cost-accountant': 5,
        'agent-general': 7,
        'agent-sales': 8,
        'agent-recruiting': 9,
        'agent-specialists': 4,
      });
      expect(simulator.port).toBe(base + 10);
    }
  });

  it('runs one agent process per main role and one shared process for the other roles, told its roles through AGENT_ROLES', () => {
    const agents = stackLayout(8080, ['sales', 'recruiting', 'research', 'judge']).services.filter((s) => s.name.startsWith('agent-'));
    expect(agents).toEqual([
      { name: 'agent-sales', entry: 'apps/agent/src/main.js', port: 8088, env: { AGENT_ROLES: 'sales' } },
      { name: 'agent-recruiting', entry: 'apps/agent/src/main.js', port: 8089, env: { AGENT_ROLES: 'recruiting' } },
      { name: 'agent-specialists', entry: 'apps/agent/src/main.js', port: 8084, env: { AGENT_ROLES: 'research,judge' } },
    ]);
  });

  it('runs no agent when no role is asked for, and the other services regardless', () => {
    const { services } = stackLayout(8080, []);
    expect(services.map((s) => s.name)).toEqual(['gateway', 'guardrails', 'router', 'planner', 'cost-accountant']);
  });

  it('gives every process its own port and name', () => {
    const { simulator, services } = stackLayout(8080, AGENT_ROLES);
    const all = [simulator, ...services];
    expect(new Set(all.map((s) => s.port)).size).toBe(all.length);
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
  });

  it('runs extra agent replicas with the same roles under their own names and ports, 40 up and 10 apart', () => {
    const agents = stackLayout(8080, ['general', 'research'], { agentReplicas: 3 }).services.filter((s) => s.name.startsWith('agent-'));
    expect(agents.map((s) => [s.name, s.port - 8080, s.env['AGENT_ROLES']])).toEqual([
      ['agent-general', 7, 'general'],
      ['agent-specialists', 4, 'research'],
      ['agent-general-2', 47, 'general'],
      ['agent-general-3', 57, 'general'],
      ['agent-specialists-2', 44, 'research'],
      ['agent-specialists-3', 54, 'research'],
    ]);
    expect(stackLayout(8080, AGENT_ROLES, { agentReplicas: 1 })).toEqual(stackLayout(8080, AGENT_ROLES));
  });

  it('keeps every port distinct, shadow included, with the most replicas allowed, and refuses more', () => {
    const { simulator, services } = stackLayout(8080, AGENT_ROLES, { agentReplicas: MAX_AGENT_REPLICAS });
    const all = [simulator, ...services, ...shadowLayout(8080, AGENT_ROLES)];
    expect(new Set(all.map((s) => s.port)).size).toBe(all.length);
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
    expect(Math.max(...all.map((s) => s.port))).toBeLessThan(8080 + 100);
    for (const bad of [0, MAX_AGENT_REPLICAS + 1, 1.5]) {
      expect(() => stackLayout(8080, AGENT_ROLES, { agentReplicas: bad })).toThrow(/agentReplicas must be an integer from 1 to/);
    }
  });

  it('starts each service from its own compiled main.js under dist/, with no extra env except agents', () => {
    const { simulator, services } = stackLayout(8080, AGENT_ROLES);
    const specs = byName([simulator, ...services]);
    for (const name of ['simulator', 'gateway', 'guardrails', 'router', 'planner', 'cost-accountant']) {
      expect(specs[name]!.entry).toBe(`apps/${name}/src/main.js`);
      expect(specs[name]!.env).toEqual({});
    }
    for (const name of ['agent-general', 'agent-sales', 'agent-recruiting', 'agent-specialists']) {
      expect(specs[name]!.entry).toBe('apps/agent/src/main.js');
    }
  });
});

describe('shadowLayout', () => {
  it('runs every live service but the gateway again, 20 ports up, named shadow-*, in namespace shadow fed the submitted tasks', () => {
    const shadow = shadowLayout(8080, ['general', 'research']);
    const live = byName(stackLayout(8080, ['general', 'research']).services);
    expect(shadow.map((s) => s.name)).toEqual([
      'shadow-guardrails',
      'shadow-router',
      'shadow-planner',
      'shadow-cost-accountant',
      'shadow-agent-general',
      'shadow-agent-specialists',
    ]);
    for (const s of shadow) {
      const twin = live[s.name.replace(/^shadow-/, '')]!;
      expect(s.port).toBe(twin.port + SHADOW_PORT_OFFSET);
      expect(s.entry).toBe(twin.entry);
      expect(s.env).toMatchObject({ ...twin.env, BATON_NAMESPACE: 'shadow', BATON_LIVE_INPUTS: 'baton.task.submitted' });
    }
  });

  it('passes the candidate routing config and workflows only when given, and puts only agents in tool record mode', () => {
    const plain = byName(shadowLayout(8080, ['general']));
    expect(plain['shadow-router']!.env).not.toHaveProperty('BATON_ROUTING_CONFIG');
    expect(plain['shadow-router']!.env).not.toHaveProperty('BATON_WORKFLOWS_DIR');
    const candidate = byName(shadowLayout(8080, ['general'], { routingConfig: '/tmp/candidate.yaml', workflowsDir: '/tmp/flows' }));
    for (const s of Object.values(candidate)) {
      expect(s.env).toMatchObject({ BATON_ROUTING_CONFIG: '/tmp/candidate.yaml', BATON_WORKFLOWS_DIR: '/tmp/flows' });
      expect(s.env['BATON_TOOL_MODE']).toBe(s.name.startsWith('shadow-agent-') ? 'record' : undefined);
    }
  });

  it('never shares a port with the live stack or its simulator', () => {
    const { simulator, services } = stackLayout(8080, AGENT_ROLES);
    const ports = [simulator, ...services, ...shadowLayout(8080, AGENT_ROLES)].map((s) => s.port);
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe('ports in the docs and the services', () => {
  const root = join(__dirname, '../../..');
  const { simulator, services } = stackLayout(8080, AGENT_ROLES);
  const stackPort = (name: string): number | undefined => [simulator, ...services].find((s) => s.name === name)?.port;

  it("the README's port table gives each service the port the local stack runs it on", () => {
    const rows = readFileSync(join(root, 'README.md'), 'utf8')
      .split('\n')
      .map((line) => /^\| (gateway|guardrails|router|planner|cost-accountant|simulator|agent) \|.*\| (\d+)(?:,|\s*\|)/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(rows.map((m) => m[1]).sort()).toEqual(['agent', 'cost-accountant', 'gateway', 'guardrails', 'planner', 'router', 'simulator']);
    for (const [, name, port] of rows) expect([name, Number(port)]).toEqual([name, stackPort(name === 'agent' ? 'agent-specialists' : name)]);
  });

  it("each service's own default port is the one the local stack gives it", () => {
    for (const name of ['gateway', 'guardrails', 'router', 'planner', 'cost-accountant', 'agent']) {
      const main = readFileSync(join(root, 'apps', name, 'src/main.ts'), 'utf8');
      const port = Number(/defaultPort: (\d+)/.exec(main)?.[1]);
      expect([name, port]).toEqual([name, stackPort(name === 'agent' ? 'agent-specialists' : name)]);
    }
  });
});
