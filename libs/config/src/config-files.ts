import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * The nearest `relative` path in `from` or one of its parents, or undefined. Services and
 * tests may start in a subfolder and still find the repository's files.
 */
export function findUpward(relative: string, from: string = process.cwd()): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Reads and parses a YAML file; `what` names it in the error ("model catalog", ...).
 * Throws an Error saying whether the file could not be read or is not valid YAML;
 * validating the content is the caller's business.
 */
export function readYamlFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
  try {
    return parseYaml(text) as unknown;
  } catch (err) {
    throw new Error(`${what} ${file} is not valid YAML: ${(err as Error).message}`);
  }
}
