import type { AgentRole } from '@baton/contracts';

/** One process of the local stack. */
export interface ServiceSpec {
  /** Name in logs and `service.name`. */
  name: string;
  /** Compiled entry point, relative to dist/. */
  entry: string;
  /** HTTP port (health, and the API for the gateway and simulator). */
  port: number;
  /** Extra environment for this process. */
  env: Record<string, string>;
}

/** Port offsets from the base port: gateway is the base. */
const OFFSETS = { gateway: 0, guardrails: 1, router: 2, planner: 3, 'cost-accountant': 5, simulator: 10 } as const;
const AGENT_OFFSETS: Record<AgentRole, number> = { general: 7, sales: 8, recruiting: 9 };

/** The processes of a full local stack on ports from `basePort`. */
export function stackLayout(basePort: number, roles: readonly AgentRole[]): { simulator: ServiceSpec; services: ServiceSpec[] } {
  const svc = (name: keyof typeof OFFSETS, entry: string): ServiceSpec => ({ name, entry, port: basePort + OFFSETS[name], env: {} });
  return {
    simulator: svc('simulator', 'apps/simulator/src/main.js'),
    services: [
      svc('gateway', 'apps/gateway/src/main.js'),
      svc('guardrails', 'apps/guardrails/src/main.js'),
      svc('router', 'apps/router/src/main.js'),
      svc('planner', 'apps/planner/src/main.js'),
      svc('cost-accountant', 'apps/cost-accountant/src/main.js'),
      ...roles.map((role) => ({
        name: `agent-${role}`,
        entry: 'apps/agent/src/main.js',
        port: basePort + AGENT_OFFSETS[role],
        env: { AGENT_ROLE: role },
      })),
    ],
  };
}
