import { createPublicClient, createWalletClient, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalChain } from '../chain/startLocalChain.js';
import type { LocalChain } from '../chain/localChainTypes.js';
import { deployProtocol } from '../deploy/deployProtocol.js';
import { devnetParameters } from '../deploy/devnetParameters.js';
import { depositToEscrow } from '../escrow/escrowActions.js';
import { createRollupChain } from '../rollup/createRollupChain.js';
import { signingQuoter, startTestQuoteServer, type TestQuoteServer } from '../testing/startTestQuoteServer.js';
import { createSequencerSimulator } from './createSequencerSimulator.js';
import type { SimulatorLogEntry } from './simulatorLog.js';

let chain: LocalChain | undefined;
let server: TestQuoteServer | undefined;

afterAll(async () => {
  await server?.close();
  await chain?.stop();
});

describe('createSequencerSimulator live loop', () => {
  it('follows the clock of a `hardhat node` chain, slot after slot, until stopped', async () => {
    chain = await startLocalChain({ mode: 'node' });
    const publicClient = createPublicClient({ chain: chain.chain, transport: chain.transport });
    const wallets = chain.accounts.map((key) => createWalletClient({ account: privateKeyToAccount(key), chain: chain!.chain, transport: chain!.transport }));
    // Short real-time slots (2 s phases on 1 s blocks); slot 1 starts about 3 s from now.
    const genesisTime = Number((await publicClient.getBlock()).timestamp) - 3;
    const parameters = devnetParameters(genesisTime, { slotSeconds: 6, proposalSeconds: 2, revealSeconds: 2, commitSeconds: 2, exclusiveWindowSeconds: 3, provingDeadlineSeconds: 20, escrowWithdrawalDelaySeconds: 40 });
    const deployment = await deployProtocol({ publicClient, walletClient: wallets[0]! }, parameters);
    await depositToEscrow(wallets[4]!, deployment.escrow, parseEther('5'));
    server = await startTestQuoteServer(signingQuoter(wallets[4]!, { chainId: chain.chain.id, rollup: deployment.rollup }, parameters, { feeBps: 5_000, bond: parseEther('1') }));

    const logged: SimulatorLogEntry[] = [];
    const simulator = createSequencerSimulator({
      publicClient,
      sequencers: [wallets[1]!, wallets[2]!],
      rollup: deployment.rollup,
      txsPerBlock: 8,
      quoteEndpoints: [server.url],
      pollIntervalMs: 100,
      log: (entry) => logged.push(entry),
    });
    simulator.start();
    const rollup = createRollupChain({ publicClient, walletClient: wallets[0]!, rollup: deployment.rollup });
    const deadline = Date.now() + 30_000;
    while ((await rollup.blockState(1n)).committedProver !== wallets[4]!.account.address) {
      expect(Date.now(), `no committed block yet; log: ${JSON.stringify(logged, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`).toBeLessThan(deadline);
      await delay(200);
    }
    await simulator.stop();
    // A loaded machine may make it miss a phase (logged as a warning); the loop itself must never fail.
    expect(logged.filter((entry) => entry.event === 'slot failed' || entry.event === 'simulator stopped by an error')).toEqual([]);
    expect(logged.filter((entry) => entry.event === 'slot done').length).toBeGreaterThanOrEqual(1);
  });
});
