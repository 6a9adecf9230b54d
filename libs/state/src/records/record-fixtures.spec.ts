import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readRecordFixtures, recordFixtureFile } from '../testing/record-fixtures';
import { STATE_RECORDS, currentRecordVersion } from './registry';

// The saved fixtures are the record of what the stores once wrote to Redis, and Redis keeps
// records longer than a release lives. Each must still match its version's schema and be
// read by the store's current reader; every record version must have one.
const saved = readRecordFixtures();
const kinds = [...new Set(STATE_RECORDS.map((r) => r.kind))];

describe('saved record fixtures', () => {
  it('exist for every record version (<kind>@<version>.json)', () => {
    const have = new Set(saved.map((f) => f.file));
    const missing = STATE_RECORDS.map((r) => recordFixtureFile(r.kind, r.version)).filter((f) => !have.has(f));
    expect(missing).toEqual([]);
  });

  it('each name a record version the registry lists', () => {
    const known = new Set(STATE_RECORDS.map((r) => `${r.kind}@${r.version}`));
    expect(saved.map((f) => `${f.kind}@${f.version}`).filter((k) => !known.has(k))).toEqual([]);
  });

  it.each(saved.map((f) => [f.file, f] as const))('%s matches the schema of its version and is read by the current reader', (_file, fixture) => {
    const def = STATE_RECORDS.find((r) => r.kind === fixture.kind && r.version === fixture.version)!;
    const parsed = def.schema.safeParse(fixture.value);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const read = currentRecordVersion(fixture.kind).read;
    if (read) expect(() => read(fixture.value)).not.toThrow();
  });
});

describe('the record registry', () => {
  it('numbers each kind\'s versions 1, 2, ... in order', () => {
    for (const kind of kinds) {
      expect([kind, STATE_RECORDS.filter((r) => r.kind === kind).map((r) => r.version)]).toEqual([
        kind,
        STATE_RECORDS.filter((r) => r.kind === kind).map((_, i) => i + 1),
      ]);
    }
  });
});

describe('the record schemas are strict about the layout', () => {
  const fixture = (file: string): Record<string, unknown> => saved.find((f) => f.file === file)!.value as Record<string, unknown>;
  const schema = (kind: string) => currentRecordVersion(kind).schema;

  it('refuse a field the layout does not have', () => {
    expect(schema('task').safeParse({ ...fixture('task@1.json'), priority: 'high' }).success).toBe(false);
    expect(schema('escalation').safeParse({ ...fixture('escalation@1.json'), assignee: 'dana' }).success).toBe(false);
    expect(schema('breaker').safeParse({ ...fixture('breaker@1.json'), halfOpen: '1' }).success).toBe(false);
  });

  it('refuse a field that is not what the scripts write', () => {
    expect(schema('task').safeParse({ ...fixture('task@1.json'), history: '[]' }).success).toBe(false);
    expect(schema('task').safeParse({ ...fixture('task@1.json'), published: 'true' }).success).toBe(false);
    expect(schema('escalation').safeParse({ ...fixture('escalation@1.json'), bundle: '{' }).success).toBe(false);
    expect(schema('budget-reservation').safeParse({ ...fixture('budget-reservation@1.json'), covered: '2' }).success).toBe(false);
    expect(schema('budget-reservation').safeParse({ ...fixture('budget-reservation@1.reserved.json'), outcome: 'ok 1' }).success).toBe(false);
    expect(schema('tool-run').safeParse('done {"value":1}').success).toBe(false);
  });

  it('require what each state of a reservation always has', () => {
    const { expiresAt: _dropped, ...reserved } = fixture('budget-reservation@1.reserved.json');
    expect(schema('budget-reservation').safeParse(reserved).success).toBe(false);
    const { settledBy: _gone, ...settled } = fixture('budget-reservation@1.json');
    expect(schema('budget-reservation').safeParse(settled).success).toBe(false);
  });
});

describe('readRecordFixtures', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'baton-records-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads kind, version and state from the file name', () => {
    writeFileSync(path.join(dir, 'task@2.json'), '{}');
    writeFileSync(path.join(dir, 'budget-reservation@1.released-then-settled.json'), '{}');
    expect(readRecordFixtures(dir).map(({ kind, version, variant }) => ({ kind, version, variant }))).toEqual([
      { kind: 'budget-reservation', version: 1, variant: 'released-then-settled' },
      { kind: 'task', version: 2, variant: undefined },
    ]);
  });

  it('refuses files that are not named <kind>@<version>[.<state>].json', () => {
    writeFileSync(path.join(dir, 'task.json'), '{}');
    expect(() => readRecordFixtures(dir)).toThrow(/named <kind>@<version>\.json/);
  });
});
