/** Lets pending callbacks run: `turns` turns of the event loop (code waiting on a manual clock stays waiting). */
export async function flush(turns = 40): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The value of `promise` once it settles within `turns` turns of the event loop, with the manual clock standing still;
 * otherwise it fails at once: the code waits for something that will not come (a sleep nobody advances).
 */
export async function settled<T>(promise: Promise<T>, turns = 200): Promise<T> {
  let outcome: { value: T } | { error: unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  for (let i = 0; i < turns && !outcome; i++) await new Promise((resolve) => setImmediate(resolve));
  if (!outcome) throw new Error(`still pending after ${turns} turns of the event loop`);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
