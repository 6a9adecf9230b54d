import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Where the saved record fixtures live: libs/state/fixtures. */
export const RECORD_FIXTURES_DIR = path.join(__dirname, '..', '..', 'fixtures');

/** `<kind>@<version>.json`, or `<kind>@<version>.<state>.json` for another state of the same layout. */
const FIXTURE_NAME = /^([a-z][a-z0-9-]*)@(\d+)(?:\.([a-z][a-z0-9-]*))?\.json$/;

/** The file name of a record fixture. */
export function recordFixtureFile(kind: string, version: number, variant?: string): string {
  return `${kind}@${version}${variant ? `.${variant}` : ''}.json`;
}

/** One saved fixture. */
export interface RecordFixture {
  file: string;
  kind: string;
  version: number;
  variant: string | undefined;
  /** What Redis held: a hash as field → text, JSON text parsed, a plain string as a JSON string. */
  value: unknown;
}

/** Every fixture in `dir`; throws on a file that is not named like one. */
export function readRecordFixtures(dir: string = RECORD_FIXTURES_DIR): RecordFixture[] {
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const m = FIXTURE_NAME.exec(file);
      if (!m) throw new Error(`${file}: record fixtures are named <kind>@<version>.json or <kind>@<version>.<state>.json`);
      const value = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown;
      return { file, kind: m[1] ?? '', version: Number(m[2]), variant: m[3], value };
    });
}
