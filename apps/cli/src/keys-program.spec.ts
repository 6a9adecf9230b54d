import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { ApiKeyTable, parseApiKeysFile } from '@baton/api-keys';
import { runProgram } from './testing/run-program';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('baton keys new', () => {
  it('prints a new key and the entry that lets the gateway identify it', async () => {
    const r = await runProgram(['keys', 'new', '--id', 'acme-dana', '--tenant', 'acme', '--role', 'reviewer', '--role', 'viewer']);
    expect(r.code).toBe(0);
    const key = r.out.match(/^ {2}(baton_[A-Za-z0-9_-]{43})$/m)?.[1];
    expect(key).toBeDefined();
    const entry = r.out.slice(r.out.indexOf('  - id:'));
    const entries = parseApiKeysFile(parse(`version: 1\nkeys:\n${entry}\n`), 'printed entry');
    expect(entries).toEqual([{ id: 'acme-dana', tenant: 'acme', roles: ['reviewer', 'viewer'], sha256: sha(key!) }]);
    expect(ApiKeyTable.of(entries).identify(key)).toEqual({ keyId: 'acme-dana', tenant: 'acme', roles: ['reviewer', 'viewer'] });
    // The key is printed once, and the entry holds only its digest.
    expect(r.out.split(key!)).toHaveLength(2);
    expect(entry).not.toContain(key!);
  });

  it('prints {key, entry} as JSON with --json; every run mints another key', async () => {
    const runs = await Promise.all([1, 2].map(() => runProgram(['keys', 'new', '--id', 'acme-crm', '--tenant', 'acme', '--role', 'submitter', '--json'])));
    const [a, b] = runs.map((r) => JSON.parse(r.out) as { key: string; entry: { sha256: string } });
    expect(a.entry).toEqual({ id: 'acme-crm', tenant: 'acme', roles: ['submitter'], sha256: sha(a.key) });
    expect(b.key).not.toBe(a.key);
  });

  it('refuses a role that does not exist, naming the choices', async () => {
    const r = await runProgram(['keys', 'new', '--id', 'acme-x', '--tenant', 'acme', '--role', 'approver']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/argument 'approver' is invalid\. Allowed choices are submitter, reviewer, viewer, admin/);
  });

  it('refuses an id or tenant the gateway would refuse, before printing any key', async () => {
    const r = await runProgram(['keys', 'new', '--id', 'Dana Smith', '--tenant', 'acme', '--role', 'viewer']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^baton: cannot mint that key: id: must be 1 to 64 lowercase letters/);
    expect(r.out).toBe('');
    expect((await runProgram(['keys', 'new', '--id', 'x', '--tenant', 'Acme Corp', '--role', 'viewer'])).err).toMatch(/cannot mint that key: tenant: /);
  });

  it('needs --id, --tenant and at least one --role', async () => {
    expect((await runProgram(['keys', 'new', '--tenant', 'acme', '--role', 'viewer'])).err).toMatch(/required option '--id <id>' not specified/);
    expect((await runProgram(['keys', 'new', '--id', 'a', '--role', 'viewer'])).err).toMatch(/required option '--tenant <tenant>' not specified/);
    expect((await runProgram(['keys', 'new', '--id', 'a', '--tenant', 'acme'])).err).toMatch(/required option '--role <role\.\.\.>' not specified/);
  });
});
