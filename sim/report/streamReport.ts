import { SUSTAINED_QUOTED_SHARE, type ScalingRow } from '../engine/scalingTable.js';
import type { IdleAgentSeconds, StreamOutcome } from '../engine/streamOutcome.js';
import { formatTxsMix } from '../model/txsMix.js';
import { COST_CATEGORIES, COST_CATEGORY_NAMES, type CostRow } from './costBreakdown.js';

export interface StreamReportParameters {
  readonly stream: StreamOutcome;
  /** Extra streams over the same blocks: faults, scale-in sensitivity (label → outcome). */
  readonly variants?: readonly { readonly label: string; readonly outcome: StreamOutcome }[];
  readonly scaling?: readonly ScalingRow[];
  /** File name of the scaling chart next to the report, if one was written. */
  readonly scalingChart?: string;
  readonly modelSource: string;
}

/** The stream scenario and the scaling table as markdown (the report `prover-burst simulate --scenario stream` writes). */
export function streamReport({ stream, variants = [], scaling, scalingChart, modelSource }: StreamReportParameters): string {
  const p = stream.parameters;
  const lines = [
    '# A stream of blocks on one shared fleet (simulated AWS)',
    '',
    `${p.blocks} blocks of ${formatTxsMix(p.txs)} txs (${p.publicCalls} public calls each, ${p.profile}), one revealed every ${p.slotSeconds} s, ` +
      `each due ${p.deadlineFactor} × its critical path after its reveal; quotas heavy ${fmt(p.quota.heavy)} / light ${fmt(p.quota.light)} vCPUs; ` +
      `${p.warm ? `a standing fleet at t = 0 (heavy ${fmt(stream.standingFleet.heavy)}, light ${fmt(stream.standingFleet.light)} agents: the mix's mean work per slot)` : 'no instance up at t = 0'}; ` +
      `quote: ${p.quote}; seed ${p.seed}; ${modelSource}. SIMULATED: no AWS resource was used.`,
    '',
    '| | ' + ['stream', ...variants.map((v) => v.label)].join(' | ') + ' |',
    '|---|' + ['stream', ...variants].map(() => '---:').join('|') + '|',
    ...rows([stream, ...variants.map((v) => v.outcome)]),
    '',
    'Makespan is reveal → root proof; the lower bound is the job-seconds of each first proof at the tier\'s cheapest price. ' +
      'Steady state is the window from the reveal that ends the first fifth of the stream to the last reveal (no warm-up, no drain). ' +
      'Utilisation is proof-seconds over billed instance-seconds in that window. Batch API calls all share one 50 TPS budget ' +
      '(SubmitJob, CancelJob, TerminateJob, ListJobs, DescribeJobs); launches go through EC2\'s RunInstances bucket ' +
      `(${fmt(stream.launches.bucket.burst)} burst, ${stream.launches.bucket.refillPerSecond}/s).`,
  ];
  lines.push('', ...steadyBillSection(stream));
  if (scaling && scaling.length > 0) {
    lines.push(
      '',
      '## Scaling with compute',
      '',
      'For each per-tier quota, streams of the same mix at several offered loads (the slot shortened to raise the load); ' +
        `sustained = the most txs/s proven with every committed block on time and at least ${Math.round(SUSTAINED_QUOTED_SHARE * 100)} % of the offered txs quoted ` +
        '(a capacity-aware quote keeps blocks on time by refusing others: refused blocks are revenue lost).',
      '',
      '| quota per tier (vCPUs) | fluid capacity (txs/s) | sustained (txs/s) | cost per tx | trials: load → proven txs/s, txs quoted, missed / committed, compute ÷ bound (steady) |',
      '|---:|---:|---:|---:|---|',
      ...scaling.map(
        (row) =>
          `| ${fmt(row.quotaVcpus)} | ${row.fluidCapacityTxsPerSecond.toFixed(1)} | ${row.sustainedTxsPerSecond === null ? 'none' : row.sustainedTxsPerSecond.toFixed(1)} | ` +
          `${row.perTxUsd === null ? '—' : `$${row.perTxUsd.toFixed(4)}`} | ` +
          row.trials
            .map(
              (t) =>
                `${Math.round(t.loadFraction * 100)} % (${t.slotSeconds} s slots) → ${t.provenTxsPerSecond.toFixed(1)}, ${Math.round(t.quotedTxShare * 100)} % quoted, ` +
                `${t.missed}/${t.committed}, ${t.steadyStateComputeOverLowerBound.toFixed(2)}×`,
            )
            .join('; ') +
          ' |',
      ),
    );
    if (scalingChart) lines.push('', `![sustained txs/s against the quota](${scalingChart})`);
  }
  return lines.join('\n') + '\n';
}

const IDLE_REASONS: readonly (readonly [keyof IdleAgentSeconds, string])[] = [
  ['wanted', 'wanted by the sizing (waiting for ready work)'],
  ['held', 'kept by the scale-down hold above what the sizing wanted'],
  ['aboveTarget', 'above the target (leave grace, packing delay)'],
];

/** The steady window's bill, category by category (rows that are 0 in both tiers left out), with its lower bound. */
function steadyBillSection(stream: StreamOutcome): string[] {
  const { categories, billed, idleAgentSeconds: idle } = stream.steadyBill;
  const { steadyState } = stream.compute;
  const share = (usd: number) => (billed.usd > 0 ? pct(usd / billed.usd) : '—');
  const line = (label: string, row: CostRow) =>
    `| ${label} | ${fmt(row.seconds.heavy)} | ${fmt(row.seconds.light)} | $${row.usd.toFixed(2)} | ${share(row.usd)} |`;
  return [
    '## Where the steady window\'s compute goes',
    '',
    `The steady window (${Math.round(steadyState.fromSeconds)}–${Math.round(steadyState.toSeconds)} s) bills $${billed.usd.toFixed(2)} against a lower bound of ` +
      `$${steadyState.lowerBoundUsd.toFixed(2)} (${steadyState.ratio.toFixed(2)}×). Each agent-slot second of it (an instance's time × its slots), ` +
      'by what the slot was doing, priced at Spot; the on-demand premium is the extra on-demand time cost. The rows sum to the window\'s bill.',
    '',
    '| where the time went | heavy slot-s | light slot-s | $ | share |',
    '|---|---:|---:|---:|---:|',
    ...COST_CATEGORIES.filter((category) => categories[category].usd !== 0 || categories[category].seconds.heavy !== 0 || categories[category].seconds.light !== 0).map(
      (category) => line(COST_CATEGORY_NAMES[category], categories[category]),
    ),
    line('**billed in the window**', billed),
    '',
    'Agents running but not proving (between proofs, requests included), sampled at each scaler tick, by why they were there (agent-seconds):',
    '',
    '| why | heavy | light |',
    '|---|---:|---:|',
    ...IDLE_REASONS.map(([key, label]) => `| ${label} | ${fmt(idle.heavy[key])} | ${fmt(idle.light[key])} |`),
  ];
}

function rows(outcomes: readonly StreamOutcome[]): string[] {
  const row = (label: string, value: (o: StreamOutcome) => string) => `| ${label} | ${outcomes.map(value).join(' | ')} |`;
  const ratio = (value: number | null) => (value === null ? '—' : `${value.toFixed(2)}×`);
  return [
    row('blocks revealed / quoted / refused', (o) => `${o.blocks.revealed} / ${o.blocks.quoted} / ${o.blocks.refused}`),
    row('committed blocks proven on time / missed', (o) => `${o.blocks.proven} / ${o.blocks.missed}`),
    row('makespan ÷ critical path p50 / p95 / max', (o) => `${ratio(o.makespanOverCriticalPath.p50)} / ${ratio(o.makespanOverCriticalPath.p95)} / ${ratio(o.makespanOverCriticalPath.max)}`),
    row('compute ÷ lower bound, whole stream', (o) => `${o.computeOverLowerBound.toFixed(2)}×`),
    row('compute ÷ lower bound, steady state', (o) => `${o.compute.steadyState.ratio.toFixed(2)}×`),
    row('compute per block / per tx (lower bound per tx)', (o) => `$${o.compute.perBlockUsd.toFixed(2)} / $${o.compute.perTxUsd.toFixed(4)} ($${o.compute.lowerBoundPerTxUsd.toFixed(4)})`),
    row('fleet utilisation heavy / light (steady)', (o) => `${pct(o.fleetUtilisation.heavy)} / ${pct(o.fleetUtilisation.light)}`),
    row('control plane ÷ compute', (o) => pct(o.controlPlaneShare, 2)),
    row('peak Batch API TPS (budget 50)', (o) => String(o.peakBatchApiTps)),
    row('Batch calls: Submit / Cancel / Terminate / List / Describe', (o) =>
      ['SubmitJob', 'CancelJob', 'TerminateJob', 'ListJobs', 'DescribeJobs'].map((k) => fmt(o.batchApiCalls[k] ?? 0)).join(' / '),
    ),
    row('EC2 launches / peak per s / waited for tokens (max)', (o) => `${fmt(o.launches.total)} / ${o.peakLaunchesPerSecond} / ${Math.round(o.launches.maxWaitSeconds)} s`),
    row('agents started / stopped by API / left by themselves', (o) => `${fmt(o.agents.started)} / ${fmt(o.agents.stopped)} / ${fmt(o.agents.exitedByThemselves)}`),
    row('agent starts / stops per block', (o) => `${o.agents.startedPerBlock.toFixed(1)} / ${o.agents.stoppedPerBlock.toFixed(1)}`),
    row('peak vCPUs heavy / light', (o) => `${fmt(o.peakVcpus.heavy)} / ${fmt(o.peakVcpus.light)}`),
    row('txs/s proven on time (offered)', (o) => `${o.throughput.txsPerSecond.toFixed(1)} (${o.throughput.offeredTxsPerSecond.toFixed(1)})`),
    row('fault at / recovery', (o) => (o.fault ? `${Math.round(o.fault.atSeconds)} s / ${o.fault.recoverySeconds === null ? 'never' : `${Math.round(o.fault.recoverySeconds)} s`}` : '—')),
    row('wall time (events)', (o) => `${(o.wallMs / 1_000).toFixed(1)} s (${fmt(o.eventsFired)})`),
  ];
}

/** An SVG chart of sustained txs/s against the per-tier quota (log scale), with the fluid capacity for reference. */
export function scalingChart(rows: readonly ScalingRow[]): string {
  const width = 720;
  const height = 360;
  const margin = { left: 70, right: 30, top: 40, bottom: 50 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const quotas = rows.map((row) => row.quotaVcpus);
  const minQ = Math.log2(Math.min(...quotas));
  const maxQ = Math.log2(Math.max(...quotas));
  const top = Math.max(1, ...rows.map((row) => row.fluidCapacityTxsPerSecond));
  const x = (quota: number) => margin.left + (maxQ === minQ ? plotWidth / 2 : ((Math.log2(quota) - minQ) / (maxQ - minQ)) * plotWidth);
  const y = (txs: number) => margin.top + plotHeight - (txs / top) * plotHeight;
  const poly = (points: [number, number][], color: string, dash = '') =>
    `<polyline fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${points.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`;
  const fluid = rows.map((row): [number, number] => [x(row.quotaVcpus), y(row.fluidCapacityTxsPerSecond)]);
  const sustained = rows.filter((row) => row.sustainedTxsPerSecond !== null).map((row): [number, number] => [x(row.quotaVcpus), y(row.sustainedTxsPerSecond!)]);
  const ticks = rows
    .map((row) => `<text x="${x(row.quotaVcpus).toFixed(1)}" y="${height - 28}" text-anchor="middle" font-size="12">${fmt(row.quotaVcpus)}</text>`)
    .join('');
  const yTicks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<text x="${margin.left - 8}" y="${(y(f * top) + 4).toFixed(1)}" text-anchor="end" font-size="12">${Math.round(f * top)}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">Sustained txs/s against the per-tier vCPU quota (SIMULATED)</text>`,
    `<line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    ticks,
    yTicks,
    `<text x="${width / 2}" y="${height - 8}" text-anchor="middle" font-size="12">vCPUs per tier (log scale)</text>`,
    poly(fluid, '#888', '5 4'),
    sustained.length > 0 ? poly(sustained, '#1e8449') : '',
    ...sustained.map(([a, b]) => `<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="4" fill="#1e8449"/>`),
    `<text x="${margin.left + 10}" y="${margin.top + 14}" font-size="12" fill="#1e8449">sustained, every committed block on time</text>`,
    `<text x="${margin.left + 10}" y="${margin.top + 30}" font-size="12" fill="#888">fluid capacity (every agent proving all the time)</text>`,
    '</svg>',
  ].join('\n');
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function pct(value: number, digits = 0): string {
  return `${(value * 100).toFixed(digits)} %`;
}
