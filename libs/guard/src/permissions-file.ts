import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findUpward } from '@baton/config';
import { parsePermissionPolicy, type PermissionPolicy, type PolicyParseOptions } from './permissions';

/**
 * Reads the tool permission policy from `file`, else BATON_PERMISSIONS, else
 * config/permissions.yaml found upward from the working folder. With `tools`, every rule
 * is checked against the registered tools. Throws naming the file and every problem.
 */
export function loadPermissionPolicy(file: string | undefined = process.env['BATON_PERMISSIONS'], opts: PolicyParseOptions = {}): PermissionPolicy {
  const path = file ? resolve(file) : findUpward(join('config', 'permissions.yaml'));
  if (!path) throw new Error('cannot find config/permissions.yaml: set BATON_PERMISSIONS to the tool permission policy');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the tool permission policy ${path}: ${(err as Error).message}`);
  }
  try {
    return parsePermissionPolicy(text, opts);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}

/** Tools a role could ever be allowed to call under the policy: what an agent offers its model. */
export function toolsForRole(policy: PermissionPolicy, role: string): string[] {
  const names = policy.rules.filter((r) => r.roles.includes('*') || (r.roles as readonly string[]).includes(role)).map((r) => r.tool);
  return [...new Set(names)];
}
