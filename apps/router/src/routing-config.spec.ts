import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROUTING_CONFIG_ENV, RoutingConfigError, RoutingPolicies } from './routing-config';

function tempFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'baton-routing-')), 'routing.yaml');
  writeFileSync(file, text);
  return file;
}

const policies = RoutingPolicies.parse(
  {
    default: 'cascade',
    byTaskType: { 'lead.qualify': 'best-quality', 'lead.*': 'fastest', 'lead.inbound.*': 'cheapest' },
    byTenant: { globex: 'best-quality', acme: 'fastest' },
  },
  'test',
);

describe('RoutingPolicies.policyFor', () => {
  it("takes the task's own policy over every rule", () => {
    expect(policies.policyFor({ taskType: 'lead.qualify', routingPolicy: 'cheapest' }, 'globex')).toEqual({ policy: 'cheapest', source: 'task' });
  });

  it('takes the task type rule over the tenant rule, the exact type over a family', () => {
    expect(policies.policyFor({ taskType: 'lead.qualify' }, 'acme')).toEqual({ policy: 'best-quality', source: 'task-type' });
    expect(policies.policyFor({ taskType: 'lead.enrich' }, 'acme')).toEqual({ policy: 'fastest', source: 'task-type' });
  });

  it('prefers the longest matching family, and matches whole segments only', () => {
    expect(policies.policyFor({ taskType: 'lead.inbound.web' }, 'x')).toEqual({ policy: 'cheapest', source: 'task-type' });
    expect(policies.policyFor({ taskType: 'lead.inbound' }, 'x')).toEqual({ policy: 'fastest', source: 'task-type' });
    // `lead.*` covers types under `lead.`, not `lead` itself nor `leads.x`.
    expect(policies.policyFor({ taskType: 'lead' }, 'x').source).toBe('default');
    expect(policies.policyFor({ taskType: 'leads.import' }, 'x').source).toBe('default');
  });

  it("falls back to the tenant's policy, then the default", () => {
    expect(policies.policyFor({ taskType: 'resume.screen' }, 'globex')).toEqual({ policy: 'best-quality', source: 'tenant' });
    expect(policies.policyFor({ taskType: 'resume.screen' }, 'initech')).toEqual({ policy: 'cascade', source: 'default' });
  });

  it('does not mistake inherited object keys for rules', () => {
    expect(policies.policyFor({ taskType: 'constructor' }, 'toString')).toEqual({ policy: 'cascade', source: 'default' });
  });

  it('defaults to cheapest for an empty configuration', () => {
    expect(RoutingPolicies.parse(null, 'empty').policyFor({ taskType: 'lead.qualify' }, 'acme')).toEqual({ policy: 'cheapest', source: 'default' });
  });
});

describe('RoutingPolicies validation', () => {
  it.each([
    ['an unknown policy', { default: 'cheapest-ish' }, /default: /],
    ['an unknown policy for a task type', { byTaskType: { 'lead.qualify': 'smart' } }, /byTaskType\.lead\.qualify/],
    ['a bad task type pattern', { byTaskType: { 'Lead Qualify': 'cheapest' } }, /must be a task type \(lead\.qualify\) or a prefix pattern \(lead\.\*\)/],
    ['a wildcard in the middle', { byTaskType: { 'lead.*.web': 'cheapest' } }, /prefix pattern/],
    ['a misspelt section', { byTaskTypes: {} }, /byTaskTypes/],
    ['a tenant without a policy', { byTenant: { acme: null } }, /byTenant\.acme/],
  ])('rejects %s, naming the file and the field', (_name, raw, message) => {
    expect(() => RoutingPolicies.parse(raw, 'routing.yaml')).toThrow(RoutingConfigError);
    expect(() => RoutingPolicies.parse(raw, 'routing.yaml')).toThrow(/^invalid routing configuration routing\.yaml: /);
    expect(() => RoutingPolicies.parse(raw, 'routing.yaml')).toThrow(message);
  });
});

describe('RoutingPolicies.fromFile', () => {
  it('loads the repository configuration', () => {
    const repo = RoutingPolicies.fromFile(undefined, {});
    expect(repo.source).toMatch(/config[/\\]routing\.yaml$/);
    expect(repo.policyFor({ taskType: 'lead.qualify' }, 'acme').policy).toBe('cheapest');
  });

  it('reads the file named by the path, else by BATON_ROUTING_CONFIG', () => {
    const file = tempFile('default: fastest\n');
    expect(RoutingPolicies.fromFile(file, {}).policyFor({ taskType: 'x' }, 't').policy).toBe('fastest');
    expect(RoutingPolicies.fromFile(undefined, { [ROUTING_CONFIG_ENV]: file }).source).toBe(file);
  });

  it('fails naming a file that cannot be read or parsed', () => {
    expect(() => RoutingPolicies.fromFile('does/not/exist.yaml', {})).toThrow(/cannot read routing configuration .*exist\.yaml/);
    expect(() => RoutingPolicies.fromFile(tempFile('byTenant: [unclosed\n'), {})).toThrow(/is not valid YAML/);
    expect(() => RoutingPolicies.fromFile(tempFile('default: slowest\n'), {})).toThrow(/invalid routing configuration .*routing\.yaml: default/);
  });

  it('uses the built-in defaults when no file exists above the working directory', () => {
    const cwd = process.cwd();
    try {
      process.chdir(mkdtempSync(join(tmpdir(), 'baton-no-config-')));
      const none = RoutingPolicies.fromFile(undefined, {});
      expect(none.source).toBe('built-in defaults');
      expect(none.policyFor({ taskType: 'x' }, 't')).toEqual({ policy: 'cheapest', source: 'default' });
    } finally {
      process.chdir(cwd);
    }
  });
});
