import { TIERS, type Tier } from '../../core/tiers.js';
import { interruptionWaived, type FleetAgent, type Instance } from '../world/fleet.js';
import { agentUsdPerHour } from '../model/instanceSlots.js';
import type { SimModel } from '../model/model.js';
import type { AgentWork } from '../engine/proofLedger.js';

/** Where a block's billed instance time went. */
export const COST_CATEGORIES = [
  'proving',
  'repeatedProving',
  'interrupted',
  'boot',
  'imagePull',
  'containerStart',
  'agentLeadIn',
  'betweenProofs',
  'idleUntilStopped',
  'idleUntilIdleExit',
  'scaleIn',
  'billingMinimum',
  'onDemandPremium',
  'interruptionWaiver',
] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

/** What each category means, for the report. */
export const COST_CATEGORY_NAMES: Readonly<Record<CostCategory, string>> = {
  proving: 'proving (first proof of each job)',
  repeatedProving: 'proving a job again (duplicates)',
  interrupted: 'interrupted: proofs cut short, and instances draining after a Spot notice',
  boot: 'boot and ECS registration (fresh instances)',
  imagePull: 'image pull (fresh instances)',
  containerStart: 'container start (instance already had the image)',
  agentLeadIn: 'agent up before its first proof (plan build, waiting for work)',
  betweenProofs: 'agent between proofs (requests, waiting for ready work)',
  idleUntilStopped: 'agent idle after its last proof until stopped',
  idleUntilIdleExit: 'agent idle after its last proof until its idle exit',
  scaleIn: 'empty agent slots: an instance partly used, or with no agent until Batch scales it in (or places another)',
  billingMinimum: 'EC2 per-instance billing minimum',
  onDemandPremium: 'on-demand premium over Spot',
  interruptionWaiver: 'less: Spot instances EC2 interrupted in their first hour (not charged)',
};

export interface CostRow {
  /** Agent-slot seconds per tier: instance-seconds × the instance's slots (for the premium: the on-demand ones). */
  readonly seconds: Readonly<Record<Tier, number>>;
  readonly usd: number;
}

/**
 * A block's compute bill split by what the instance time was spent on, slot by slot (an instance hosting six agents
 * has six slots; an empty slot of a busy instance counts as `scaleIn`). Every category but the premium is priced at
 * an agent's seat at Spot (`agentUsdPerHour`, the price the lower bound uses); the premium is what on-demand time
 * cost beyond that, and the waiver (negative) what AWS did not charge for interrupted Spot instances, so the rows add up to the bill.
 */
export type CostBreakdown = Readonly<Record<CostCategory, CostRow>>;

export interface CostBreakdownParameters {
  readonly instances: readonly Instance[];
  readonly agents: readonly FleetAgent[];
  readonly model: SimModel;
  /** How each agent spent its time on proofs; without it (jobs that are not agents) agent time counts as proving. */
  readonly workBy?: (agentId: string) => Readonly<AgentWork> | undefined;
  /** Simulated time now (epoch ms): closes anything still billed. */
  readonly now: number;
}

/** Splits the fleet's billed instance time into `COST_CATEGORIES` (call once every instance is terminated). */
export function costBreakdown({ instances, agents, model, workBy, now }: CostBreakdownParameters): CostBreakdown {
  const seconds = Object.fromEntries(COST_CATEGORIES.map((category) => [category, { heavy: 0, light: 0 }])) as Record<
    CostCategory,
    Record<Tier, number>
  >;
  const add = (category: CostCategory, tier: Tier, ms: number) => {
    seconds[category][tier] += ms / 1_000;
  };
  for (const instance of instances) {
    if (instance.billedFrom === 0) continue;
    // Slot-time: every phase is counted per agent slot, so each slot-second is priced at an agent's seat.
    const { tier, phaseMs, slots } = instance;
    add('boot', tier, phaseMs.boot);
    add('imagePull', tier, phaseMs.imagePull);
    add('containerStart', tier, phaseMs.containerStart);
    add('scaleIn', tier, phaseMs.noAgent - instance.drainingMs);
    add('interrupted', tier, instance.drainingMs);
    const end = instance.terminatedAt || now;
    const raw = end - instance.billedFrom;
    if (instance.minimumApplies) add('billingMinimum', tier, slots * Math.max(0, model.ec2.billingMinimumSeconds * 1_000 - raw));
    if (!instance.spot) add('onDemandPremium', tier, slots * Math.max(raw, instance.minimumApplies ? model.ec2.billingMinimumSeconds * 1_000 : 0));
    // A waived instance's time still shows where it went; this row takes its charge back off.
    if (interruptionWaived(instance)) add('interruptionWaiver', tier, -slots * Math.max(raw, model.ec2.billingMinimumSeconds * 1_000));
  }
  for (const agent of agents) {
    if (agent.startedAt === 0 || !agent.instance) continue;
    const { tier } = agent;
    const life = (agent.endedAt || now) - agent.startedAt;
    const work = workBy?.(agent.id);
    if (!workBy) {
      add('proving', tier, life);
      continue;
    }
    if (!work || work.firstProofAt === 0) {
      add('agentLeadIn', tier, life);
      continue;
    }
    const leadIn = work.firstProofAt - agent.startedAt;
    const tail = (agent.endedAt || now) - work.lastProofEndAt;
    add('agentLeadIn', tier, leadIn);
    add('proving', tier, work.provedMs);
    add('repeatedProving', tier, work.repeatedMs);
    add('interrupted', tier, work.interruptedMs);
    add('betweenProofs', tier, life - leadIn - tail - work.provedMs - work.repeatedMs - work.interruptedMs);
    const stopped = agent.stopRequestedAt > 0 && agent.stopRequestedAt >= work.lastProofEndAt;
    add(stopped ? 'idleUntilStopped' : 'idleUntilIdleExit', tier, tail);
  }
  const price = { heavy: agentUsdPerHour(model, 'heavy'), light: agentUsdPerHour(model, 'light') };
  const usdOf = (category: CostCategory, tier: Tier) =>
    (seconds[category][tier] * (category === 'onDemandPremium' ? price[tier].onDemand - price[tier].spot : price[tier].spot)) / 3_600;
  return Object.fromEntries(
    COST_CATEGORIES.map((category) => [
      category,
      { seconds: seconds[category], usd: TIERS.reduce((total, tier) => total + usdOf(category, tier), 0) },
    ]),
  ) as CostBreakdown;
}

/** The mean of several breakdowns, category by category. */
export function meanCostBreakdown(breakdowns: readonly CostBreakdown[]): CostBreakdown {
  const n = Math.max(breakdowns.length, 1);
  const meanRow = (category: CostCategory): CostRow => {
    const mean = (pick: (row: CostRow) => number) => breakdowns.reduce((total, b) => total + pick(b[category]), 0) / n;
    return { seconds: { heavy: mean((row) => row.seconds.heavy), light: mean((row) => row.seconds.light) }, usd: mean((row) => row.usd) };
  };
  return Object.fromEntries(COST_CATEGORIES.map((category) => [category, meanRow(category)])) as CostBreakdown;
}
