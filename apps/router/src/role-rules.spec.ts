import { AgentRole } from '@baton/contracts';
import { DEFAULT_INSTRUCTIONS, ROLE_RULES, chooseRole, instructionFor } from './role-rules';

describe('chooseRole', () => {
  it.each([
    ['lead.qualify', 'sales'],
    ['sales.forecast', 'sales'],
    ['crm.enrich', 'sales'],
    ['resume.screen', 'recruiting'],
    ['candidate.summarize', 'recruiting'],
    ['hiring.plan', 'recruiting'],
  ])('routes %s to %s', (taskType, role) => {
    expect(chooseRole(taskType)).toBe(role);
  });

  it('falls back to general for a type no rule matches', () => {
    expect(chooseRole('support.triage')).toBe('general');
    expect(chooseRole('misc')).toBe('general');
  });

  it('matches whole leading segments only, not any string prefix', () => {
    // `lead` alone and `leads.x` do not start with the `lead.` prefix.
    expect(chooseRole('lead')).toBe('general');
    expect(chooseRole('leads.import')).toBe('general');
    expect(chooseRole('support.lead.qualify')).toBe('general');
  });

  it('only names roles the contract knows', () => {
    for (const rule of ROLE_RULES) expect(AgentRole.options).toContain(rule.role);
  });
});

describe('instructionFor', () => {
  it("prefers the submitter's instruction", () => {
    expect(instructionFor('lead.qualify', 'Only say yes or no.')).toBe('Only say yes or no.');
  });

  it('uses the default of the task type when none is given', () => {
    expect(instructionFor('lead.qualify')).toBe(DEFAULT_INSTRUCTIONS['lead.qualify']);
    expect(instructionFor('resume.screen')).toMatch(/^Screen this resume/);
  });

  it('uses a generic instruction for a type without a default', () => {
    expect(instructionFor('crm.enrich')).toBe('Complete the task described in the input and answer concisely.');
  });

  it('does not mistake inherited object keys for task types', () => {
    expect(instructionFor('constructor')).toBe('Complete the task described in the input and answer concisely.');
  });
});
