import type { Redis } from 'ioredis';

/*
 * Every multi-key or read-modify-write operation is one Lua script, so it is atomic.
 * ioredis runs them with EVALSHA and falls back to EVAL when Redis lost its script
 * cache (restart, SCRIPT FLUSH).
 *
 * ioredis re-sends a command whose reply was lost to a reconnect, so the same script can
 * run twice. Each mutating script is therefore idempotent, and the ones whose answer a
 * caller acts on (applied or not) also remember the caller's operation id: the re-sent
 * run then answers as the first run did instead of "no change", which would make the
 * caller skip the follow-up (publishing the next event) for a change that did happen.
 *
 * Each script lives in the folder of the store that runs it, with its typed wrapper: the
 * wrapper takes named inputs and is the one place that knows which KEYS and ARGV position
 * means what, and which reply position answers what.
 */

declare const scriptsDefined: unique symbol;

/** An ioredis client with Baton's scripts defined (see defineScripts). */
export type BatonRedis = Redis & { readonly [scriptsDefined]: true };

/** A value Lua receives in ARGV; ioredis sends a number as its decimal text. */
export type LuaArg = string | number;

/** KEYS and ARGV of one run, in the order the Lua text reads them. */
export interface LuaCall {
  keys: readonly string[];
  argv: readonly LuaArg[];
}

/** What a script is made of; see luaScript. */
export interface LuaScriptSpec<In, Raw, Out> {
  /** The ioredis command name it is defined under; kept stable (specs wrap commands by name). */
  command: string;
  /** How many KEYS it takes; `variadic` when the input decides (the key count then goes first). */
  numberOfKeys: number | 'variadic';
  /** The Lua text. */
  lua: string;
  /** Named input → KEYS and ARGV. */
  call(input: In): LuaCall;
  /** The script's reply → a named result. */
  reply(raw: Raw): Out;
}

/** A Lua script with its typed wrapper. */
export interface LuaScript<In, Out> {
  readonly command: string;
  readonly numberOfKeys: number | 'variadic';
  readonly lua: string;
  /** KEYS and ARGV for an input (exposed for specs). */
  call(input: In): LuaCall;
  /** Runs the script on a client made by defineScripts. */
  run(redis: BatonRedis, input: In): Promise<Out>;
}

/** Defines a script and its wrapper; register it in defineScripts. */
export function luaScript<In, Raw, Out>(spec: LuaScriptSpec<In, Raw, Out>): LuaScript<In, Out> {
  const { command, numberOfKeys, lua } = spec;
  return {
    command,
    numberOfKeys,
    lua,
    call: (input) => spec.call(input),
    async run(redis, input) {
      const { keys, argv } = spec.call(input);
      if (numberOfKeys !== 'variadic' && keys.length !== numberOfKeys) {
        throw new Error(`${command} takes ${numberOfKeys} keys, got ${keys.length}`);
      }
      // Looked up on every run, not captured: the command is the client's own property.
      const fn = (redis as unknown as Record<string, unknown>)[command];
      if (typeof fn !== 'function') throw new Error(`${command} is not defined on this client (create it with defineScripts)`);
      const args = numberOfKeys === 'variadic' ? [keys.length, ...keys, ...argv] : [...keys, ...argv];
      const raw = (await (fn as (...args: LuaArg[]) => Promise<unknown>).apply(redis, args)) as Raw;
      return spec.reply(raw);
    },
  };
}

/** A numeric text reply (a micro-dollar total), 0 when absent. */
export function replyNumber(text: string | null | undefined): number {
  return text ? Number(text) : 0;
}
