/**
 * A port's methods, answered at once instead of through a promise: how an in-memory store that must run millions
 * of calls (the simulator's) implements a port, and what `jobOperations` builds over a synchronous transaction.
 */
export type Synchronous<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never;
};
