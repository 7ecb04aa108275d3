import type { Account, Chain, PublicClient, Transport, WalletClient } from 'viem';

/** A wallet client that signs with a known account (a local key, or a remote signer such as KMS). */
export type L1WalletClient = WalletClient<Transport, Chain, Account>;

/** A public client on a known chain. */
export type L1PublicClient = PublicClient<Transport, Chain>;
