import { AgentRole } from '@baton/contracts';
import { PiiKind, TOOL_NAME, type SideEffect, type ToolRegistry } from '@baton/agent-tools';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/*
 * The tool permission policy: data (config/permissions.yaml), validated here, and a pure
 * engine deciding each tool call a model proposes. Nothing is allowed unless a rule says so.
 */

/** A dotted path into a call's arguments: `amountCents`, `fields.status`. */
const ArgPath = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'argument paths are dotted names, e.g. amountCents or fields.status');

/** A task type (`lead.qualify`), a family (`lead.*`: every type under `lead.`), or `*` (any). */
const TaskTypePattern = z
  .string()
  .regex(/^(\*|[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*(\.\*)?)$/, "task types are a type (lead.qualify), a family (lead.*) or '*'");

const TenantId = z.string().regex(/^[^{}\s]{1,256}$/, 'tenant ids are 1 to 256 characters without braces or whitespace');

function validRegex(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * A limit on one argument: `min`/`max` (inclusive) for numbers; `enum`, `pattern` (a
 * regular expression the whole value must match) and `maxLength` for strings. A limit
 * applies when the argument is present (whether it must be is the tool schema's business).
 */
export const ArgLimit = z
  .strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    enum: z.array(z.string()).min(1).optional(),
    pattern: z.string().min(1).optional(),
    maxLength: z.number().int().positive().optional(),
  })
  .superRefine((l, ctx) => {
    const numeric = l.min !== undefined || l.max !== undefined;
    const text = l.enum !== undefined || l.pattern !== undefined || l.maxLength !== undefined;
    if (!numeric && !text) ctx.addIssue({ code: 'custom', message: 'a limit needs min/max (numbers) or enum/pattern/maxLength (strings)' });
    if (numeric && text) ctx.addIssue({ code: 'custom', message: 'a limit is for a number (min, max) or for a string (enum, pattern, maxLength), not both' });
    if (l.min !== undefined && l.max !== undefined && l.min > l.max) ctx.addIssue({ code: 'custom', message: `min ${l.min} is above max ${l.max}` });
    const bad = l.pattern === undefined ? undefined : validRegex(l.pattern);
    if (bad) ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid regular expression: ${bad}` });
  });
export type ArgLimit = z.infer<typeof ArgLimit>;

/** When an argument makes a call need approval: a number `over` (>) or `atLeast` (>=) a value, a string `in` a list. */
export const ApprovalCondition = z
  .strictObject({
    over: z.number().optional(),
    atLeast: z.number().optional(),
    in: z.array(z.string()).min(1).optional(),
  })
  .refine((c) => c.over !== undefined || c.atLeast !== undefined || c.in !== undefined, {
    message: 'an approval condition needs over, atLeast or in',
  });
export type ApprovalCondition = z.infer<typeof ApprovalCondition>;

/** A human must approve first: `always`, or `when` any of the argument conditions holds. */
export const Approval = z
  .strictObject({
    always: z.literal(true).optional(),
    when: z.record(ArgPath, ApprovalCondition).optional(),
  })
  .superRefine((a, ctx) => {
    if ((a.always === undefined) === (a.when === undefined)) ctx.addIssue({ code: 'custom', message: 'approval needs exactly one of always: true or when' });
    if (a.when !== undefined && Object.keys(a.when).length === 0) ctx.addIssue({ code: 'custom', path: ['when'], message: 'when needs at least one condition' });
  });
export type Approval = z.infer<typeof Approval>;

/** One rule: who may call a tool, where, with which arguments, and whether a human approves first. */
export const PermissionRule = z.strictObject({
  /** Named in decisions and the audit trail; default `rules[<index>]`. */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, 'rule ids are lowercase words with dashes or underscores')
    .optional(),
  /** Why the rule exists; for people reading the policy. */
  why: z.string().max(500).optional(),
  tool: z.string().regex(TOOL_NAME, 'tool names are lowercase snake_case, e.g. issue_refund'),
  /** Roles the rule covers; `'*'` alone covers every role. */
  roles: z
    .array(z.enum([...AgentRole.options, '*']))
    .min(1)
    .refine((r) => !r.includes('*') || r.length === 1, { message: "'*' covers every role and stands alone" }),
  /** Only these tenants; every tenant when absent. */
  tenants: z.array(TenantId).min(1).optional(),
  /** Only these task types or families; every task type when absent. */
  taskTypes: z.array(TaskTypePattern).min(1).optional(),
  /** Limits on argument values; a call outside them is denied. */
  args: z.record(ArgPath, ArgLimit).optional(),
  approval: Approval.optional(),
  /** Kinds of personal data the tool receives un-redacted under this rule. */
  unredact: z.array(PiiKind).optional(),
  /**
   * Recipients that may receive real values in the
   * arguments other than the recipient itself (for a tool that declares a recipient, such as
   * send_email's `to`): patterns where `*` stands for any characters, matched whole and
   * case-insensitively, e.g. `*@acme.example`.
   */
  recipients: z.array(z.string().min(1).max(254)).max(100).optional(),
  /**
   * Untrusted content the call's arguments may carry without a human (write and destructive
   * tools): `input` (an input marked untrusted) or `tool:<name>` (results of that tool).
   * Any other flow needs approval, or is refused with `otherwise: deny`.
   */
  flows: z
    .strictObject({
      allow: z.array(z.string().regex(/^(?:input|tool:[a-z][a-z0-9_]{0,63})$/, 'a flow source is input or tool:<name>')).optional(),
      otherwise: z.enum(['approval', 'deny']).optional(),
    })
    .optional(),
});
export type PermissionRuleInput = z.infer<typeof PermissionRule>;

/** The policy file's schema. */
export const PermissionPolicySchema = z
  .strictObject({
    version: z.literal(1, 'version must be 1'),
    default: z.literal('deny', 'default must be deny: a call no rule allows is refused'),
    /** Calls of a tool one task may make in all (0: none). */
    maxCallsPerTask: z.record(z.string().regex(TOOL_NAME, 'tool names are lowercase snake_case'), z.number().int().min(0)).optional(),
    rules: z.array(PermissionRule).max(1000),
  })
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.rules.forEach((r, i) => {
      if (r.id === undefined) return;
      const first = seen.get(r.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id ${r.id} is already used by rules[${first}]` });
      else seen.set(r.id, i);
    });
  });

