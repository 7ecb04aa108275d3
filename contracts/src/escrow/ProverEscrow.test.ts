import { parseEther } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { depositToEscrow, initiateEscrowWithdrawal, withdrawFromEscrow } from '../../../l1/escrow/escrowActions.js';
import { expectRevert } from '../../../l1/testing/expectRevert.js';
import { startProtocolFixture, type ProtocolFixture } from '../../../l1/testing/protocolFixture.js';
import { etherReceived } from '../../../l1/testing/protocolSteps.js';
import { proverEscrowAbi } from '../../artifacts/proverEscrow.js';

let f: ProtocolFixture;
const prover = () => f.wallets[4]!;

beforeEach(async () => {
  f = await startProtocolFixture();
  await depositToEscrow(prover(), f.deployment.escrow, parseEther('3'));
});

describe('ProverEscrow', () => {
  it('pays a withdrawal only after the delay, which outlasts the proving deadline', async () => {
    expect(f.parameters.escrowWithdrawalDelaySeconds).toBeGreaterThan(f.parameters.provingDeadlineSeconds);
    await expectRevert(withdrawFromEscrow(prover(), f.deployment.escrow), 'NoWithdrawalPending', [prover().account.address]);
    await expectRevert(initiateEscrowWithdrawal(prover(), f.deployment.escrow, parseEther('4')), 'InsufficientUnlockedBalance', [
      prover().account.address,
      parseEther('3'),
      parseEther('4'),
    ]);
    await initiateEscrowWithdrawal(prover(), f.deployment.escrow, parseEther('2'));
    const withdrawableAt = (await f.latestTimestamp()) + f.parameters.escrowWithdrawalDelaySeconds;

    await f.advanceTo(withdrawableAt - 20);
    await expectRevert(withdrawFromEscrow(prover(), f.deployment.escrow), 'WithdrawalDelayNotOver');
    await f.advanceTo(withdrawableAt);
    expect(await etherReceived(f, prover(), () => withdrawFromEscrow(prover(), f.deployment.escrow))).toBe(parseEther('2'));
    expect(await f.escrowAccount(prover().account.address)).toMatchObject({ balance: parseEther('1'), withdrawalAmount: 0n });
  });

  it('lets only the rollup lock, release and slash bonds, and binds the rollup once', async () => {
    const escrow = { address: f.deployment.escrow, abi: proverEscrowAbi } as const;
    const outsider = f.wallets[0]!;
    const target = prover().account.address;
    await expectRevert(outsider.writeContract({ ...escrow, functionName: 'lockBond', args: [target, 1n] }), 'NotRollup', [
      outsider.account.address,
      f.deployment.rollup,
    ]);
    await expectRevert(outsider.writeContract({ ...escrow, functionName: 'releaseBond', args: [target, 1n] }), 'NotRollup');
    await expectRevert(outsider.writeContract({ ...escrow, functionName: 'slashBond', args: [target, 1n] }), 'NotRollup');
    await expectRevert(outsider.writeContract({ ...escrow, functionName: 'bindRollup', args: [outsider.account.address] }), 'RollupAlreadyBound', [
      f.deployment.rollup,
    ]);
  });
});
