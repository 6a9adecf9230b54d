// `npm run contracts:export`: writes the JSON Schemas of every event and the topic map
// to docs/contracts/, generated from the zod contracts.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '@baton/stack';
import { contractDocs } from './contract-docs';

const out = path.join(repoRoot(), 'docs', 'contracts');
rmSync(out, { recursive: true, force: true });
for (const [rel, text] of Object.entries(contractDocs())) {
  mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
  writeFileSync(path.join(out, rel), text);
}
console.log(`wrote ${Object.keys(contractDocs()).length} files to ${path.relative(repoRoot(), out)}`);
