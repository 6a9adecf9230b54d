import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './stack';

describe('repoRoot', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'baton-repo-root-'));
  });

  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the folder holding nx.json from a folder nested below it', () => {
    writeFileSync(path.join(tmp, 'nx.json'), '{}');
    const nested = path.join(tmp, 'dist', 'libs', 'stack', 'src');
    mkdirSync(nested, { recursive: true });
    expect(repoRoot(nested)).toBe(tmp);
    expect(repoRoot(tmp)).toBe(tmp);
  });

  it('stops at the nearest nx.json', () => {
    writeFileSync(path.join(tmp, 'nx.json'), '{}');
    const inner = path.join(tmp, 'vendor', 'other-workspace');
    mkdirSync(path.join(inner, 'src'), { recursive: true });
    writeFileSync(path.join(inner, 'nx.json'), '{}');
    expect(repoRoot(path.join(inner, 'src'))).toBe(inner);
  });

  it('defaults to the root of this repository', () => {
    expect(existsSync(path.join(repoRoot(), 'nx.json'))).toBe(true);
    expect(repoRoot()).toBe(path.resolve(__dirname, '..', '..', '..'));
  });

  it('throws an error naming the start folder when no folder above holds nx.json', () => {
    // The test relies on the temp folder's ancestors holding no nx.json; say so if one does.
    const ancestors = tmp.split(path.sep).map((_, i, parts) => parts.slice(0, i + 1).join(path.sep) || path.sep);
    expect(ancestors.filter((dir) => existsSync(path.join(dir, 'nx.json')))).toEqual([]);

    const nested = path.join(tmp, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    expect(() => repoRoot(nested)).toThrow(`cannot find the repository root (nx.json) above ${nested}`);
  });
});
