import type { RollupChainFixture } from '../../test/contracts/rollupChain.contract.js';
import { signDevelopmentAttestation } from '../attestation/signDevelopmentAttestation.js';
import { createRollupChain } from '../rollup/createRollupChain.js';
import type { L1WalletClient } from '../transactions/l1Clients.js';
import type { ProtocolFixture } from './protocolFixture.js';
import { blockInSlot, startFixtureWithSequencerAndProver } from './protocolSteps.js';

/**
 * The RollupChain contract's fixture on a fresh in-process chain with the reference contracts: wallet 1 sequences a
 * block per slot, and `proverWallet` (wallet 4 by default; a KMS-signed wallet on AWS) signs for the chain under test.
 */
export async function openRollupChainFixture(
  proverWallet: (f: ProtocolFixture) => Promise<L1WalletClient> = async (f) => f.wallets[4]!,
): Promise<RollupChainFixture> {
  const f = await startFixtureWithSequencerAndProver();
  const prover = await proverWallet(f);
  const sequencer = f.wallets[1]!;
  let slot = 1n;
  return {
    chain: createRollupChain({ publicClient: f.publicClient, walletClient: prover, rollup: f.deployment.rollup }),
    parameters: f.parameters,
    async revealBlock() {
      const revealed = await blockInSlot(f, slot, sequencer);
      await f.advanceTo(f.schedule(slot).commitEnd);
      slot += 1n;
      return revealed;
    },
    attest: (publicInputs) => signDevelopmentAttestation(prover, publicInputs),
    advanceTo: f.advanceTo,
    close: () => f.chain.stop(),
  };
}
