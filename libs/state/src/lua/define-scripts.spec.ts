import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import { ALL_SCRIPTS, defineScripts } from './define-scripts';
import type { LuaScript } from './lua-script';

const SRC = path.join(__dirname, '..');

/** Every luaScript exported by a `<store>/*.scripts.ts` file. */
function exportedScripts(): { file: string; name: string; script: LuaScript<never, unknown> }[] {
  const files = readdirSync(SRC, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(path.join(SRC, d.name)).filter((f) => f.endsWith('.scripts.ts')).map((f) => path.join(d.name, f)));
  return files.flatMap((file) =>
    Object.entries(require(path.join(SRC, file)) as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'object' && v !== null && 'lua' in v && 'command' in v && 'run' in v)
      .map(([name, v]) => ({ file, name, script: v as LuaScript<never, unknown> })),
  );
}

describe('defineScripts', () => {
  it('registers every script a store folder exports, and nothing else', () => {
    const exported = exportedScripts();
    expect(exported.length).toBeGreaterThan(20);
    expect(exported.filter((e) => !ALL_SCRIPTS.includes(e.script)).map((e) => `${e.file}: ${e.name}`)).toEqual([]);
    expect(ALL_SCRIPTS.filter((s) => !exported.some((e) => e.script === s)).map((s) => s.command)).toEqual([]);
  });

  it('gives each script a command name of its own', () => {
    const names = ALL_SCRIPTS.map((s) => s.command);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('defines fixed-key scripts with their key count and variadic ones without', () => {
    const defined: [string, { numberOfKeys?: number; lua: string }][] = [];
    defineScripts({ defineCommand: (name: string, def: { numberOfKeys?: number; lua: string }) => defined.push([name, def]) } as unknown as Redis);
    expect(defined.map(([name]) => name)).toEqual(ALL_SCRIPTS.map((s) => s.command));
    for (const [name, def] of defined) {
      const script = ALL_SCRIPTS.find((s) => s.command === name)!;
      expect({ name, ...def }).toEqual(
        script.numberOfKeys === 'variadic' ? { name, lua: script.lua } : { name, numberOfKeys: script.numberOfKeys, lua: script.lua },
      );
    }
  });
});
