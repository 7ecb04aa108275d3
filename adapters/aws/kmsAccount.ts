import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import {
  bytesToHex,
  getAddress,
  hashMessage,
  hashTypedData,
  keccak256,
  numberToHex,
  recoverAddress,
  serializeSignature,
  serializeTransaction,
  type Address,
  type Hex,
  type LocalAccount,
  type Signature,
} from 'viem';
import { toAccount } from 'viem/accounts';
import { KmsKeyError } from './errors/awsAdapterErrors.js';

/** secp256k1's group order; s above half of it is flipped (Ethereum accepts only low-s signatures). */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SECP256K1_OID = '06052b8104000a';

/**
 * A viem account whose secp256k1 key lives in AWS KMS (KeySpec ECC_SECG_P256K1, KeyUsage SIGN_VERIFY): the private
 * key never leaves KMS. The address comes from GetPublicKey; each signature is one KMS Sign of the 32-byte hash
 * (MessageType DIGEST), converted from DER to (r, s), s normalised to the low half, and the recovery bit found by
 * recovering the address. Messages, transactions (any type viem serialises) and typed data are signed through it.
 */
export async function createKmsAccount({ client, keyId }: { client: KMSClient; keyId: string }): Promise<LocalAccount> {
  const { PublicKey, KeySpec } = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (KeySpec && KeySpec !== 'ECC_SECG_P256K1') throw new KmsKeyError(keyId, `has key spec ${KeySpec}, not ECC_SECG_P256K1`);
  if (!PublicKey) throw new KmsKeyError(keyId, 'GetPublicKey returned no key');
  const address = addressOfSpki(keyId, PublicKey);

  async function sign(hash: Hex): Promise<Signature> {
    const { Signature: der } = await client.send(
      new SignCommand({ KeyId: keyId, Message: hexBytes(hash), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    if (!der) throw new KmsKeyError(keyId, 'Sign returned no signature');
    const { r, s: rawS } = parseDerSignature(keyId, der);
    const s = rawS > N / 2n ? N - rawS : rawS;
    for (const yParity of [0, 1] as const) {
      const signature = { r: numberToHex(r, { size: 32 }), s: numberToHex(s, { size: 32 }), yParity, v: yParity ? 28n : 27n };
      if ((await recoverAddress({ hash, signature })).toLowerCase() === address.toLowerCase()) return signature;
    }
    throw new KmsKeyError(keyId, `a signature from KMS does not recover to ${address}`);
  }

  return toAccount({
    address,
    async signMessage({ message }) {
      return serializeSignature(await sign(hashMessage(message)));
    },
    async signTransaction(transaction, options) {
      const serializer = options?.serializer ?? serializeTransaction;
      // EIP-4844: the signature covers the payload without the blob sidecars, as viem's local accounts do.
      const signable = transaction.type === 'eip4844' ? { ...transaction, sidecars: false as const } : transaction;
      const signature = await sign(keccak256(await serializer(signable)));
      return serializer(transaction, signature);
    },
    async signTypedData(typedData) {
      return serializeSignature(await sign(hashTypedData(typedData)));
    },
  });
}

/** The address of a DER SubjectPublicKeyInfo holding an uncompressed secp256k1 point: keccak256(x ‖ y)[12:]. */
export function addressOfSpki(keyId: string, spki: Uint8Array): Address {
  const hex = bytesToHex(spki).slice(2);
  if (!hex.includes(SECP256K1_OID)) throw new KmsKeyError(keyId, 'the public key is not on secp256k1');
  // The BIT STRING holding the point is the key's last 66 bytes: 0x00 (unused bits), 0x04 (uncompressed), x, y.
  const point = spki.subarray(spki.length - 65);
  if (spki[spki.length - 66] !== 0x00 || point[0] !== 0x04) throw new KmsKeyError(keyId, 'the public key is not an uncompressed point');
  return getAddress(`0x${keccak256(point.subarray(1)).slice(-40)}`);
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` → (r, s). */
export function parseDerSignature(keyId: string, der: Uint8Array): { r: bigint; s: bigint } {
  let offset = 0;
  const expect = (tag: number) => {
    if (der[offset] !== tag) throw new KmsKeyError(keyId, `malformed DER signature at byte ${offset}`);
    offset++;
    let length = der[offset++]!;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      length = 0;
      for (let i = 0; i < bytes; i++) length = (length << 8) | der[offset++]!;
    }
    return length;
  };
  expect(0x30);
  const integer = () => {
    const length = expect(0x02);
    const value = BigInt(bytesToHex(der.subarray(offset, offset + length)));
    offset += length;
    return value;
  };
  const r = integer();
  const s = integer();
  if (r <= 0n || r >= N || s <= 0n || s >= N) throw new KmsKeyError(keyId, 'signature values out of range');
  return { r, s };
}

function hexBytes(hex: Hex): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}
