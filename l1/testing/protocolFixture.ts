import { createPublicClient, createTestClient, createWalletClient, parseEther, type Address, type ContractFunctionReturnType, type TestClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { proverEscrowAbi } from '../../contracts/artifacts/proverEscrow.js';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import type { RollupChain } from '../../core/ports/l1.js';
import type { ProtocolParameters } from '../../core/protocol/types.js';
import { advanceChainTo } from '../chain/advanceChainTo.js';
import type { LocalChain } from '../chain/localChainTypes.js';
import { startInProcessChain } from '../chain/startInProcessChain.js';
import { deployProtocol, type DeployProtocolOptions, type ProtocolDeployment } from '../deploy/deployProtocol.js';
import { devnetParameters } from '../deploy/devnetParameters.js';
import type { QuoteDomain } from '../quotes/quoteSignatures.js';
import { createRollupChain } from '../rollup/createRollupChain.js';
import { slotSchedule, type SlotSchedule } from '../../core/protocol/slotSchedule.js';
import type { L1PublicClient, L1WalletClient } from '../transactions/l1Clients.js';

/**
 * Parameters for tests: phases of 30 s, so the few seconds of wall-clock time a test spends between explicit time
 * moves never cross a boundary; distinct bonds and reward shares, so every amount is checked against its own rule.
 */
export const TEST_PARAMETERS: Omit<ProtocolParameters, 'genesisTime'> = devnetParameters(0, {
  slotSeconds: 100,
  proposalSeconds: 30,
  revealSeconds: 30,
  commitSeconds: 30,
  exclusiveWindowSeconds: 60,
  provingDeadlineSeconds: 200,
  sequencerExitDelaySeconds: 50,
  escrowWithdrawalDelaySeconds: 400,
  minSequencerStake: parseEther('1'),
  sequencerBlockBond: parseEther('0.1'),
  minProverBond: parseEther('1'),
  proverBondPerTx: parseEther('0.01'),
  maxTxsPerBlock: 64,
  maxPendingBlocks: 8,
  blockReward: parseEther('1'),
  feePerTx: parseEther('0.01'),
  sequencerBps: 1_000,
  openRaceProverBps: 8_000,
  randomnessLagSlots: 1,
});

/** A fresh in-process chain with the protocol deployed; slot 0 starts 10 s after deployment. */
export interface ProtocolFixture {
  readonly chain: LocalChain;
  readonly publicClient: L1PublicClient;
  readonly testClient: TestClient<'hardhat'>;
  /** One wallet per funded account. By convention 0 deploys and governs, 1–3 sequence, 4–6 prove. */
  readonly wallets: readonly L1WalletClient[];
  readonly deployment: ProtocolDeployment;
  readonly parameters: ProtocolParameters;
  readonly domain: QuoteDomain;
  readonly rollupChain: (wallet: L1WalletClient) => RollupChain;
  readonly schedule: (slot: bigint) => SlotSchedule;
  /** Mines a block at `timestamp` (no-op if L1 time is already there). */
  readonly advanceTo: (timestamp: number) => Promise<void>;
  readonly latestTimestamp: () => Promise<number>;
  readonly escrowAccount: (prover: Address) => Promise<EscrowAccount>;
  /** Rewards credited to an account (a prover id or a sequencer) and not yet withdrawn. */
  readonly rewardsOf: (account: Address) => Promise<bigint>;
}

export type EscrowAccount = ContractFunctionReturnType<typeof proverEscrowAbi, 'view', 'accountOf'>;

export async function startProtocolFixture(
  overrides: Partial<ProtocolParameters> = {},
  options: DeployProtocolOptions = {},
): Promise<ProtocolFixture> {
  const chain = await startInProcessChain();
  const publicClient = createPublicClient({ chain: chain.chain, transport: chain.transport });
  const testClient = createTestClient({ mode: 'hardhat', chain: chain.chain, transport: chain.transport });
  const wallets = chain.accounts.map((key) =>
    createWalletClient({ account: privateKeyToAccount(key), chain: chain.chain, transport: chain.transport }),
  );
  const latestTimestamp = async () => Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp);
  const parameters: ProtocolParameters = { ...TEST_PARAMETERS, genesisTime: (await latestTimestamp()) + 10, ...overrides };
  const deployment = await deployProtocol({ publicClient, walletClient: wallets[0]! }, parameters, options);
  return {
    chain,
    publicClient,
    testClient,
    wallets,
    deployment,
    parameters,
    domain: { chainId: chain.chain.id, rollup: deployment.rollup },
    rollupChain: (walletClient) => createRollupChain({ publicClient, walletClient, rollup: deployment.rollup }),
    schedule: (slot) => slotSchedule(parameters, slot),
    advanceTo: (timestamp) => advanceChainTo(testClient, timestamp),
    latestTimestamp,
    escrowAccount: (prover) =>
      publicClient.readContract({ address: deployment.escrow, abi: proverEscrowAbi, functionName: 'accountOf', args: [prover] }),
    rewardsOf: (account) =>
      publicClient.readContract({ address: deployment.rollup, abi: rollupAbi, functionName: 'rewardsOf', args: [account] }),
  };
}
