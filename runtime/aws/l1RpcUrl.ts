import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { defineChain, http, type Chain, type HttpTransport } from 'viem';
import { z } from 'zod';
import { RpcSecretError } from './errors/runtimeErrors.js';

/** The L1 RPC URL: the plain variable when set (tests, devnets), else the secret's value (it may embed an API key). */
export async function l1RpcUrl(
  config: { readonly L1_RPC_URL?: string | undefined; readonly L1_RPC_SECRET_ARN?: string | undefined },
  secrets: () => SecretsManagerClient,
): Promise<string> {
  if (config.L1_RPC_URL) return config.L1_RPC_URL;
  const secretArn = config.L1_RPC_SECRET_ARN!;
  const { SecretString } = await secrets().send(new GetSecretValueCommand({ SecretId: secretArn }));
  const text = (SecretString ?? '').trim();
  let candidate: unknown = text;
  if (text.startsWith('{')) {
    try {
      candidate = (JSON.parse(text) as { url?: unknown }).url;
    } catch {
      throw new RpcSecretError(secretArn);
    }
  }
  const url = z.url().safeParse(candidate);
  if (!url.success) throw new RpcSecretError(secretArn);
  return url.data;
}

/** The L1 chain and an HTTP transport to it (three retries), from the configuration's chain id and RPC source. */
export async function l1Connection(
  config: Parameters<typeof l1RpcUrl>[0] & { readonly L1_CHAIN_ID: number },
  secrets: () => SecretsManagerClient,
): Promise<{ readonly chain: Chain; readonly transport: HttpTransport }> {
  const rpcUrl = await l1RpcUrl(config, secrets);
  const chain = defineChain({
    id: config.L1_CHAIN_ID,
    name: `l1-${config.L1_CHAIN_ID}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  return { chain, transport: http(rpcUrl, { retryCount: 3 }) };
}
