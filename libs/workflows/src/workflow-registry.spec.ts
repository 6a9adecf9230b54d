import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InvalidWorkflowError, WorkflowNotFoundError, WorkflowRegistry } from './workflow-registry';

const shipped = path.join(__dirname, '..', '..', '..', 'workflows');

describe('WorkflowRegistry', () => {
  it('loads every shipped sample workflow, each a sound plan', () => {
    const reg = WorkflowRegistry.fromDir(shipped);
    expect(reg.list().map((w) => w.name).sort()).toEqual(['fraud-hold', 'lead-qualification', 'research-report', 'resume-screening']);
    const screening = reg.get('resume-screening');
    expect(screening.plan.resultStep).toBe('shortlist');
    // The two middle steps only depend on extraction, so they run in parallel.
    expect(screening.plan.steps.filter((s) => s.dependsOn?.join() === 'extract').map((s) => s.id)).toEqual(['score', 'fairness-check']);
  });

  it('gives every shipped workflow a sample task of one of its task types', () => {
    for (const wf of WorkflowRegistry.fromDir(shipped).list()) {
      expect(wf.sample?.input.text).toEqual(expect.any(String));
      expect(wf.taskTypes).toContain(wf.sample?.taskType);
    }
  });

  it('refuses a sample that is not a valid task input, naming the field', () => {
    const plan = 'plan:\n  steps:\n    - { id: a, role: general, instruction: i }\n';
    expect(() => WorkflowRegistry.fromDir(dirWith('s.yaml', `name: s\ndescription: d\n${plan}sample:\n  taskType: a.b\n  input: { text: '' }\n`))).toThrow(
      /s\.yaml: .*sample\.input\.text/,
    );
    expect(() => WorkflowRegistry.fromDir(dirWith('s.yaml', `name: s\ndescription: d\n${plan}sample:\n  taskType: Not A Type\n  input: { text: x }\n`))).toThrow(
      /sample\.taskType/,
    );
    const ok = WorkflowRegistry.fromDir(dirWith('s.yaml', `name: s\ndescription: d\n${plan}sample:\n  taskType: a.b\n  input: { text: x, data: { n: 1 } }\n`));
    expect(ok.get('s').sample).toEqual({ taskType: 'a.b', input: { text: 'x', data: { n: 1 } } });
  });

  it('names unknown workflows and what is known', () => {
    const reg = WorkflowRegistry.fromDir(shipped);
    expect(reg.has('nope')).toBe(false);
    expect(() => reg.get('nope')).toThrow(WorkflowNotFoundError);
    expect(() => reg.get('nope')).toThrow(/known: fraud-hold, lead-qualification/);
  });

  function dirWith(file: string, text: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-wf-'));
    writeFileSync(path.join(dir, file), text);
    return dir;
  }

  it('refuses a file whose plan has a cycle, naming the file', () => {
    const dir = dirWith(
      'loop.yaml',
      'name: loop\ndescription: d\nplan:\n  steps:\n    - { id: a, role: general, instruction: x, dependsOn: [b] }\n    - { id: b, role: general, instruction: y, dependsOn: [a] }\n',
    );
    expect(() => WorkflowRegistry.fromDir(dir)).toThrow(new InvalidWorkflowError('loop.yaml', 'the steps depend on each other in a cycle'));
  });

  it('refuses a schema-invalid file and a name that does not match the file', () => {
    expect(() => WorkflowRegistry.fromDir(dirWith('bad.yaml', 'name: bad\nplan: {}\n'))).toThrow(/bad\.yaml: .*description/);
    expect(() =>
      WorkflowRegistry.fromDir(dirWith('x.yaml', 'name: y\ndescription: d\nplan:\n  steps:\n    - { id: a, role: general, instruction: i }\n')),
    ).toThrow(/must match the file name x/);
  });
});
