import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EVENT_DEFINITIONS, parseEvent } from '@baton/contracts';
import { EXAMPLES_DIR, contractsDir } from './contract-docs';
import { exampleFileName, readSavedExamples, writeMissingExamples } from './contract-examples';

// The saved examples are the record of what Baton once published. The current parsers must
// accept every one of them, and every event version must have one: a new version forces a
// new saved example, and dropping or narrowing an old version's parser fails here.
const saved = readSavedExamples(path.join(contractsDir(), EXAMPLES_DIR));

describe('saved example payloads', () => {
  it('exist for every event version in the contracts (npm run contracts:export saves a new one)', () => {
    const have = new Set(saved.map((e) => e.file));
    const missing = EVENT_DEFINITIONS.map((d) => exampleFileName(d.type, d.version)).filter((f) => !have.has(f));
    expect(missing).toEqual([]);
  });

  it.each(saved.map((e) => [e.file, e] as const))('%s is accepted by the current parser', (_file, example) => {
    expect(example.value).toMatchObject({ type: example.type, version: example.version });
    const event = parseEvent(example.value);
    expect({ type: event.type, version: event.version }).toEqual({ type: example.type, version: example.version });
  });
});

describe('writeMissingExamples', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'baton-examples-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one valid example per event version, and nothing on a second run', () => {
    const written = writeMissingExamples(dir);
    expect(written.sort()).toEqual(EVENT_DEFINITIONS.map((d) => exampleFileName(d.type, d.version)).sort());
    for (const file of written) expect(() => parseEvent(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))).not.toThrow();
    expect(writeMissingExamples(dir)).toEqual([]);
  });

  it('never rewrites an existing example, even one the current sample data would write differently', () => {
    const file = exampleFileName('task.submitted', 1);
    const frozen = '{"frozen": true}\n';
    writeFileSync(path.join(dir, file), frozen);
    const written = writeMissingExamples(dir);
    expect(written).not.toContain(file);
    expect(readFileSync(path.join(dir, file), 'utf8')).toBe(frozen);
    expect(readdirSync(dir)).toHaveLength(EVENT_DEFINITIONS.length);
  });

  it('refuses files that are not named <type>@<version>.json', () => {
    writeFileSync(path.join(dir, 'task.submitted.json'), '{}');
    expect(() => readSavedExamples(dir)).toThrow(/named <type>@<version>\.json/);
  });
});
