import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebateSpec } from '@baton/contracts';
import { ROUTING_CONFIG_ENV, RoutingConfigError, RoutingPolicies, matchTaskType } from './routing-config';

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
    ['an unknown pattern', { patterns: { default: 'workflow' } }, /patterns\.default: /],
    ['an unknown pattern for a task type', { patterns: { byTaskType: { 'fraud.review': 'vote' } } }, /patterns\.byTaskType\.fraud\.review/],
    ['a bad task type in patterns', { patterns: { byTaskType: { 'Fraud Review': 'debate' } } }, /patterns\.byTaskType\.Fraud Review: must be a task type/],
    ['a content rule that is not a regular expression', { patterns: { contentRules: [{ match: '(unclosed', pattern: 'debate', why: 'x' }] } }, /patterns\.contentRules\.0\.match: not a valid regular expression/],
    ['a content rule without a reason', { patterns: { contentRules: [{ match: 'x', pattern: 'debate' }] } }, /patterns\.contentRules\.0\.why/],
    ['a misspelt classifier setting', { patterns: { classifier: { enable: true } } }, /patterns\.classifier/],
    ['a classifier switch that is not a boolean', { patterns: { classifier: { enabled: 'yes' } } }, /patterns\.classifier\.enabled/],
    ['a debate of one', { debates: { byTaskType: { 'fraud.review': { participants: [{ role: 'risk' }], choices: ['a', 'b'] } } } }, /debates\.byTaskType\.fraud\.review\.participants/],
    ['a debate with the same choice twice', { debates: { byTaskType: { 'fraud.review': { participants: [{ role: 'risk' }, { role: 'general' }], choices: ['a', 'a'] } } } }, /fraud\.review\.choices: debate choices must be distinct/],
    ['a debate participant with a model', { debates: { byTaskType: { x: { participants: [{ role: 'risk', model: 'sim-mini' }, { role: 'general' }], choices: ['a', 'b'] } } } }, /participants\.0/],
    ['a judge among the voters', { debates: { byTaskType: { x: { participants: [{ role: 'judge' }, { role: 'general' }], choices: ['a', 'b'] } } } }, /participants\.0\.role/],
    ['a quorum rule without a quorum', { debates: { byTaskType: { x: { participants: [{ role: 'risk' }, { role: 'general' }], choices: ['a', 'b'], rule: 'quorum' } } } }, /debates\.byTaskType\.x\.quorum: the quorum rule needs a quorum/],
    ['a default quorum above the voters', { debates: { default: { voters: 3, rule: 'quorum', quorum: 4 } } }, /debates\.default\.quorum: the quorum rule needs a quorum no larger than the number of voters/],
    ['a default debate of one voter', { debates: { default: { voters: 1 } } }, /debates\.default\.voters/],
    ['a hand-off to an unknown role', { handoffs: { byTaskType: { 'support.*': ['billing'] } } }, /handoffs\.byTaskType\.support\.\*\.0/],
    ['a hand-off to the planner', { handoffs: { byTaskType: { 'support.*': ['planner'] } } }, /handoffs\.byTaskType\.support\.\*\.0/],
    ['the same hand-off role twice', { handoffs: { byTaskType: { 'support.*': ['sales', 'sales'] } } }, /hand-off roles must be distinct/],
    ['hand-offs without byTaskType', { handoffs: { 'support.*': ['sales'] } }, /handoffs: /],
  ])('rejects %s, naming the file and the field', (_name, raw, message) => {
    expect(() => RoutingPolicies.parse(raw, 'routing.yaml')).toThrow(RoutingConfigError);
    expect(() => RoutingPolicies.parse(raw, 'routing.yaml')).toThrow(/^invalid routing configuration routing\.yaml: /);
    expect(() => RoutingPolicies.parse(raw, 'routing.yaml')).toThrow(message);
  });
});

