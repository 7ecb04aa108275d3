import { describe, expect, it } from 'vitest';
import { startProtocolFixture } from '../testing/protocolFixture.js';
import { attestedProof, blockInSlot, startFixtureWithSequencerAndProver } from '../testing/protocolSteps.js';

describe('createRollupChain', () => {
  it('reads back the deployed parameters and the genesis block', async () => {
    const f = await startProtocolFixture();
    const chain = f.rollupChain(f.wallets[0]!);
    expect(await chain.parameters()).toEqual(f.parameters);
    expect(chain).toMatchObject({ account: f.wallets[0]!.account.address, rollup: f.deployment.rollup, chainId: 31337 });
    expect(await chain.blockState(0n)).toMatchObject({ status: 'proven', stateRoot: f.deployment.genesisStateRoot });
    expect(await chain.tips()).toEqual({ proven: 0n, pending: 0n });
    await expect(chain.revealedBody(1n)).rejects.toThrow(expect.objectContaining({ name: 'RevealNotFoundError', blockNumber: 1n }));
  });

  it('sends a proof and reports its receipt', async () => {
    const f = await startFixtureWithSequencerAndProver();
    const prover = f.wallets[4]!;
    await blockInSlot(f, 1n, f.wallets[1]!);
    const { commitEnd, provingDeadline } = f.schedule(1n);
    await f.advanceTo(commitEnd);
    const chain = f.rollupChain(prover);
    const txHash = await chain.submitProof({ ...(await attestedProof(f, prover, 1n)), deadline: provingDeadline });
    const receipt = await chain.waitForReceipt(txHash, 1);
    expect(receipt).toMatchObject({ txHash, status: 'success' });
    expect(receipt.gasUsed).toBeGreaterThan(21_000n);
    expect((await chain.blockState(1n)).status).toBe('proven');
  });
});
