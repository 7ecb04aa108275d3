import { beforeAll, describe, expect, it } from 'vitest';
import { encodeRootPublicInputs } from '../../../core/protocol/publicInputs.js';
import type { RootPublicInputs } from '../../../core/protocol/types.js';
import { signDevelopmentAttestation } from '../../../l1/attestation/signDevelopmentAttestation.js';
import { startProtocolFixture, type ProtocolFixture } from '../../../l1/testing/protocolFixture.js';
import { developmentAttestationVerifierAbi } from '../../artifacts/developmentAttestationVerifier.js';

let f: ProtocolFixture;
let inputs: RootPublicInputs;
const verify = (publicInputs: RootPublicInputs, proof: `0x${string}`) =>
  f.publicClient.readContract({
    address: f.deployment.developmentVerifier,
    abi: developmentAttestationVerifierAbi,
    functionName: 'verify',
    args: [encodeRootPublicInputs(publicInputs), proof],
  });

beforeAll(async () => {
  f = await startProtocolFixture();
  const root = `0x${'11'.repeat(32)}` as const;
  inputs = { blockNumber: 7n, proverId: f.wallets[4]!.account.address, bodyHash: root, parentStateRoot: root, newStateRoot: root };
});

describe('DevelopmentAttestationVerifier (a development verifier, not a zero-knowledge verifier)', () => {
  it('accepts the prover id’s own signature over the public inputs, and nothing else', async () => {
    const attestation = await signDevelopmentAttestation(f.wallets[4]!, inputs);
    expect(await verify(inputs, attestation)).toBe(true);
    expect(await verify({ ...inputs, blockNumber: 8n }, attestation)).toBe(false);
    const byAnother = await signDevelopmentAttestation(f.wallets[5]!, { ...inputs, proverId: f.wallets[5]!.account.address });
    expect(await verify(inputs, byAnother)).toBe(false);
    expect(await verify(inputs, `0x${attestation.slice(2, 130)}`)).toBe(false);
    expect(await verify({ ...inputs, proverId: '0x0000000000000000000000000000000000000000' }, attestation)).toBe(false);
  });

  it('records on chain that it is a development verifier', async () => {
    const [deployed] = await f.publicClient.getContractEvents({
      address: f.deployment.developmentVerifier,
      abi: developmentAttestationVerifierAbi,
      eventName: 'DevelopmentVerifierDeployed',
      fromBlock: 0n,
    });
    expect(deployed?.args.warning).toMatch(/not a zero-knowledge verifier/);
  });

  it('refuses to attest for another prover id', () => {
    expect(() => signDevelopmentAttestation(f.wallets[5]!, inputs)).toThrow(expect.objectContaining({ name: 'AttestationSignerError' }));
  });
});
