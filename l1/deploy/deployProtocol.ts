import { getAddress, parseEther, type Address, type Hash } from 'viem';
import { developmentAttestationVerifierAbi, developmentAttestationVerifierBytecode } from '../../contracts/artifacts/developmentAttestationVerifier.js';
import { proverEscrowAbi, proverEscrowBytecode } from '../../contracts/artifacts/proverEscrow.js';
import { rollupAbi, rollupBytecode } from '../../contracts/artifacts/rollup.js';
import { verifierRegistryAbi, verifierRegistryBytecode } from '../../contracts/artifacts/verifierRegistry.js';
import { DEVNET_GENESIS_STATE_ROOT } from '../../core/protocol/devnetStateTransition.js';
import type { Bytes32, ProtocolParameters } from '../../core/protocol/types.js';
import { toContractParameters } from '../rollup/parametersCodec.js';
import { confirmTransaction } from '../transactions/confirmTransaction.js';
import type { L1PublicClient, L1WalletClient } from '../transactions/l1Clients.js';

export interface DeployProtocolOptions {
  /** Block 0's state root. @default DEVNET_GENESIS_STATE_ROOT */
  readonly genesisStateRoot?: Bytes32;
  /** Ether put into the reward pool. @default 1000 ETH */
  readonly rewardFunding?: bigint;
  /** Who may change the verifier. @default the deploying account */
  readonly governance?: Address;
  /**
   * Delay between proposing and activating a new verifier; the rollup requires it to outlast escrow withdrawals and
   * sequencer exits. @default 3600
   */
  readonly verifierActivationDelaySeconds?: number;
  /** How long after its delay a proposed verifier can still be activated before it expires. @default 3600 */
  readonly verifierActivationWindowSeconds?: number;
  /** The proof-system version the development verifier is registered under. @default 1 */
  readonly proofSystemVersion?: number;
}

/** Addresses of a deployed protocol, and the L1 block from which its history starts. */
export interface ProtocolDeployment {
  readonly rollup: Address;
  readonly escrow: Address;
  readonly verifierRegistry: Address;
  /** The DevelopmentAttestationVerifier: a development verifier, not a zero-knowledge verifier. */
  readonly developmentVerifier: Address;
  readonly proofSystemVersion: number;
  readonly genesisStateRoot: Bytes32;
  /** The L1 block of the rollup's deployment: followers start here. */
  readonly deploymentBlock: bigint;
}

/**
 * Deploys the escrow, the development verifier, the verifier registry and the rollup, binds the escrow to the rollup
 * and funds the reward pool. Sequential on purpose: each step needs the previous one's address.
 */
export async function deployProtocol(
  clients: { readonly publicClient: L1PublicClient; readonly walletClient: L1WalletClient },
  parameters: ProtocolParameters,
  options: DeployProtocolOptions = {},
): Promise<ProtocolDeployment> {
  const { publicClient, walletClient } = clients;
  const genesisStateRoot = options.genesisStateRoot ?? DEVNET_GENESIS_STATE_ROOT;
  const proofSystemVersion = options.proofSystemVersion ?? 1;
  const deployed = async (name: string, sent: Promise<Hash>) => {
    const receipt = await confirmTransaction(publicClient, `deploy ${name}`, sent);
    return { address: getAddress(receipt.contractAddress!), block: receipt.blockNumber };
  };

  const escrow = await deployed(
    'ProverEscrow',
    walletClient.deployContract({ abi: proverEscrowAbi, bytecode: proverEscrowBytecode, args: [parameters.escrowWithdrawalDelaySeconds] }),
  );
  const developmentVerifier = await deployed(
    'DevelopmentAttestationVerifier',
    walletClient.deployContract({ abi: developmentAttestationVerifierAbi, bytecode: developmentAttestationVerifierBytecode }),
  );
  const verifierRegistry = await deployed(
    'VerifierRegistry',
    walletClient.deployContract({
      abi: verifierRegistryAbi,
      bytecode: verifierRegistryBytecode,
      args: [
        options.governance ?? walletClient.account.address,
        options.verifierActivationDelaySeconds ?? 3600,
        options.verifierActivationWindowSeconds ?? 3600,
        proofSystemVersion,
        developmentVerifier.address,
      ],
    }),
  );
  const rollup = await deployed(
    'Rollup',
    walletClient.deployContract({
      abi: rollupAbi,
      bytecode: rollupBytecode,
      args: [toContractParameters(parameters), escrow.address, verifierRegistry.address, genesisStateRoot],
    }),
  );
  await confirmTransaction(
    publicClient,
    'bind the escrow to the rollup',
    walletClient.writeContract({ address: escrow.address, abi: proverEscrowAbi, functionName: 'bindRollup', args: [rollup.address] }),
  );
  await confirmTransaction(
    publicClient,
    'fund rewards',
    walletClient.writeContract({
      address: rollup.address,
      abi: rollupAbi,
      functionName: 'fundRewards',
      value: options.rewardFunding ?? parseEther('1000'),
    }),
  );
  return {
    rollup: rollup.address,
    escrow: escrow.address,
    verifierRegistry: verifierRegistry.address,
    developmentVerifier: developmentVerifier.address,
    proofSystemVersion,
    genesisStateRoot,
    deploymentBlock: rollup.block,
  };
}
