import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { EVENT_DEFINITIONS } from '@baton/contracts';
import { EXAMPLES_DIR, contractDocs } from './contract-docs';

const docsDir = path.join(__dirname, '..', 'docs', 'contracts');

describe('published contract docs', () => {
  const docs = contractDocs();

  it('has one JSON Schema per event version', () => {
    const schemas = Object.keys(docs).filter((f) => f.startsWith('events/'));
    expect(schemas).toHaveLength(EVENT_DEFINITIONS.length);
    const submitted = JSON.parse(docs['events/task.submitted@1.schema.json']) as { properties: Record<string, unknown> };
    expect(Object.keys(submitted.properties)).toEqual(expect.arrayContaining(['eventId', 'tenantId', 'taskId', 'data']));
  });

  it('has the AsyncAPI document', () => {
    expect(docs['asyncapi.yaml']).toMatch(/^asyncapi: 3\.0\.0$/m);
  });

  it('matches what is committed under docs/contracts (run npm run contracts:export after a contract change)', () => {
    // The saved examples are written once and never generated again: contract-examples.spec.ts checks them.
    const committed = readdirSync(docsDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(docsDir, path.join(e.parentPath, e.name)))
      .filter((rel) => !rel.startsWith(`${EXAMPLES_DIR}${path.sep}`))
      .sort();
    expect(committed).toEqual(Object.keys(docs).sort());
    for (const [rel, text] of Object.entries(docs)) expect(readFileSync(path.join(docsDir, rel), 'utf8')).toBe(text);
  });
});
