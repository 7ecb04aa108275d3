import { defaultHardhatNetworkParams } from 'hardhat/internal/core/config/default-config.js';
import { createHardhatNetworkProvider } from 'hardhat/internal/hardhat-network/provider/provider.js';
import { custom } from 'viem';
import { LOCAL_ACCOUNT_KEYS } from './localAccounts.js';
import type { LocalChain } from './localChainTypes.js';
import { localChain, LOCAL_NETWORK } from './localNetwork.js';

/**
 * Starts Hardhat's EDR network inside this process (for tests): automine, no interval mining, so chain time moves
 * only when a transaction or the test moves it. Reverted transactions are mined with status 0, as on a real node.
 */
export async function startInProcessChain(): Promise<LocalChain> {
  const provider = await createHardhatNetworkProvider(
    {
      ...LOCAL_NETWORK,
      genesisAccounts: [...LOCAL_NETWORK.genesisAccounts],
      networkId: LOCAL_NETWORK.chainId,
      minGasPrice: 0n,
      automine: true,
      intervalMining: 0,
      mempoolOrder: 'priority',
      chains: defaultHardhatNetworkParams.chains,
      allowUnlimitedContractSize: false,
      throwOnTransactionFailures: false,
      throwOnCallFailures: true,
      enableTransientStorage: false,
      enableRip7212: false,
    },
    { enabled: false },
  );
  const request = async (args: { method: string; params?: readonly unknown[] | object }): Promise<unknown> => {
    try {
      return await provider.request(args);
    } catch (error) {
      throw asJsonRpcRevert(error);
    }
  };
  return {
    mode: 'in-process',
    // Nothing in-process fails transiently; a retry would only repeat a revert.
    transport: custom({ request }, { retryCount: 0 }),
    chain: localChain(),
    accounts: LOCAL_ACCOUNT_KEYS,
    stop: () => Promise.resolve(),
  };
}

/**
 * EDR throws reverts as errors carrying the revert data but no JSON-RPC code; viem decodes custom errors only from
 * an "execution reverted" error (code 3) with data, which is what a node returns over HTTP.
 */
function asJsonRpcRevert(error: unknown): unknown {
  const data = (error as { data?: unknown } | null)?.data;
  if (!(error instanceof Error) || typeof data !== 'string' || !data.startsWith('0x')) return error;
  return Object.assign(new Error(error.message, { cause: error }), { code: 3, data });
}
