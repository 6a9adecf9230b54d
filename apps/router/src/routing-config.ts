import { join, resolve } from 'node:path';
import { z } from 'zod';
import { findUpward, readYamlFile } from '@baton/config';
import { AgentRole, DebateSpec, Pattern, RoutingPolicy, describeIssues } from '@baton/contracts';

/** A task type (`lead.qualify`) or a family of them (`lead.*`: every type under `lead.`). */
const TASK_TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*(\.\*)?$/;

/** Rules keyed by task type or family. Keys checked here rather than by the record's key schema, whose error hides the reason. */
function byTaskType<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((rules, ctx) => {
    for (const key of Object.keys(rules)) {
      if (!TASK_TYPE_PATTERN.test(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be a task type (lead.qualify) or a prefix pattern (lead.*)' });
      }
    }
  });
}

/** Patterns the configuration may choose; `workflow` comes only from a task naming one. */
export const TaskPattern = Pattern.exclude(['workflow']);
export type TaskPattern = z.infer<typeof TaskPattern>;

/** Roles that may vote or take a hand-off: the planner and the judge have jobs of their own. */
const SpecialistRole = AgentRole.exclude(['planner', 'judge']);

const distinct = (xs: readonly string[]): boolean => new Set(xs).size === xs.length;

/** A content rule: a case-insensitive regular expression on the instruction and input text. */
const ContentRule = z.strictObject({
  /** Regular expression (case-insensitive), compiled once at load. */
  match: z
    .string()
    .min(1)
    .transform((source, ctx) => {
      try {
        return new RegExp(source, 'i');
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
        return z.NEVER;
      }
    }),
  /** Pattern of a task whose text matches. */
  pattern: TaskPattern,
  /** Short label quoted in the pattern reason, e.g. `compare options`. */
  why: z.string().min(1).max(120),
});
export type ContentRule = z.infer<typeof ContentRule>;

const PatternsConfig = z.strictObject({
  /** Pattern when no rule matches and the classifier is off. */
  default: TaskPattern.default('single'),
  /** Pattern per task type or family; the exact type wins, then the longest prefix. */
  byTaskType: byTaskType(TaskPattern).default({}),
  /** Tried in order on the task's instruction and input text; the first match wins. */
  contentRules: z.array(ContentRule).max(50).default([]),
  /** A model picks the pattern of tasks no rule covers; off unless enabled. */
  classifier: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Catalog model to ask; default the cheapest model with `json` whose breaker is closed. */
      model: z.string().min(1).optional(),
    })
    .prefault({}),
});
export type PatternsConfig = z.infer<typeof PatternsConfig>;

const DebateChoices = DebateSpec.shape.choices.refine(distinct, { message: 'debate choices must be distinct' });

/** A configured debate: who votes (models are the router's call), on what, and how votes count. */
const DebateConfig = z
  .strictObject({
    participants: z.array(z.strictObject({ role: SpecialistRole, weight: DebateSpec.shape.participants.element.shape.weight })).min(2).max(9),
    choices: DebateChoices,
    rule: DebateSpec.shape.rule,
    quorum: DebateSpec.shape.quorum,
    onTie: DebateSpec.shape.onTie,
  })
  .refine((d) => d.rule !== 'quorum' || (d.quorum !== undefined && d.quorum <= d.participants.length), {
    path: ['quorum'],
    message: 'the quorum rule needs a quorum no larger than the number of participants',
  });

/** The debate of a debate-pattern task no entry covers: `voters` participants of the task's own role. */
const DefaultDebateConfig = z
  .strictObject({
    voters: z.number().int().min(2).max(9).default(3),
    choices: DebateChoices.default(['yes', 'no']),
    rule: DebateSpec.shape.rule,
    quorum: DebateSpec.shape.quorum,
    onTie: DebateSpec.shape.onTie,
  })
  .refine((d) => d.rule !== 'quorum' || (d.quorum !== undefined && d.quorum <= d.voters), {
    path: ['quorum'],
    message: 'the quorum rule needs a quorum no larger than the number of voters',
  });

const HandoffRoles = z.array(SpecialistRole).min(1).max(8).refine(distinct, { message: 'hand-off roles must be distinct' });

