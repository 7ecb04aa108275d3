import { describe, expect, it } from 'vitest';
import { describeRollupChainContract } from '../../test/contracts/rollupChain.contract.js';
import { startProtocolFixture } from '../testing/protocolFixture.js';
import { openRollupChainFixture } from '../testing/rollupChainFixture.js';

describeRollupChainContract('viem on the local chain (local key)', () => openRollupChainFixture());

describe('createRollupChain', () => {
  it('names its account, the rollup and the chain id', async () => {
    const f = await startProtocolFixture();
    try {
      const chain = f.rollupChain(f.wallets[0]!);
      expect(chain).toMatchObject({ account: f.wallets[0]!.account.address, rollup: f.deployment.rollup, chainId: 31337 });
      expect((await chain.blockState(0n)).stateRoot).toBe(f.deployment.genesisStateRoot);
    } finally {
      await f.chain.stop();
    }
  });
});
