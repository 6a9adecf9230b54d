import { AGENT_ROLES } from '@baton/contracts';
import { stackLayout, type ServiceSpec } from './layout';

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
