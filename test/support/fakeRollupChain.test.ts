import { createWalletClient, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { signDevelopmentAttestation } from '../../l1/attestation/signDevelopmentAttestation.js';
import { describeRollupChainContract } from '../contracts/rollupChain.contract.js';
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
    async revealBlock() {
      const blockNumber = (await chain.tips()).pending + 1n;
      const body = encodeBlockBody(syntheticBlockBody({ txs: 4, publicCalls: { kind: 'fixed', calls: 1 }, seed: `fake-${blockNumber}` }));
      chain.reveal({ blockNumber, body, exclusiveUntil: chain.now, provingDeadline: chain.now + FAKE_PARAMETERS.provingDeadlineSeconds });
      return { blockNumber, body };
    },
    attest: (publicInputs) => signDevelopmentAttestation(prover, publicInputs),
    async advanceTo(timestamp) {
      chain.now = Math.max(chain.now, timestamp);
    },
    async close() {},
  };
});
