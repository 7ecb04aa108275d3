import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { describeBlockRunDriverContract } from '../../test/contracts/blockRunDriver.contract.js';
import { embeddedHarness } from '../../test/support/embeddedHarness.js';

// No agents: nothing proves the jobs, so a run waits in its prove state until the test signals it.
describeBlockRunDriverContract('embedded (in-process walk)', async () => {
  const harness = embeddedHarness({ agents: { heavy: 0, light: 0 } });
  let nextBlock = 1n;
  return {
    driver: harness.driver,
    store: harness.store,
    artifacts: harness.artifacts,
    async newRequest() {
      const blockNumber = nextBlock++;
      return harness.reveal(blockNumber, syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 1 }, seed: `driver-${blockNumber}` }));
    },
    async untilProving(request) {
      await harness.waitForRun(request.runId, (run) => run.state === 'proving' && run.revealedIn === request.revealedIn);
    },
    async ended(request) {
      return !harness.driver.walking.has(request.runId);
    },
    close: () => harness.close(),
  };
});
