/**
 * Nest injection tokens that carry the type of what they name. A token is a unique symbol
 * (no two services' strings can collide), and the providers below check, at compile time,
 * that what is registered under a token is of its type; `@Inject(TOKEN)` then names a
 * value whose type the token states (`Provided<typeof TOKEN>`).
 */
export type Token<T> = symbol & { readonly __provides?: T };

/** A new token for values of type T; `description` shows in Nest's errors. */
export function token<T>(description: string): Token<T> {
  return Symbol(description) as Token<T>;
}

/** The type a token names. */
export type Provided<K> = K extends Token<infer T> ? T : never;

/** A class Nest builds and injects by itself. */
type ClassToken<T> = abstract new (...args: never[]) => T;
/** What a factory may depend on: another typed token, or a class Nest builds. */
type Dependency<T> = Token<T> | ClassToken<T>;

/** A value registered under its token, type-checked. */
export function valueProvider<T>(provide: Token<T>, useValue: T): { provide: Token<T>; useValue: T } {
  return { provide, useValue };
}

/** A factory registered under its token: its result and each of its dependencies type-checked. */
export function factoryProvider<T, A extends unknown[] = []>(
  provide: Token<T>,
  useFactory: (...deps: A) => T | Promise<T>,
  inject?: { [K in keyof A]: Dependency<A[K]> },
): { provide: Token<T>; useFactory: (...deps: A) => T | Promise<T>; inject: Array<symbol | ClassToken<unknown>> } {
  return { provide, useFactory, inject: [...((inject ?? []) as ReadonlyArray<symbol | ClassToken<unknown>>)] };
}
