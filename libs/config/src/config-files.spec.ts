import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findUpward, readYamlFile } from './config-files';

describe('findUpward', () => {
  it('finds the nearest match from a nested folder, and nothing where there is none', () => {
    const root = mkdtempSync(join(tmpdir(), 'baton-cfg-'));
    mkdirSync(join(root, 'config'));
    writeFileSync(join(root, 'config', 'x.yaml'), 'a: 1\n');
    const nested = join(root, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    expect(findUpward(join('config', 'x.yaml'), nested)).toBe(join(root, 'config', 'x.yaml'));
    expect(findUpward('no-such-file-anywhere.yaml', nested)).toBeUndefined();
  });
});

describe('readYamlFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-yaml-'));

  it('parses a YAML file', () => {
    writeFileSync(join(dir, 'ok.yaml'), 'name: x\nitems: [1, 2]\n');
    expect(readYamlFile(join(dir, 'ok.yaml'), 'thing')).toEqual({ name: 'x', items: [1, 2] });
  });

  it('says whether the file is missing or not YAML, naming what it is', () => {
    expect(() => readYamlFile(join(dir, 'missing.yaml'), 'routing configuration')).toThrow(/^cannot read routing configuration .*missing\.yaml/);
    writeFileSync(join(dir, 'bad.yaml'), 'a: [1, 2\n');
    expect(() => readYamlFile(join(dir, 'bad.yaml'), 'model catalog')).toThrow(/^model catalog .*bad\.yaml is not valid YAML/);
  });
});
