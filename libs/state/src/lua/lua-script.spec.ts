import type { BatonRedis, LuaArg } from './lua-script';
import { luaScript } from './lua-script';

/** A stand-in client with one defined command that records its arguments and answers `reply`. */
function clientWith(command: string, reply: unknown): { redis: BatonRedis; calls: LuaArg[][] } {
  const calls: LuaArg[][] = [];
  const redis = { [command]: async (...args: LuaArg[]) => (calls.push(args), reply) } as unknown as BatonRedis;
  return { redis, calls };
}

const fixed = luaScript({
  command: 'testFixed',
  numberOfKeys: 2,
  lua: 'return 1',
  call: (i: { a: string; b: string; n: number }) => ({ keys: [i.a, i.b], argv: [i.n, 'x'] }),
  reply: (raw: [number, string]) => ({ ok: raw[0] === 1, text: raw[1] }),
});

const variadic = luaScript({
  command: 'testVariadic',
  numberOfKeys: 'variadic',
  lua: 'return 1',
  call: (i: { keys: string[] }) => ({ keys: i.keys, argv: [7] }),
  reply: (raw: number) => raw,
});

describe('luaScript', () => {
  it('sends KEYS then ARGV to the defined command and reads the reply', async () => {
    const { redis, calls } = clientWith('testFixed', [1, 'done']);
    await expect(fixed.run(redis, { a: 'k1', b: 'k2', n: 3 })).resolves.toEqual({ ok: true, text: 'done' });
    expect(calls).toEqual([['k1', 'k2', 3, 'x']]);
  });

  it('puts the key count first for a script whose input decides how many keys it takes', async () => {
    const { redis, calls } = clientWith('testVariadic', 5);
    await expect(variadic.run(redis, { keys: ['a', 'b', 'c'] })).resolves.toBe(5);
    await variadic.run(redis, { keys: [] });
    expect(calls).toEqual([
      [3, 'a', 'b', 'c', 7],
      [0, 7],
    ]);
  });

  it('refuses a wrapper that builds another number of keys than the script was defined with', async () => {
    const wrong = luaScript({ ...fixed, command: 'testFixed', call: () => ({ keys: ['only-one'], argv: [] }), reply: (raw: unknown) => raw });
    const { redis, calls } = clientWith('testFixed', 1);
    await expect(wrong.run(redis, {})).rejects.toThrow('testFixed takes 2 keys, got 1');
    expect(calls).toEqual([]);
  });

  it('names the command when the client was not made by defineScripts', async () => {
    await expect(fixed.run({} as BatonRedis, { a: 'k1', b: 'k2', n: 1 })).rejects.toThrow(/testFixed is not defined on this client/);
  });

  it('looks the command up on every run, so a wrapped command (a spec dropping one reply) is the one called', async () => {
    const { redis, calls } = clientWith('testVariadic', 1);
    const original = (redis as unknown as Record<string, (...args: LuaArg[]) => Promise<unknown>>)['testVariadic']!;
    (redis as unknown as Record<string, unknown>)['testVariadic'] = (...args: LuaArg[]) => original(...args, 'wrapped');
    await variadic.run(redis, { keys: ['a'] });
    expect(calls).toEqual([[1, 'a', 7, 'wrapped']]);
  });
});