/** A rule as the engine uses it: the id resolved. */
export type PermissionRuleSpec = Omit<PermissionRuleInput, 'id'> & { id: string };

/** A validated policy. */
export interface PermissionPolicy {
  version: 1;
  default: 'deny';
  maxCallsPerTask: Readonly<Record<string, number>>;
  /** In file order; for a tool, the first rule matching role, tenant and task type decides. */
  rules: readonly PermissionRuleSpec[];
}

/** A policy that does not parse or validate; `issues` lists each problem with its path. */
export class PermissionPolicyError extends Error {
  override readonly name = 'PermissionPolicyError';
  constructor(readonly issues: string[]) {
    super(`permission policy is invalid:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(top level)';
}

/** Options of the parser. */
export interface PolicyParseOptions {
  /** When given, rules are checked against these tools: names, argument paths and types, un-redaction. */
  tools?: ToolRegistry;
}

/** Parses and validates the YAML text of a policy; throws PermissionPolicyError naming every problem. */
export function parsePermissionPolicy(yamlText: string, opts: PolicyParseOptions = {}): PermissionPolicy {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (err) {
    throw new PermissionPolicyError([`not valid YAML: ${(err as Error).message}`]);
  }
  if (raw === null || raw === undefined) throw new PermissionPolicyError(['the policy is empty']);
  return checkPermissionPolicy(raw, opts);
}

/** Validates an already parsed policy object; throws PermissionPolicyError naming every problem. */
export function checkPermissionPolicy(raw: unknown, opts: PolicyParseOptions = {}): PermissionPolicy {
  const parsed = PermissionPolicySchema.safeParse(raw);
  if (!parsed.success) {
    throw new PermissionPolicyError(
      parsed.error.issues.map((i) => {
        const where = pathText(i.path);
        if (i.code === 'unrecognized_keys') return `${where}: unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`;
        return `${where}: ${i.message}`;
      }),
    );
  }
  const p = parsed.data;
  const policy: PermissionPolicy = {
    version: 1,
    default: 'deny',
    maxCallsPerTask: { ...(p.maxCallsPerTask ?? {}) },
    rules: p.rules.map((r, i) => ({ ...r, id: r.id ?? `rules[${i}]` })),
  };
  if (opts.tools) {
    const issues = checkAgainstTools(policy, opts.tools);
    if (issues.length) throw new PermissionPolicyError(issues);
  }
  return policy;
}

/** JSON Schema node of an argument path, or undefined when the tool has no such argument. */
function argSchema(parameters: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = parameters;
  for (const key of path.split('.')) {
    const props = node?.['properties'] as Record<string, Record<string, unknown>> | undefined;
    node = props && Object.hasOwn(props, key) ? props[key] : undefined;
    if (!node) return undefined;
  }
  return node;
}

function schemaType(node: Record<string, unknown>): 'number' | 'string' | undefined {
  const type = node['type'];
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'string') return 'string';
  return undefined;
}

function checkAgainstTools(policy: PermissionPolicy, tools: ToolRegistry): string[] {
  const issues: string[] = [];
  const known = tools.names().join(', ');
  for (const name of Object.keys(policy.maxCallsPerTask)) {
    if (!tools.has(name)) issues.push(`maxCallsPerTask.${name}: no tool named ${name} (tools: ${known})`);
  }
  policy.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    const tool = tools.get(rule.tool);
    if (!tool) {
      issues.push(`${at}.tool: no tool named ${rule.tool} (tools: ${known})`);
      return;
    }
    for (const kind of rule.unredact ?? []) {
      if (!tool.realValueKinds.includes(kind)) {
        const needs = tool.realValueKinds.length ? tool.realValueKinds.join(', ') : 'nothing';
        issues.push(`${at}.unredact: ${tool.name} does not need ${kind} un-redacted (it may need: ${needs})`);
      }
    }
    const parameters = tools.specFor(tool).parameters;
    const checkPath = (where: string, path: string, kind: 'number' | 'string'): void => {
      const node = argSchema(parameters, path);
      if (!node) issues.push(`${where}: ${tool.name} has no argument ${path}`);
      else {
        const type = schemaType(node);
        if (type && type !== kind) issues.push(`${where}: ${path} of ${tool.name} is a ${type}, the limit is for a ${kind}`);
      }
    };
    for (const [path, limit] of Object.entries(rule.args ?? {})) {
      checkPath(`${at}.args.${path}`, path, limit.min !== undefined || limit.max !== undefined ? 'number' : 'string');
    }
    for (const [path, cond] of Object.entries(rule.approval?.when ?? {})) {
      checkPath(`${at}.approval.when.${path}`, path, cond.in !== undefined ? 'string' : 'number');
    }
  });
  return issues;
}

// ---------------------------------------------------------------- engine

/** A tool call to decide. */
export interface ToolCallQuery {
  /** Tool the model asked for. */
  tool: string;
  /** The tool's side effect from the registry; undefined when no such tool is registered. */
  sideEffect: SideEffect | undefined;
  /** Role of the agent, from the envelope. */
  role: AgentRole;
  /** Tenant, from the envelope. */
  tenantId: string;
  /** Task type, from the envelope ('' when unknown: rules limited to task types then do not match). */
  taskType: string;
  /** Shadow mode: write and destructive tools are recorded, never run. */
  shadow: boolean;
  /** The arguments as parsed and validated by the tool's schema (placeholders not yet replaced). */
  args: Record<string, unknown>;
  /** Calls of this tool the task already made (allowed, approved or recorded); 0 when absent. */
  callsSoFar?: number;
  /** Where the tool takes real values (from the registry): kinds per argument, and its recipient argument. */
  realValues?: { fields: Readonly<Record<string, readonly PiiKind[]>>; recipient?: string | undefined };
  /** Untrusted content the model had read, and the arguments carrying values from it (from the agent). */
  flows?: ReadonlyArray<{ source: string; fields: readonly string[] }>;
}

/** Why a call was decided so; stable, for metrics and tests. */
export type DecisionCode =
  | 'allowed'
  | 'approval_required'
  | 'shadow_recorded'
  | 'unknown_tool'
  | 'no_rule'
  | 'role_not_allowed'
  | 'tenant_not_allowed'
  | 'task_type_not_allowed'
  | 'argument_limit'
  | 'max_calls'
  | 'untrusted_flow';

/** The decision on one tool call. */
export interface ToolCallDecision {
  /** `allow`: run it; `approval`: a human decides first; `record`: note it, never run it (shadow); `deny`. */
  decision: 'allow' | 'deny' | 'approval' | 'record';
  code: DecisionCode;
  /** Id of the rule that decided, when one matched. */
  rule?: string;
  /** A sentence for the model and the audit trail. */
  reason: string;
  /** Kinds of personal data to restore before the call runs; empty unless it runs (allow, approval). */
  unredact: PiiKind[];
  /** Arguments those kinds may be restored into; empty unless it runs. */
  unredactFields: string[];
}

const RANK = { deny: 0, record: 1, approval: 2, allow: 3 } as const;
/** How permissive a decision is: deny < record < approval < allow. */
export function decisionRank(decision: ToolCallDecision['decision']): number {
  return RANK[decision];
}

/** Whether a task type falls under a pattern: exact, a family (`lead.*` covers `lead.x.y`, not `lead`), or `*`. */
export function taskTypeMatches(pattern: string, taskType: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return taskType.startsWith(pattern.slice(0, -1));
  return pattern === taskType;
}

const roleMatches = (r: PermissionRuleSpec, role: AgentRole): boolean => r.roles.includes('*') || r.roles.includes(role);
const tenantMatches = (r: PermissionRuleSpec, tenantId: string): boolean => r.tenants === undefined || r.tenants.includes(tenantId);
const typeMatches = (r: PermissionRuleSpec, taskType: string): boolean => r.taskTypes === undefined || r.taskTypes.some((p) => taskTypeMatches(p, taskType));

function valueAt(args: Record<string, unknown>, path: string): { found: boolean; value?: unknown } {
  let value: unknown = args;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return { found: false };
    value = (value as Record<string, unknown>)[key];
  }
  return value === undefined ? { found: false } : { found: true, value };
}

const regexCache = new Map<string, RegExp>();
function fullMatch(pattern: string, value: string): boolean {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    regexCache.set(pattern, re);
  }
  return re.test(value);
}

/** What is wrong with one argument under a limit, or undefined. */
function violation(path: string, limit: ArgLimit, value: unknown): string | undefined {
  if (limit.min !== undefined || limit.max !== undefined) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return `${path} must be a number`;
    if (limit.min !== undefined && value < limit.min) return `${path} ${value} is below the minimum of ${limit.min}`;
    if (limit.max !== undefined && value > limit.max) return `${path} ${value} is above the limit of ${limit.max}`;
    return undefined;
  }
  if (typeof value !== 'string') return `${path} must be text`;
  if (limit.enum !== undefined && !limit.enum.includes(value)) return `${path} ${JSON.stringify(value)} is not one of ${limit.enum.join(', ')}`;
  if (limit.maxLength !== undefined && value.length > limit.maxLength) return `${path} is ${value.length} characters, above the limit of ${limit.maxLength}`;
  if (limit.pattern !== undefined && !fullMatch(limit.pattern, value)) return `${path} ${JSON.stringify(value)} is not an allowed value`;
  return undefined;
}

/** Which approval condition holds, as text, or undefined. A value of the wrong type needs approval (fail closed). */
function approvalNeeded(approval: Approval, args: Record<string, unknown>): string | undefined {
  if (approval.always) return 'always';
  for (const [path, cond] of Object.entries(approval.when ?? {})) {
    const { found, value } = valueAt(args, path);
    if (!found) continue;
    if (cond.over !== undefined || cond.atLeast !== undefined) {
      if (typeof value !== 'number') return `${path} is not a number`;
      if (cond.over !== undefined && value > cond.over) return `${path} ${value} is over ${cond.over}`;
      if (cond.atLeast !== undefined && value >= cond.atLeast) return `${path} ${value} is at least ${cond.atLeast}`;
    }
    if (cond.in !== undefined) {
      if (typeof value !== 'string') return `${path} is not text`;
      if (cond.in.includes(value)) return `${path} is ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}

const deny = (code: DecisionCode, reason: string, rule?: string): ToolCallDecision => ({
  decision: 'deny',
  code,
  ...(rule === undefined ? {} : { rule }),
  reason,
  unredact: [],
  unredactFields: [],
});

/**
 * Decides a proposed tool call. Default deny. Among the rules for the tool, the first (in
 * file order) whose roles, tenants and task types all match decides; later rules are not
 * consulted, even when the first one denies on an argument. Then, in order: the task's call
 * limit for the tool, the rule's argument limits (deny, naming the argument), its approval
 * condition (`approval`). In shadow mode a write or destructive call that would be allowed
 * or need approval is `record`ed instead, never run; reads are decided as usual.
 */
export function decideToolCall(policy: PermissionPolicy, q: ToolCallQuery): ToolCallDecision {
  if (q.sideEffect === undefined) return deny('unknown_tool', `there is no tool named ${q.tool}`);
  const rules = policy.rules.filter((r) => r.tool === q.tool);
  if (!rules.length) return deny('no_rule', `no rule of the permission policy allows ${q.tool}`);
  const rule = rules.find((r) => roleMatches(r, q.role) && tenantMatches(r, q.tenantId) && typeMatches(r, q.taskType));
  if (!rule) {
    const byRole = rules.filter((r) => roleMatches(r, q.role));
    if (!byRole.length) return deny('role_not_allowed', `role ${q.role} may not call ${q.tool}`);
    const byTenant = byRole.filter((r) => tenantMatches(r, q.tenantId));
    if (!byTenant.length) return deny('tenant_not_allowed', `${q.tool} is not enabled for tenant ${q.tenantId}`);
    return deny('task_type_not_allowed', `${q.tool} may not be called in a ${q.taskType || 'task of unknown type'} task`);
  }

  const max = Object.hasOwn(policy.maxCallsPerTask, q.tool) ? policy.maxCallsPerTask[q.tool] : undefined;
  const so = q.callsSoFar ?? 0;
  if (max !== undefined && so >= max) {
    return deny('max_calls', `${q.tool} may be called at most ${max} time${max === 1 ? '' : 's'} per task, and this task has made ${so}`, rule.id);
  }

  const problems = Object.entries(rule.args ?? {}).flatMap(([path, limit]) => {
    const { found, value } = valueAt(q.args, path);
    const v = found ? violation(path, limit, value) : undefined;
    return v ? [v] : [];
  });
  if (problems.length) return deny('argument_limit', `${q.tool} refused: ${problems.join('; ')}`, rule.id);

  const needs = rule.approval ? approvalNeeded(rule.approval, q.args) : undefined;
  if (q.shadow && q.sideEffect !== 'read') {
    const would = needs === undefined ? 'would be allowed' : 'would need approval';
    return {
      decision: 'record',
      code: 'shadow_recorded',
      rule: rule.id,
      reason: `shadow mode: ${q.tool} changes something outside Baton, so the call (which ${would}) is recorded, not run`,
      unredact: [],
      unredactFields: [],
    };
  }
  const flow = q.sideEffect === 'read' ? undefined : untrustedFlow(rule, q.flows ?? [], q.sideEffect === 'destructive');
  if (flow && rule.flows?.otherwise === 'deny') return deny('untrusted_flow', `${q.tool} refused: ${flow}, and rule ${rule.id} allows no such flow`, rule.id);
  const { kinds: unredact, fields: unredactFields, withheld } = realValuePlan(rule, q);
  const note = withheld ? `; ${withheld}` : '';
  if (needs !== undefined || flow) {
    const why = [needs === undefined ? undefined : needs === 'always' ? 'every call of it needs' : `${needs}, so it needs`, flow ? `${flow}, so it needs` : undefined]
      .filter((x) => x !== undefined)
      .join('; ');
    const code = needs === undefined ? 'untrusted_flow' : 'approval_required';
    return { decision: 'approval', code, rule: rule.id, reason: `${q.tool}: ${why} a human's approval first${note}`, unredact, unredactFields };
  }
  return { decision: 'allow', code: 'allowed', rule: rule.id, reason: `${q.tool} is allowed by rule ${rule.id}${note}`, unredact, unredactFields };
}

/**
 * The untrusted flows of a call the rule does not allow, as words, or undefined. A write
 * counts when an argument carries a value from untrusted content; a destructive call as soon
 * as the model had read untrusted content at all (what it was told may have steered the call
 * even where no value was copied).
 */
function untrustedFlow(rule: PermissionRuleSpec, flows: ReadonlyArray<{ source: string; fields: readonly string[] }>, destructive: boolean): string | undefined {
  const allowed = new Set(rule.flows?.allow ?? []);
  const open = flows.filter((f) => (f.fields.length > 0 || destructive) && !allowed.has(f.source));
  if (!open.length) return undefined;
  const what = (source: string) => (source === 'input' ? 'the untrusted input' : `untrusted ${source.slice(5)} results`);
  return open
    .map((f) => (f.fields.length ? `${f.fields.join(', ')} carr${f.fields.length === 1 ? 'ies' : 'y'} values from ${what(f.source)}` : `the model had read ${what(f.source)}`))
    .join('; ');
}

/** A `recipients` pattern (`*` for any characters) matched whole and case-insensitively, through the cached matcher of argument limits. */
function globMatch(pattern: string, value: string): boolean {
  const source = pattern
    .toLowerCase()
    .split('*')
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return fullMatch(source, value.toLowerCase());
}

/**
 * Which kinds go back into which arguments: only kinds the rule un-redacts, only into the
 * arguments the tool declares for them. A tool with a recipient gets real values in its other
 * arguments only when the recipient is one the rule names. A placeholder as the recipient is
 * put back (the mail reaches the person it stands for), but any address of the task's input
 * becomes a placeholder, a stranger's too, so it never opens the other arguments: they keep
 * their placeholders (`withheld` says so).
 */
function realValuePlan(rule: PermissionRuleSpec, q: ToolCallQuery): { kinds: PiiKind[]; fields: string[]; withheld?: string } {
  const kinds = new Set(rule.unredact ?? []);
  const declared = q.realValues?.fields ?? {};
  const fields = Object.entries(declared)
    .filter(([, ks]) => ks.some((k) => kinds.has(k)))
    .map(([path]) => path);
  const recipient = q.realValues?.recipient;
  if (!recipient || fields.every((f) => f === recipient)) return { kinds: [...kinds], fields };
  const { found, value } = valueAt(q.args, recipient);
  const to = found && typeof value === 'string' ? value : '';
  if ((rule.recipients ?? []).some((p) => globMatch(p, to))) return { kinds: [...kinds], fields };
  const kept = fields.filter((f) => f === recipient);
  const withheld = fields.filter((f) => f !== recipient);
  return { kinds: kept.length ? [...kinds] : [], fields: kept, withheld: `real values stay out of ${withheld.join(', ')}: ${JSON.stringify(to)} is not a recipient rule ${rule.id} names` };
}
