import { parsePublicCallSpec } from '../../core/body/publicCallSpec.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { getCircuitProfile } from '../../core/profiles/getCircuitProfile.js';
import { TIER_SHAPES, type Tier } from '../../core/tiers.js';
import type { SimModel } from '../model/model.js';
import { maxAgentsOf } from '../model/scalerSettings.js';
import { meanTxs } from '../model/txsMix.js';
import type { StreamParameters } from './simulateStream.js';

/**
 * Agents per tier the blocks before the stream leave up: the mix's mean job-seconds per slot over the slot, within
 * the quota. These are the instances a firm proving this stream keeps running between blocks.
 */
export function standingFleetFor(parameters: Pick<StreamParameters, 'profile' | 'publicCalls' | 'txs' | 'slotSeconds'>, model: SimModel): Record<Tier, number> {
  const perTx = jobSecondsPerTx(parameters);
  const mean = meanTxs(parameters.txs);
  const max = maxAgentsOf(model);
  return perTier((tier) => Math.min(max[tier], Math.ceil((mean * perTx[tier]) / parameters.slotSeconds)));
}

/** Expected job-seconds per tx of each tier, over the mix (bigger blocks have slightly more merges per tx). */
export function jobSecondsPerTx({ profile, publicCalls, txs }: Pick<StreamParameters, 'profile' | 'publicCalls' | 'txs'>): Record<Tier, number> {
  const circuit = getCircuitProfile(profile);
  const spec = parsePublicCallSpec(publicCalls);
  const totals = { heavy: 0, light: 0 } as Record<Tier, number>;
  let meanTxsTotal = 0;
  for (const { txs: size, probability } of txs) {
    const plan = planBlock(syntheticBlockBody({ txs: size, publicCalls: spec, seed: 'mix' }), circuit, { blockId: 'mix', trusted: true });
    const tierOfKind = plan.kinds.map((kind) => plan.profile.kinds[kind]!.tier);
    for (let job = 0; job < plan.size; job++) totals[tierOfKind[plan.kindCodes[job]!]!] += probability * plan.expectedSeconds[job]!;
    meanTxsTotal += probability * size;
  }
  return perTier((tier) => totals[tier] / meanTxsTotal);
}

/** The longest critical path of the mix's block sizes (seconds): bounds when the stream's last deadline can fall. */
export function maxCriticalPath(parameters: StreamParameters, profile: string): number {
  const circuit = getCircuitProfile(profile);
  const largest = Math.max(...parameters.txs.map(({ txs }) => txs));
  const plan = planBlock(syntheticBlockBody({ txs: largest, publicCalls: parsePublicCallSpec(parameters.publicCalls), seed: 'bound' }), circuit, {
    blockId: 'bound',
    trusted: true,
  });
  return plan.criticalPathSeconds;
}

/** vCPUs per agent, for quotas given in vCPUs. */
export function agentsWithin(vcpus: number, tier: Tier): number {
  return Math.floor(vcpus / TIER_SHAPES[tier].vcpus);
}

function perTier<T>(value: (tier: Tier) => T): Record<Tier, T> {
  return { heavy: value('heavy'), light: value('light') };
}
