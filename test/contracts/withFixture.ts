/** A fixture a contract test opens fresh and closes after itself. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Wraps a contract test: each run opens a fresh fixture and closes it afterwards, also when the test fails. Use it as
 * `const withQueue = withFixture(open)` and `it('…', withQueue(async (fixture) => { … }))`.
 */
export function withFixture<F extends Closable>(open: () => Promise<F>) {
  return (test: (fixture: F) => Promise<void>) => async () => {
    const fixture = await open();
    try {
      await test(fixture);
    } finally {
      await fixture.close();
    }
  };
}
