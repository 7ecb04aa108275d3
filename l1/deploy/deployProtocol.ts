import { getAddress, parseEther, type Address, type Hash } from 'viem';
import { developmentAttestationVerifierAbi, developmentAttestationVerifierBytecode } from '../../contracts/artifacts/developmentAttestationVerifier.js';
import {
  noirTreeRootHonkVerifierDevelopmentSrsAbi,
  noirTreeRootHonkVerifierDevelopmentSrsBytecode,
} from '../../contracts/artifacts/noirTreeRootHonkVerifierDevelopmentSrs.js';
import { noirTreeRootVerifierAbi, noirTreeRootVerifierBytecode } from '../../contracts/artifacts/noirTreeRootVerifier.js';
import { proverEscrowAbi, proverEscrowBytecode } from '../../contracts/artifacts/proverEscrow.js';
import { rollupAbi, rollupBytecode } from '../../contracts/artifacts/rollup.js';
import { verifierRegistryAbi, verifierRegistryBytecode } from '../../contracts/artifacts/verifierRegistry.js';
import { DEVNET_GENESIS_STATE_ROOT } from '../../core/protocol/devnetStateTransition.js';
import type { Bytes32, ProtocolParameters } from '../../core/protocol/types.js';
import { toContractParameters } from '../rollup/parametersCodec.js';
import { DEVELOPMENT_SRS_SETUP, PROOF_SYSTEMS, type ProofSystem } from './proofSystems.js';
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
   * sequencer exits. @default 3600, or one second past the longer of those two when they are longer
   */
  readonly verifierActivationDelaySeconds?: number;
  /** How long after its delay a proposed verifier can still be activated before it expires. @default 3600 */
  readonly verifierActivationWindowSeconds?: number;
  /**
   * Which verifier the registry starts with: the development attestation verifier (the SIMULATED backend's), or the
   * noir-tree UltraHonk verifier built for the development SRS (the Barretenberg backend's). @default 'development-attestation'
   */
  readonly proofSystem?: Exclude<ProofSystem, 'noir-tree-honk-ignition'>;
  /** The version it is registered under. @default its version in PROOF_SYSTEMS */
  readonly proofSystemVersion?: number;
}

/** Addresses of a deployed protocol, and the L1 block from which its history starts. */
export interface ProtocolDeployment {
  readonly rollup: Address;
  readonly escrow: Address;
  readonly verifierRegistry: Address;
  /** The DevelopmentAttestationVerifier: a development verifier, not a zero-knowledge verifier. */
  readonly developmentVerifier: Address;
  /** The verifier the registry holds for `proofSystemVersion`. */
  readonly verifier: Address;
  readonly proofSystem: ProofSystem;
  readonly proofSystemVersion: number;
  readonly genesisStateRoot: Bytes32;
  /** The L1 block of the rollup's deployment: followers start here. */
  readonly deploymentBlock: bigint;
}

/**
 * Deploys the escrow, the development verifier (and the noir-tree verifier when asked), the verifier registry and the
 * rollup, binds the escrow to the rollup and funds the reward pool. Sequential on purpose: each step needs the
 * previous one's address.
 */
export async function deployProtocol(
  clients: { readonly publicClient: L1PublicClient; readonly walletClient: L1WalletClient },
  parameters: ProtocolParameters,
  options: DeployProtocolOptions = {},
): Promise<ProtocolDeployment> {
  const { publicClient, walletClient } = clients;
  const genesisStateRoot = options.genesisStateRoot ?? DEVNET_GENESIS_STATE_ROOT;
  const proofSystem = options.proofSystem ?? 'development-attestation';
  const proofSystemVersion = options.proofSystemVersion ?? PROOF_SYSTEMS[proofSystem].version;
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
  const verifier = proofSystem === 'development-attestation' ? developmentVerifier : await deployNoirTreeVerifier(deployed, walletClient);
  const verifierRegistry = await deployed(
    'VerifierRegistry',
    walletClient.deployContract({
      abi: verifierRegistryAbi,
      bytecode: verifierRegistryBytecode,
      args: [
        options.governance ?? walletClient.account.address,
        options.verifierActivationDelaySeconds ?? Math.max(3600, parameters.escrowWithdrawalDelaySeconds + 1, parameters.sequencerExitDelaySeconds + 1),
        options.verifierActivationWindowSeconds ?? 3600,
        proofSystemVersion,
        verifier.address,
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
    verifier: verifier.address,
    proofSystem,
    proofSystemVersion,
    genesisStateRoot,
    deploymentBlock: rollup.block,
  };
}

/**
 * The noir-tree root verifier built for the development SRS: bb's generated Honk verifier (its name says which SRS)
 * behind the protocol's IVerifier, which records the setup on L1 at deployment.
 */
async function deployNoirTreeVerifier(
  deployed: (name: string, sent: Promise<Hash>) => Promise<{ address: Address; block: bigint }>,
  walletClient: L1WalletClient,
): Promise<{ address: Address; block: bigint }> {
  const honk = await deployed(
    'NoirTreeRootHonkVerifierDevelopmentSrs',
    walletClient.deployContract({ abi: noirTreeRootHonkVerifierDevelopmentSrsAbi, bytecode: noirTreeRootHonkVerifierDevelopmentSrsBytecode }),
  );
  return deployed(
    'NoirTreeRootVerifier',
    walletClient.deployContract({ abi: noirTreeRootVerifierAbi, bytecode: noirTreeRootVerifierBytecode, args: [honk.address, DEVELOPMENT_SRS_SETUP] }),
  );
}