/** Shape of config/routing.yaml. Unknown keys are refused: a misspelt section would be ignored silently. */
export const RoutingConfigFile = z.strictObject({
  /** Policy of tasks that no other rule covers. */
  default: RoutingPolicy.default('cheapest'),
  /** Policy per task type or task type family; the exact type wins, then the longest prefix. */
  byTaskType: byTaskType(RoutingPolicy).default({}),
  /** Policy per tenant id. */
  byTenant: z.record(z.string().min(1), RoutingPolicy).default({}),
  /** How a task without a workflow is orchestrated: one specialist, a planner's plan, or a debate. */
  patterns: PatternsConfig.prefault({}),
  /** Who debates a debate-pattern task, per task type or family, else `default`. */
  debates: z.strictObject({ default: DefaultDebateConfig.prefault({}), byTaskType: byTaskType(DebateConfig).default({}) }).prefault({}),
  /** Roles a single specialist may hand the work to, per task type or family. */
  handoffs: z.strictObject({ byTaskType: byTaskType(HandoffRoles).default({}) }).prefault({}),
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
export type PolicySource = 'task' | 'task-type' | 'tenant' | 'default' | 'budget-low';

/** A task's policy and where it came from. */
export interface PolicyPick {
  policy: RoutingPolicy;
  source: PolicySource;
}

/** A rule found for a task type, and the key it is filed under (the type itself or a family). */
export interface TaskTypeMatch<T> {
  key: string;
  value: T;
}

/**
 * The rule for `taskType`: the exact type, else the longest family (`lead.inbound.*` before
 * `lead.*`). Families match whole segments: `lead.*` covers `lead.x`, not `lead` or `leads.x`.
 */
export function matchTaskType<T>(rules: Readonly<Record<string, T>>, taskType: string): TaskTypeMatch<T> | undefined {
  // Own properties only: a task type such as `constructor` must not read Object.prototype.
  if (Object.hasOwn(rules, taskType)) return { key: taskType, value: rules[taskType] };
  const segments = taskType.split('.');
  for (let n = segments.length - 1; n >= 1; n--) {
    const key = `${segments.slice(0, n).join('.')}.*`;
    if (Object.hasOwn(rules, key)) return { key, value: rules[key] };
  }
  return undefined;
}

/**
 * The routing rules of config/routing.yaml: which policy each task gets (the task's own,
 * else its type's, else its tenant's, else the default), how it is orchestrated, who
 * debates it and whom its specialist may hand off to.
 */
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
   * without any file every task gets `cheapest` and the single pattern.
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

  /** The pattern rules, for pattern-choice.ts. */
  get patterns(): PatternsConfig {
    return this.config.patterns;
  }

  /** The policy for a task of `tenantId`. */
  policyFor(task: { taskType: string; routingPolicy?: RoutingPolicy }, tenantId: string): PolicyPick {
    if (task.routingPolicy) return { policy: task.routingPolicy, source: 'task' };
    const byType = matchTaskType(this.config.byTaskType, task.taskType);
    if (byType) return { policy: byType.value, source: 'task-type' };
    if (Object.hasOwn(this.config.byTenant, tenantId)) return { policy: this.config.byTenant[tenantId], source: 'tenant' };
    return { policy: this.config.default, source: 'default' };
  }

  /**
   * The debate of a debate-pattern task, participants without models: its type's entry,
   * else the default's voters, all of `role` (the task's own specialist).
   */
  debateFor(taskType: string, role: AgentRole): DebateSpec {
    const configured = matchTaskType(this.config.debates.byTaskType, taskType)?.value;
    if (configured) return configured;
    const { voters, ...rest } = this.config.debates.default;
    return { ...rest, participants: Array.from({ length: voters }, () => ({ role })) };
  }

  /** Roles the single specialist of a task may hand off to; empty when none are configured. */
  handoffsFor(taskType: string): AgentRole[] {
    return [...(matchTaskType(this.config.handoffs.byTaskType, taskType)?.value ?? [])];
  }
}

function findDefault(): string | undefined {
  return findUpward(DEFAULT_RELATIVE_PATH);
}
