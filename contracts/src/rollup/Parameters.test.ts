import { createPublicClient, createWalletClient, zeroAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { beforeAll, describe, it } from 'vitest';
import { DEVNET_GENESIS_STATE_ROOT } from '../../../core/protocol/devnetStateTransition.js';
import type { ProtocolParameters } from '../../../core/protocol/types.js';
import { startInProcessChain } from '../../../l1/chain/startInProcessChain.js';
import { toContractParameters } from '../../../l1/rollup/parametersCodec.js';
import { expectRevert } from '../../../l1/testing/expectRevert.js';
import { TEST_PARAMETERS } from '../../../l1/testing/protocolFixture.js';
import { confirmTransaction } from '../../../l1/transactions/confirmTransaction.js';
import type { L1WalletClient } from '../../../l1/transactions/l1Clients.js';
import { proverEscrowAbi, proverEscrowBytecode } from '../../artifacts/proverEscrow.js';
import { rollupAbi, rollupBytecode } from '../../artifacts/rollup.js';

let wallet: L1WalletClient;
let escrow: `0x${string}`;
const valid: ProtocolParameters = { ...TEST_PARAMETERS, genesisTime: 0 };

function deployRollup(parameters: ProtocolParameters) {
  return wallet.deployContract({
    abi: rollupAbi,
    bytecode: rollupBytecode,
    args: [toContractParameters(parameters), escrow, zeroAddress, DEVNET_GENESIS_STATE_ROOT],
  });
}

beforeAll(async () => {
  const chain = await startInProcessChain();
  const publicClient = createPublicClient({ chain: chain.chain, transport: chain.transport });
  wallet = createWalletClient({ account: privateKeyToAccount(chain.accounts[0]!), chain: chain.chain, transport: chain.transport });
  const receipt = await confirmTransaction(
    publicClient,
    'deploy escrow',
    wallet.deployContract({ abi: proverEscrowAbi, bytecode: proverEscrowBytecode, args: [valid.escrowWithdrawalDelaySeconds] }),
  );
  escrow = receipt.contractAddress!;
});

describe('Rollup parameter bounds', () => {
  it.each([
    [{ slotSeconds: 0 }, 'ZeroParameter', ['slotSeconds']],
    [{ minProverBond: 0n }, 'ZeroParameter', ['minProverBond']],
    [{ slotSeconds: 89 }, 'PhasesExceedSlot', [90n, 89n]],
    [{ exclusiveWindowSeconds: 30 }, 'ExclusiveWindowNotAfterCommitPhase', [30n, 30n]],
    [{ provingDeadlineSeconds: 60 }, 'DeadlineNotAfterExclusiveWindow', [60n, 60n]],
    [{ escrowWithdrawalDelaySeconds: 200 }, 'EscrowDelayNotAfterDeadline', [200n, 200n]],
    [{ sequencerBlockBond: 0n }, 'ZeroParameter', ['sequencerBlockBond']],
    [{ sequencerBlockBond: 10n ** 18n + 1n }, 'StakeBelowBlockBond', [10n ** 18n, 10n ** 18n + 1n]],
    [{ openRaceProverBps: 10_001 }, 'BpsAboveWhole', ['openRaceProverBps', 10_001n]],
    [{ sequencerBps: 2_001 }, 'SharesAboveWhole', [2_001n, 8_000n]],
    [{ randomnessLagSlots: 0 }, 'RandomnessLagOutOfRange', [0n, 64n]],
    [{ randomnessLagSlots: 65 }, 'RandomnessLagOutOfRange', [65n, 64n]],
    [{ escrowWithdrawalDelaySeconds: 401 }, 'EscrowDelayMismatch', [400n, 401n]],
  ] as const)('refuses %o with %s', async (override, errorName, args) => {
    await expectRevert(deployRollup({ ...valid, ...override }), errorName, args, rollupAbi);
  });
});
