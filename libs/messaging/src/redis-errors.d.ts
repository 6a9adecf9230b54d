// Types of `redis-errors`, the error classes ioredis throws (it ships none). Only specs import
// it, to build Redis errors exactly as ioredis does without importing ioredis outside libs/state.
declare module 'redis-errors' {
  /** Base of every Redis error; `name` is the constructor's name. */
  export class RedisError extends Error {}
  /** An error reply of the server, e.g. `LOADING ...`, `READONLY ...`, `ERR ...`. */
  export class ReplyError extends RedisError {
    constructor(message: string);
  }
  /** A command given up on by the client (ioredis' MaxRetriesPerRequestError extends it). */
  export class AbortError extends RedisError {
    constructor(message: string);
  }
}
