// Plans the largest block (61,440 txs, 2 public calls each) once, cold, in a fresh process.
import { syntheticBlockBody } from '../core/body/syntheticBlockBody.js';
import { planBlock } from '../core/plan/planBlock.js';
import { rfp2023 } from '../core/profiles/rfp2023.js';
import { peakRssMb, writeResult } from './writeResult.js';

const txs = 61_440;
const body = syntheticBlockBody({ txs, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'bench' });
const started = performance.now();
const plan = planBlock(body, rfp2023);
const wallMs = Math.round(performance.now() - started);

writeResult('plan', { txs, jobs: plan.size, wallMs, peakRssMb: peakRssMb(), criticalPathSeconds: plan.criticalPathSeconds });
