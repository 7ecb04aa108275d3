import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentCapacity } from '../../core/ports/agentCapacity.js';
import type { TierDecision } from '../../core/scale/sizeFleet.js';
import { scalingMetrics } from '../../runtime/aws/scalingMetrics.js';
import { METRICS_NAMESPACE } from '../../infra/constructs/proverFunction.js';
import { SCALER_SERVICE } from '../../infra/constructs/provingObservability.js';

interface Emf {
  readonly _aws: { readonly CloudWatchMetrics: readonly { readonly Namespace: string; readonly Dimensions: readonly string[][]; readonly Metrics: readonly { Name: string }[] }[] };
  readonly [field: string]: unknown;
}

const capacity: AgentCapacity = {
  count: async (tier) => (tier === 'heavy' ? { running: 12, starting: 4 } : { running: 30, starting: 0 }),
  start: async () => undefined,
  stop: async () => undefined,
};
const decision = (spot: boolean): TierDecision => ({ desired: 1, start: 0, target: 1, stop: 0, spot, why: 'test' });

/** The EMF lines the scaler writes to stdout during `run`. */
function emitted(run: () => Promise<void>): Promise<Emf[]> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return run()
    .then(() => lines.flatMap((line) => line.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Emf))
    .finally(() => write.mockRestore());
}

describe('the scaler\'s metrics (EMF), as the dashboard and the deadline alarm read them', () => {
  afterEach(() => vi.restoreAllMocks());

  it('agents per tier as the tick counted them, deadline risk and slack, under the ProverBurst namespace and the scaler service', async () => {
    const metrics = scalingMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SCALER_SERVICE }));
    const lines = await emitted(async () => {
      const deps = metrics.observing({ capacity });
      await deps.capacity.count('heavy');
      await deps.capacity.count('light');
      metrics.publish({ heavy: decision(true), light: decision(false) }, 95);
    });
    const byDimensions = Object.fromEntries(lines.map((line) => [line._aws.CloudWatchMetrics[0]!.Dimensions[0]!.join('+'), line]));
    expect(Object.keys(byDimensions).sort()).toEqual(['service', 'service+Tier']);
    for (const line of lines) expect(line._aws.CloudWatchMetrics[0]!.Namespace).toBe('ProverBurst');
    const perTier = lines.filter((line) => line.Tier !== undefined);
    expect(perTier.map((line) => ({ Tier: line.Tier, service: line.service, AgentsRunning: line.AgentsRunning, AgentsStarting: line.AgentsStarting }))).toEqual([
      { Tier: 'heavy', service: SCALER_SERVICE, AgentsRunning: 12, AgentsStarting: 4 },
      { Tier: 'light', service: SCALER_SERVICE, AgentsRunning: 30, AgentsStarting: 0 },
    ]);
    // The light tier is bought on demand: the slack is short, the deadline at risk.
    expect(byDimensions.service).toMatchObject({ service: SCALER_SERVICE, DeadlineAtRisk: 1, SecondsToDeadline: 95 });
  });

  it('counts nothing twice and calls Batch no more than the tick does', async () => {
    const count = vi.fn((tier: 'heavy' | 'light') => capacity.count(tier));
    const metrics = scalingMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SCALER_SERVICE }));
    const lines = await emitted(async () => {
      const deps = metrics.observing({ capacity: { ...capacity, count } });
      await deps.capacity.count('heavy');
      metrics.publish({ heavy: decision(true), light: decision(true) }, null);
      metrics.publish({ heavy: decision(true), light: decision(true) }, null);
    });
    expect(count).toHaveBeenCalledTimes(1);
    expect(lines.filter((line) => line.Tier !== undefined)).toHaveLength(1);
    expect(lines.filter((line) => line.Tier === undefined).map((line) => [line.DeadlineAtRisk, line.SecondsToDeadline])).toEqual([
      [0, undefined],
      [0, undefined],
    ]);
  });

  it('is silent where no metrics namespace is configured (tests, local runs)', async () => {
    const metrics = scalingMetrics(null);
    const deps = { capacity };
    expect(metrics.observing(deps)).toBe(deps);
    await expect(emitted(async () => metrics.publish({ heavy: decision(false), light: decision(false) }, 10))).resolves.toEqual([]);
  });
});
