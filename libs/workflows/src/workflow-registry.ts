import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { findUpward, readYamlFile } from '@baton/config';
import { Plan, TaskInput, TaskType, describeIssues } from '@baton/contracts';
import { planProblems } from './plan-graph';

/** A typical task for a workflow: what the demo submits and `baton simulate` runs. */
export const WorkflowSample = z.object({
  /** Task type the sample is submitted as. */
  taskType: TaskType,
  /** The sample's input, as a task carries it. */
  input: TaskInput,
});
export type WorkflowSample = z.infer<typeof WorkflowSample>;

/** A declarative workflow: a named plan that tasks can ask for. */
export const WorkflowDefinition = z.object({
  /** Name tasks use (`workflow` field); must match the file name. */
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** What it does; the default instruction of its tasks. */
  description: z.string().min(1),
  /** Task types it is meant for (documentation and the demo). */
  taskTypes: z.array(TaskType).optional(),
  /** The steps. */
  plan: Plan,
  /** A typical task for it, when the file gives one. */
  sample: WorkflowSample.optional(),
});
export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;

/** A task asked for a workflow that does not exist. */
export class WorkflowNotFoundError extends Error {
  constructor(name: string, known: string[]) {
    super(`no workflow named ${name} (known: ${known.join(', ') || 'none'})`);
    this.name = 'WorkflowNotFoundError';
  }
}

/** A workflow file that cannot be used; names the file and every problem. */
export class InvalidWorkflowError extends Error {
  constructor(file: string, problems: string) {
    super(`${file}: ${problems}`);
    this.name = 'InvalidWorkflowError';
  }
}

/** Parses and checks one workflow definition; throws InvalidWorkflowError naming `source`. */
export function parseWorkflow(source: string, value: unknown): WorkflowDefinition {
  const r = WorkflowDefinition.safeParse(value);
  if (!r.success) throw new InvalidWorkflowError(source, describeIssues(r.error.issues));
  const problems = planProblems(r.data.plan);
  if (problems.length) throw new InvalidWorkflowError(source, problems.join('; '));
  return r.data;
}

function defaultDir(): string {
  if (process.env.BATON_WORKFLOWS_DIR) return process.env.BATON_WORKFLOWS_DIR;
  const found = findUpward('workflows');
  if (!found) throw new Error('no workflows/ folder found above the working directory; set BATON_WORKFLOWS_DIR');
  return found;
}

/** The workflows in a folder (`*.yaml` / `*.yml`), loaded and checked once. */
export class WorkflowRegistry {
  private constructor(private readonly byName: ReadonlyMap<string, WorkflowDefinition>) {}

  /** Loads every workflow in `dir` (default: BATON_WORKFLOWS_DIR, else the repository's workflows/). */
  static fromDir(dir: string = defaultDir()): WorkflowRegistry {
    const defs = new Map<string, WorkflowDefinition>();
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const def = parseWorkflow(file, readYamlFile(path.join(dir, file), 'workflow'));
      const stem = file.replace(/\.ya?ml$/, '');
      if (def.name !== stem) throw new InvalidWorkflowError(file, `name ${def.name} must match the file name ${stem}`);
      defs.set(def.name, def);
    }
    return new WorkflowRegistry(defs);
  }

  /** A registry of given definitions (tests). */
  static of(defs: WorkflowDefinition[]): WorkflowRegistry {
    return new WorkflowRegistry(new Map(defs.map((d) => [d.name, parseWorkflow(d.name, d)])));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The workflow; throws WorkflowNotFoundError. */
  get(name: string): WorkflowDefinition {
    const def = this.byName.get(name);
    if (!def) throw new WorkflowNotFoundError(name, [...this.byName.keys()]);
    return def;
  }

  list(): WorkflowDefinition[] {
    return [...this.byName.values()];
  }
}
