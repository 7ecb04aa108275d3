import { TIERS, type Tier } from '../../core/tiers.js';
import { interruptionWaived, type FleetAgent, type Instance } from '../world/fleet.js';
import { agentUsdPerHour } from '../model/instanceSlots.js';
import type { SimModel } from '../model/model.js';
import type { AgentWork } from '../engine/proofLedger.js';
import { overlapMs, WHOLE_TIME, type AccountingWindow } from '../world/accountingWindow.js';

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
  'idleUntilLeft',
  'idleUntilIdleExit',
  'emptySlots',
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
  containerStart: 'container start (every agent, after the image pull or on an instance that had the image)',
  agentLeadIn: 'agent up before its first proof (plan build, waiting for work)',
  betweenProofs: 'agent between proofs (requests, waiting for ready work)',
  idleUntilStopped: 'agent idle after its last proof until stopped',
  idleUntilLeft: 'agent idle after its last proof until it left a tier above its target (leave grace, packing delay)',
  idleUntilIdleExit: 'agent idle after its last proof until its idle exit',
  emptySlots: 'empty agent slots beside a starting or running agent (an instance partly used)',
  scaleIn: 'instance with no agent, until Batch scales it in (or places another)',
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
 * A compute bill split by what the instance time was spent on, slot by slot (an instance hosting six agents has six
 * slots; an empty slot beside an agent counts as `emptySlots`, those of an instance with none as `scaleIn`). Every
 * category but the premium is priced at an agent's seat at Spot (`agentUsdPerHour`, the price the lower bound uses);
 * the premium is what on-demand time cost beyond that, and the waiver (negative) what AWS did not charge for
 * interrupted Spot instances, so the rows add up to the bill.
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
  /**
   * The window the fleet and the ledger accounted over (`FleetParameters.accounting`; all time by default). In a
   * window the bill is its instance time at each instance's price: the billing minimum and the interruption waiver
   * settle an instance's whole life, so they are 0 there.
   */
  readonly window?: AccountingWindow;
}

/** Splits the fleet's billed instance time into `COST_CATEGORIES` (call once every instance is terminated). */
export function costBreakdown({ instances, agents, model, workBy, now, window = WHOLE_TIME }: CostBreakdownParameters): CostBreakdown {
  const whole = window.from === -Infinity && window.to === Infinity;
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
    add('emptySlots', tier, phaseMs.emptySlot);
    add('scaleIn', tier, phaseMs.noAgent);
    add('interrupted', tier, phaseMs.draining);
    const end = instance.terminatedAt || now;
    const raw = overlapMs(instance.billedFrom, end, window);
    if (!whole) {
      if (!instance.spot) add('onDemandPremium', tier, slots * raw);
      continue;
    }
    if (instance.minimumApplies) add('billingMinimum', tier, slots * Math.max(0, model.ec2.billingMinimumSeconds * 1_000 - raw));
    if (!instance.spot) add('onDemandPremium', tier, slots * Math.max(raw, instance.minimumApplies ? model.ec2.billingMinimumSeconds * 1_000 : 0));
    // A waived instance's time still shows where it went; this row takes its charge back off.
    if (interruptionWaived(instance)) add('interruptionWaiver', tier, -slots * Math.max(raw, model.ec2.billingMinimumSeconds * 1_000));
  }
  for (const agent of agents) {
    if (agent.startedAt === 0 || !agent.instance) continue;
    const { tier } = agent;
    const end = agent.endedAt || now;
    const life = overlapMs(agent.startedAt, end, window);
    const work = workBy?.(agent.id);
    if (!workBy) {
      add('proving', tier, life);
      continue;
    }
    if (!work || work.firstProofAt === 0) {
      add('agentLeadIn', tier, life);
      continue;
    }
    const leadIn = overlapMs(agent.startedAt, work.firstProofAt, window);
    const tail = overlapMs(work.lastProofEndAt, end, window);
    add('agentLeadIn', tier, leadIn);
    add('proving', tier, work.provedMs);
    add('repeatedProving', tier, work.repeatedMs);
    add('interrupted', tier, work.interruptedMs);
    add('betweenProofs', tier, life - leadIn - tail - work.provedMs - work.repeatedMs - work.interruptedMs);
    add(tailCategory(agent, work), tier, tail);
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

/** What an agent's time after its last proof was: waiting to be stopped, to leave a tier above target, or for its idle exit. */
function tailCategory(agent: FleetAgent, work: Readonly<AgentWork>): CostCategory {
  if (agent.stopRequestedAt > 0 && agent.stopRequestedAt >= work.lastProofEndAt) return 'idleUntilStopped';
  return agent.exit === 'left' ? 'idleUntilLeft' : 'idleUntilIdleExit';
}

/** Agent-slot seconds and dollars of a breakdown, all rows together: the bill it splits. */
export function breakdownTotal(breakdown: CostBreakdown): CostRow {
  const rows = COST_CATEGORIES.map((category) => breakdown[category]);
  const total = (pick: (row: CostRow) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  return { seconds: { heavy: total((row) => (row === breakdown.onDemandPremium ? 0 : row.seconds.heavy)), light: total((row) => (row === breakdown.onDemandPremium ? 0 : row.seconds.light)) }, usd: total((row) => row.usd) };
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
