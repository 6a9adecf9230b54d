import { Topics, type AgentRole } from '@baton/contracts';

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
/** Roles with a process of their own; every other requested role shares the `agent-specialists` process. */
const OWN_PROCESS: Partial<Record<AgentRole, number>> = { general: 7, sales: 8, recruiting: 9 };
const SPECIALISTS_OFFSET = 4;

/** Agent replicas beyond the first run on ports from this far above the base port... */
const REPLICA_PORT_OFFSET = 40;
/** ...one block of this many ports per replica number, each agent at its usual offset within it. */
const REPLICA_PORT_STRIDE = 10;
/** Most processes per agent deployment (ports stay below base + 80). */
export const MAX_AGENT_REPLICAS = 5;

/** Options of stackLayout. */
export interface LayoutOptions {
  /**
   * Processes per agent deployment (default 1): the same roles in the same consumer groups,
   * sharing the step partitions. Replica n (from 2) is named `<agent>-<n>` and listens on
   * base + 40 + (n - 2) * 10 + the agent's usual offset.
   */
  agentReplicas?: number;
}

/** The processes of a full local stack on ports from `basePort`. */
export function stackLayout(basePort: number, roles: readonly AgentRole[], opts: LayoutOptions = {}): { simulator: ServiceSpec; services: ServiceSpec[] } {
  const replicas = opts.agentReplicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_AGENT_REPLICAS) {
    throw new RangeError(`agentReplicas must be an integer from 1 to ${MAX_AGENT_REPLICAS}, got ${replicas}`);
  }
  const svc = (name: keyof typeof OFFSETS, entry: string): ServiceSpec => ({ name, entry, port: basePort + OFFSETS[name], env: {} });
  // A local machine has few cores: the less busy roles share one agent process.
  const shared = roles.filter((role) => OWN_PROCESS[role] === undefined);
  const agent = (name: string, port: number, served: readonly AgentRole[]): ServiceSpec => ({
    name,
    entry: AGENT_ENTRY,
    port,
    env: { AGENT_ROLES: served.join(',') },
  });
  const agents = [
    ...roles
      .filter((role) => OWN_PROCESS[role] !== undefined)
      .map((role) => agent(`agent-${role}`, basePort + (OWN_PROCESS[role] ?? 0), [role])),
    ...(shared.length ? [agent('agent-specialists', basePort + SPECIALISTS_OFFSET, shared)] : []),
  ];
  const extra = agents.flatMap((a) =>
    Array.from({ length: replicas - 1 }, (_, i): ServiceSpec => ({
      ...a,
      name: `${a.name}-${i + 2}`,
      port: a.port + REPLICA_PORT_OFFSET + i * REPLICA_PORT_STRIDE,
      env: { ...a.env },
    })),
  );
  return {
    simulator: svc('simulator', 'apps/simulator/src/main.js'),
    services: [
      svc('gateway', 'apps/gateway/src/main.js'),
      svc('guardrails', 'apps/guardrails/src/main.js'),
      svc('router', 'apps/router/src/main.js'),
      svc('planner', 'apps/planner/src/main.js'),
      svc('cost-accountant', 'apps/cost-accountant/src/main.js'),
      ...agents,
      ...extra,
    ],
  };
}

/** Namespace the shadow pipeline runs in; the gateway reads it under the same name by default. */
export const SHADOW_NAMESPACE = 'shadow';
/** The shadow's processes take the usual offsets from this far above the base port. */
export const SHADOW_PORT_OFFSET = 20;
/** The live topics the shadow is fed from: the submitted tasks, nothing else. */
export const SHADOW_LIVE_INPUTS: readonly string[] = [Topics.taskSubmitted];
const AGENT_ENTRY = 'apps/agent/src/main.js';

/** What the shadow pipeline runs instead of the live configuration. */
export interface ShadowOptions {
  /** Routing YAML of the candidate policy (the shadow router's BATON_ROUTING_CONFIG); default: live's. */
  routingConfig?: string;
  /** Folder of candidate workflow versions (the shadow router's BATON_WORKFLOWS_DIR); default: live's. */
  workflowsDir?: string;
}

/**
 * The shadow pipeline's processes: guardrails, router, planner, cost-accountant and the
 * same agents as live, in namespace `shadow`, fed live's submitted tasks. No gateway (live's
 * reads both keyspaces) and no simulator (shared). Agents record tools with side effects
 * instead of running them.
 */
export function shadowLayout(basePort: number, roles: readonly AgentRole[], opts: ShadowOptions = {}): ServiceSpec[] {
  const env: Record<string, string> = {
    BATON_NAMESPACE: SHADOW_NAMESPACE,
    BATON_LIVE_INPUTS: SHADOW_LIVE_INPUTS.join(','),
    ...(opts.routingConfig ? { BATON_ROUTING_CONFIG: opts.routingConfig } : {}),
    ...(opts.workflowsDir ? { BATON_WORKFLOWS_DIR: opts.workflowsDir } : {}),
  };
  return stackLayout(basePort + SHADOW_PORT_OFFSET, roles)
    .services.filter((s) => s.name !== 'gateway')
    .map((s) => ({
      ...s,
      name: `${SHADOW_NAMESPACE}-${s.name}`,
      env: { ...s.env, ...env, ...(s.entry === AGENT_ENTRY ? { BATON_TOOL_MODE: 'record' } : {}) },
    }));
}
