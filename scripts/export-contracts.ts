// `npm run contracts:export`: saves the example of every new event version (never
// overwriting one), then writes the JSON Schemas of every event, the topic map and the
// AsyncAPI document to docs/contracts/, generated from the zod contracts.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '@baton/stack';
import { EXAMPLES_DIR, contractDocs, contractsDir } from './contract-docs';
import { writeMissingExamples } from './contract-examples';

const out = contractsDir();
const examplesDir = path.join(out, EXAMPLES_DIR);
mkdirSync(examplesDir, { recursive: true });
for (const file of writeMissingExamples(examplesDir)) console.log(`saved the first example of ${file.replace(/\.json$/, '')}: ${path.relative(repoRoot(), path.join(examplesDir, file))}`);

// Only generated files are replaced: a schema of a removed event version must not linger, but the examples stay.
const docs = contractDocs();
rmSync(path.join(out, 'events'), { recursive: true, force: true });
for (const [rel, text] of Object.entries(docs)) {
  mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
  writeFileSync(path.join(out, rel), text);
}
console.log(`wrote ${Object.keys(docs).length} files to ${path.relative(repoRoot(), out)}`);
