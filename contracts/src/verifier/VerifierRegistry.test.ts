import { beforeEach, describe, expect, it } from 'vitest';
import { expectRevert } from '../../../l1/testing/expectRevert.js';
import { startProtocolFixture, type ProtocolFixture } from '../../../l1/testing/protocolFixture.js';
import { confirmTransaction } from '../../../l1/transactions/confirmTransaction.js';
import { developmentAttestationVerifierAbi, developmentAttestationVerifierBytecode } from '../../artifacts/developmentAttestationVerifier.js';
import { verifierRegistryAbi } from '../../artifacts/verifierRegistry.js';

const DELAY = 600;
let f: ProtocolFixture;
const registry = () => ({ address: f.deployment.verifierRegistry, abi: verifierRegistryAbi }) as const;
const current = () => f.publicClient.readContract({ ...registry(), functionName: 'currentVerifier' });

beforeEach(async () => {
  f = await startProtocolFixture({}, { verifierActivationDelaySeconds: DELAY });
});

describe('VerifierRegistry', () => {
  it('activates a proposed verifier only after the governance delay', async () => {
    const governance = f.wallets[0]!;
    const receipt = await confirmTransaction(
      f.publicClient,
      'deploy',
      governance.deployContract({ abi: developmentAttestationVerifierAbi, bytecode: developmentAttestationVerifierBytecode }),
    );
    const next = receipt.contractAddress!;
    expect(await current()).toEqual([1, f.deployment.developmentVerifier]);

    await expectRevert(f.wallets[7]!.writeContract({ ...registry(), functionName: 'proposeVerifier', args: [2, next] }), 'NotGovernance');
    await expectRevert(governance.writeContract({ ...registry(), functionName: 'proposeVerifier', args: [1, next] }), 'VersionNotAfterCurrent', [1, 1]);
    await expectRevert(
      governance.writeContract({ ...registry(), functionName: 'proposeVerifier', args: [2, f.wallets[7]!.account.address] }),
      'VerifierHasNoCode',
    );
    await confirmTransaction(f.publicClient, 'propose', governance.writeContract({ ...registry(), functionName: 'proposeVerifier', args: [2, next] }));
    const activatableAt = (await f.latestTimestamp()) + DELAY;

    await f.advanceTo(activatableAt - 20);
    await expectRevert(governance.writeContract({ ...registry(), functionName: 'activateVerifier', args: [2] }), 'ActivationDelayNotOver');
    expect((await current())[0]).toBe(1);
    await f.advanceTo(activatableAt);
    await confirmTransaction(f.publicClient, 'activate', governance.writeContract({ ...registry(), functionName: 'activateVerifier', args: [2] }));
    expect(await current()).toEqual([2, expect.stringMatching(new RegExp(next.slice(2), 'i'))]);
    await expectRevert(governance.writeContract({ ...registry(), functionName: 'activateVerifier', args: [2] }), 'NoPendingVerifier', [2]);
  });
});
