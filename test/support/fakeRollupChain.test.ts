import { createWalletClient, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { signDevelopmentAttestation } from '../../l1/attestation/signDevelopmentAttestation.js';
import { describeRollupChainContract } from '../contracts/rollupChain.contract.js';
import { slotAt, slotSchedule } from '../../core/protocol/slotSchedule.js';
import { FAKE_PARAMETERS, fakeRollupChain } from './fakeRollupChain.js';
import { TEST_PROVER_KEY } from './embeddedHarness.js';

// The orchestration tests trust the fake to behave as the contract does: it must pass the same suite as the real chain.
describeRollupChainContract('the test double (fakeRollupChain)', async () => {
  // A local account signs without its transport: the URL is never dialled.
  const prover = createWalletClient({ account: privateKeyToAccount(TEST_PROVER_KEY), chain: hardhat, transport: http('http://127.0.0.1:9') });
  const chain = fakeRollupChain(prover.account.address);
  return {
    chain,
    parameters: FAKE_PARAMETERS,
    // As the contract would have it: revealed in the next slot's reveal phase, then time moves to its commit phase's end.
    async revealBlock() {
      const blockNumber = (await chain.tips()).pending + 1n;
      const body = encodeBlockBody(syntheticBlockBody({ txs: 4, publicCalls: { kind: 'fixed', calls: 1 }, seed: `fake-${blockNumber}` }));
      const times = slotSchedule(FAKE_PARAMETERS, slotAt(FAKE_PARAMETERS, chain.now) + 1n);
      chain.now = times.revealStart;
      chain.reveal({ blockNumber, body, slot: times.slot, exclusiveUntil: times.commitEnd, provingDeadline: times.provingDeadline });
      chain.now = times.commitEnd;
      return { blockNumber, body };
    },
    attest: (publicInputs) => signDevelopmentAttestation(prover, publicInputs),
    async advanceTo(timestamp) {
      chain.now = Math.max(chain.now, timestamp);
    },
    async close() {},
  };
});
