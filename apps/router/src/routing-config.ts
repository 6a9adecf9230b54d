import { join, resolve } from 'node:path';
import { z } from 'zod';
import { findUpward, readYamlFile } from '@baton/config';
import { RoutingPolicy, describeIssues } from '@baton/contracts';

/** A task type (`lead.qualify`) or a family of them (`lead.*`: every type under `lead.`). */
const TASK_TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*(\.\*)?$/;

// Keys checked here rather than by the record's key schema, whose error hides the reason.
const PoliciesByTaskType = z.record(z.string(), RoutingPolicy).superRefine((rules, ctx) => {
  for (const key of Object.keys(rules)) {
    if (!TASK_TYPE_PATTERN.test(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must be a task type (lead.qualify) or a prefix pattern (lead.*)' });
    }
  }
});

/** Shape of config/routing.yaml. Unknown keys are refused: a misspelt section would be ignored silently. */
export const RoutingConfigFile = z.strictObject({
  /** Policy of tasks that no other rule covers. */
  default: RoutingPolicy.default('cheapest'),
  /** Policy per task type or task type family; the exact type wins, then the longest prefix. */
  byTaskType: PoliciesByTaskType.default({}),
  /** Policy per tenant id. */
  byTenant: z.record(z.string().min(1), RoutingPolicy).default({}),
});
export type RoutingConfigFile = z.infer<typeof RoutingConfigFile>;

/** The routing configuration is unreadable or invalid; the message names the file and each problem. */
export class RoutingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoutingConfigError';
  }
}

/** Environment variable naming a routing configuration other than the repository's. */
export const ROUTING_CONFIG_ENV = 'BATON_ROUTING_CONFIG';
const DEFAULT_RELATIVE_PATH = join('config', 'routing.yaml');

/** Which rule chose a task's policy. */
export type PolicySource = 'task' | 'task-type' | 'tenant' | 'default';

/** A task's policy and where it came from. */
export interface PolicyPick {
  policy: RoutingPolicy;
  source: PolicySource;
}

/** Which routing policy each task gets: the task's own, else its type's, else its tenant's, else the default. */
export class RoutingPolicies {
  private constructor(
    private readonly config: RoutingConfigFile,
    /** Where the configuration came from (a path, or `built-in defaults`). */
    readonly source: string,
  ) {}

  /** Validates a parsed configuration; `source` names it in errors. */
  static parse(raw: unknown, source: string): RoutingPolicies {
    // An empty YAML file parses as null: the same as a file of defaults.
    const r = RoutingConfigFile.safeParse(raw ?? {});
    if (!r.success) throw new RoutingConfigError(`invalid routing configuration ${source}: ${describeIssues(r.error.issues)}`);
    return new RoutingPolicies(r.data, source);
  }

  /**
   * Loads the routing configuration from `path`, else `$BATON_ROUTING_CONFIG`, else the
   * nearest config/routing.yaml above the working directory. A named file must exist;
   * without any file every task gets `cheapest`.
   */
  static fromFile(path?: string, env: NodeJS.ProcessEnv = process.env): RoutingPolicies {
    const named = path ?? env[ROUTING_CONFIG_ENV];
    const file = named ? resolve(named) : findDefault();
    if (!file) return RoutingPolicies.parse({}, 'built-in defaults');
    let raw: unknown;
    try {
      raw = readYamlFile(file, 'routing configuration');
    } catch (err) {
      throw new RoutingConfigError((err as Error).message);
    }
    return RoutingPolicies.parse(raw, file);
  }

  /** The policy for a task of `tenantId`. */
  policyFor(task: { taskType: string; routingPolicy?: RoutingPolicy }, tenantId: string): PolicyPick {
    if (task.routingPolicy) return { policy: task.routingPolicy, source: 'task' };
    const byType = this.byTaskType(task.taskType);
    if (byType) return { policy: byType, source: 'task-type' };
    if (Object.hasOwn(this.config.byTenant, tenantId)) return { policy: this.config.byTenant[tenantId], source: 'tenant' };
    return { policy: this.config.default, source: 'default' };
  }

  private byTaskType(taskType: string): RoutingPolicy | undefined {
    const rules = this.config.byTaskType;
    if (Object.hasOwn(rules, taskType)) return rules[taskType];
    // Longest family first: `lead.inbound.*` is more specific than `lead.*`.
    const segments = taskType.split('.');
    for (let n = segments.length - 1; n >= 1; n--) {
      const pattern = `${segments.slice(0, n).join('.')}.*`;
      if (Object.hasOwn(rules, pattern)) return rules[pattern];
    }
    return undefined;
  }
}

function findDefault(): string | undefined {
  return findUpward(DEFAULT_RELATIVE_PATH);
}
