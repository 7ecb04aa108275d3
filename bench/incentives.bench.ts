// The incentives table: deploys the protocol with the devnet defaults on the in-process chain, reads the parameters
// back from the contract, and computes what each actor earns on the honest path and on each deviation (prove late,
// withhold, reveal malformed, delay a parent) for blocks of 1 … maxTxsPerBlock txs: every size for the worst case of
// each deviation, and sampled sizes priced as our quote service prices them (default cost model, rfp-2023, one public
// call per tx). Writes bench/results/incentives.json and prints the table docs/protocol-v2.md shows.
import { DEFAULT_COST_MODEL } from '../core/cost/costModel.js';
import { worstDeviationAdvantages, type BlockPayoffs } from '../core/protocol/incentives.js';
import { quotedPayoffs } from '../core/quote/quotedPayoffs.js';
import { DEVNET_PARAMETER_DEFAULTS } from '../l1/deploy/devnetParameters.js';
import { startProtocolFixture } from '../l1/testing/protocolFixture.js';
import { writeResult } from './writeResult.js';

const f = await startProtocolFixture(DEVNET_PARAMETER_DEFAULTS);
const parameters = await f.rollupChain(f.wallets[0]!).parameters();
await f.chain.stop();

const eth = (wei: bigint) => (Number(wei) / 1e18).toFixed(6);
const sizes = [...Array.from({ length: 16 }, (_, i) => 2 ** i), parameters.maxTxsPerBlock];
const rows = sizes.map((txCount) => quotedPayoffs(parameters, txCount, DEFAULT_COST_MODEL));
const worst = worstDeviationAdvantages(parameters);

const inEth = (row: BlockPayoffs) => ({
  txCount: row.txCount,
  rewardEth: eth(row.rewardWei),
  proverBondEth: eth(row.proverBondWei),
  costEth: eth(row.costWei),
  committedProver: row.committedProver && {
    feeBps: row.committedProver.feeBps,
    honest: eth(row.committedProver.honest),
    proveLate: eth(row.committedProver.proveLate),
    withhold: eth(row.committedProver.withhold),
    delayParent: eth(row.committedProver.delayParent),
  },
  sequencer: {
    honest: eth(row.sequencer.honest),
    revealMalformed: eth(row.sequencer.revealMalformed),
    withhold: eth(row.sequencer.withhold),
  },
  openRaceProver: { honest: eth(row.openRaceProver.honest) },
});

writeResult('incentives', {
  source: 'Rollup.parameters() of a deployment with the devnet defaults (l1/deploy/devnetParameters.ts), in-process chain',
  // genesisTime is the deployment's own clock, not an economic parameter: left out so reruns compare.
  parameters: Object.fromEntries(Object.entries(parameters).filter(([name]) => name !== 'genesisTime').map(([name, value]) => [name, String(value)])),
  pricing: { profile: 'rfp-2023', publicCallsPerTx: 1, costModel: DEFAULT_COST_MODEL },
  checkedTxCounts: `1..${parameters.maxTxsPerBlock}`,
  worstCase: worst.map((w) => ({ actor: w.actor, deviation: w.deviation, maxAdvantageEth: eth(w.maxAdvantageWei), atTxCount: w.atTxCount })),
  noDeviationPays: worst.every((w) => w.maxAdvantageWei < 0n),
  rows: rows.map(inEth),
});

// The docs table: ETH per block; each deviation next to the honest path of the same actor.
const lines = [
  '| txs | reward | bond | prover: honest | late | withhold | delay parent | sequencer: honest | malformed | open race |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((row) => {
    const prover = row.committedProver;
    const cells = prover
      ? [prover.honest, prover.proveLate, prover.withhold, prover.delayParent].map(eth)
      : ['no quote', '—', '—', '—'];
    return `| ${row.txCount.toLocaleString('en-US')} | ${eth(row.rewardWei)} | ${eth(row.proverBondWei)} | ${cells.join(' | ')} | ${eth(row.sequencer.honest)} | ${eth(row.sequencer.revealMalformed)} | ${eth(row.openRaceProver.honest)} |`;
  }),
];
process.stdout.write(`\n${lines.join('\n')}\n\nworst case over 1..${parameters.maxTxsPerBlock} txs:\n`);
for (const w of worst) process.stdout.write(`  ${w.actor}.${w.deviation}: ${eth(w.maxAdvantageWei)} ETH at ${w.atTxCount} txs\n`);