describe('matchTaskType', () => {
  const rules = { 'lead.qualify': 1, 'lead.*': 2, 'lead.inbound.*': 3 };

  it('finds the exact type, else the longest family, with the key it matched', () => {
    expect(matchTaskType(rules, 'lead.qualify')).toEqual({ key: 'lead.qualify', value: 1 });
    expect(matchTaskType(rules, 'lead.inbound.web')).toEqual({ key: 'lead.inbound.*', value: 3 });
    expect(matchTaskType(rules, 'lead.inbound')).toEqual({ key: 'lead.*', value: 2 });
    expect(matchTaskType(rules, 'lead')).toBeUndefined();
    expect(matchTaskType(rules, 'constructor')).toBeUndefined();
  });
});

describe('RoutingPolicies patterns, debates and hand-offs', () => {
  const config = RoutingPolicies.parse(
    {
      patterns: { byTaskType: { 'fraud.review': 'debate' }, contentRules: [{ match: 'compare', pattern: 'debate', why: 'compare options' }], classifier: { enabled: true } },
      debates: {
        default: { voters: 5, choices: ['approve', 'reject'], rule: 'quorum', quorum: 3, onTie: 'human' },
        byTaskType: { 'fraud.*': { participants: [{ role: 'risk', weight: 2 }, { role: 'compliance' }], choices: ['hold', 'release'], rule: 'weighted' } },
      },
      handoffs: { byTaskType: { 'support.*': ['sales', 'compliance'], 'support.billing': ['compliance'] } },
    },
    'test',
  );

  it('fills the pattern defaults around what is configured', () => {
    expect(config.patterns.default).toBe('single');
    expect(config.patterns.classifier).toEqual({ enabled: true });
    expect(config.patterns.contentRules[0]?.match.flags).toBe('i');
  });

  it('gives a configured debate, its rule and tie-break defaulted, for the type or its family', () => {
    const debate = config.debateFor('fraud.review', 'general');
    expect(debate).toEqual({ participants: [{ role: 'risk', weight: 2 }, { role: 'compliance' }], choices: ['hold', 'release'], rule: 'weighted', onTie: 'judge' });
    expect(DebateSpec.safeParse(debate).success).toBe(true);
  });

  it("makes the default debate of the task's own role", () => {
    const debate = config.debateFor('lead.qualify', 'sales');
    expect(debate).toEqual({ participants: Array.from({ length: 5 }, () => ({ role: 'sales' })), choices: ['approve', 'reject'], rule: 'quorum', quorum: 3, onTie: 'human' });
    expect(DebateSpec.safeParse(debate).success).toBe(true);
  });

  it('defaults to three voters choosing yes or no by majority, the judge breaking ties', () => {
    expect(RoutingPolicies.parse(null, 'empty').debateFor('x.y', 'general')).toEqual({
      participants: [{ role: 'general' }, { role: 'general' }, { role: 'general' }],
      choices: ['yes', 'no'],
      rule: 'majority',
      onTie: 'judge',
    });
  });

  it('gives the hand-off roles of the type or its family, none otherwise', () => {
    expect(config.handoffsFor('support.triage')).toEqual(['sales', 'compliance']);
    expect(config.handoffsFor('support.billing')).toEqual(['compliance']);
    expect(config.handoffsFor('lead.qualify')).toEqual([]);
  });

  it('has no rules, a single default and the classifier off for an empty configuration', () => {
    const empty = RoutingPolicies.parse(null, 'empty');
    expect(empty.patterns).toEqual({ default: 'single', byTaskType: {}, contentRules: [], classifier: { enabled: false } });
    expect(empty.handoffsFor('support.triage')).toEqual([]);
  });
});

describe('RoutingPolicies.fromFile', () => {
  it('loads the repository configuration', () => {
    const repo = RoutingPolicies.fromFile(undefined, {});
    expect(repo.source).toMatch(/config[/\\]routing\.yaml$/);
    expect(repo.policyFor({ taskType: 'lead.qualify' }, 'acme').policy).toBe('cheapest');
    // Routing never needs a model call unless someone turns the classifier on.
    expect(repo.patterns.classifier.enabled).toBe(false);
    expect(repo.patterns.default).toBe('single');
    expect(DebateSpec.safeParse(repo.debateFor('fraud.review', 'general')).success).toBe(true);
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
