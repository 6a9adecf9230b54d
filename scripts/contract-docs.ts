import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { allTopics, deadLetterTopic, eventJsonSchemas, EVENT_DEFINITIONS } from '@baton/contracts';
import { repoRoot } from '@baton/stack';
import { asyncApiYaml } from './asyncapi';
import { readSavedExamples, type SavedExample } from './contract-examples';

/** Where the published contracts live. */
export function contractsDir(): string {
  return path.join(repoRoot(), 'docs', 'contracts');
}

/** The saved examples (written once, never regenerated), which the generated files quote. */
export const EXAMPLES_DIR = 'examples';

/**
 * The generated files of `docs/contracts/`, by relative path: one JSON Schema per event
 * version, the topic map and the AsyncAPI document. The saved examples under `examples/`
 * are not generated; `examples` are quoted in the AsyncAPI document.
 */
export function contractDocs(examples: readonly SavedExample[] = readSavedExamples(path.join(contractsDir(), EXAMPLES_DIR))): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [key, schema] of Object.entries(eventJsonSchemas())) {
    files[`events/${key}.schema.json`] = JSON.stringify(schema, null, 2) + '\n';
  }
  const topics = EVENT_DEFINITIONS.map((d) => ({
    event: d.type,
    version: d.version,
    schema: `events/${d.type}@${d.version}.schema.json`,
  }));
  files['topics.json'] =
    JSON.stringify({ topics: allTopics().map((t) => ({ topic: t, deadLetter: deadLetterTopic(t), key: 'task id' })), events: topics }, null, 2) + '\n';
  const { version } = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
  files['asyncapi.yaml'] = asyncApiYaml({ version, examples });
  return files;
}
