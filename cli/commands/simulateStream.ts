import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parsePublicCallSpec } from '../../core/body/publicCallSpec.js';
import { getCircuitProfile } from '../../core/profiles/getCircuitProfile.js';
import type { Tier } from '../../core/tiers.js';
import { simulateStream } from '../../sim/engine/simulateStream.js';
import { streamQuote, STREAM_QUOTE_NAMES, type StreamQuoteName } from '../../sim/engine/streamQuotes.js';
import type { SimModel } from '../../sim/model/model.js';
import { parseTxsMix } from '../../sim/model/txsMix.js';
import { streamReport } from '../../sim/report/streamReport.js';
import type { CliOutput } from '../output.js';
import { integerFlag, numberFlag } from '../parseFlags.js';
import { asUsage, UsageError } from '../usageError.js';

/** The construct's default `maxvCpus` per tier (infra/provingOrchestrator.ts): the stream's default quota. */
export const CONSTRUCT_DEFAULT_MAX_VCPUS = 8_192;

export interface StreamFlags {
  readonly txs?: string;
  readonly 'public-calls': string;
  readonly profile?: string;
  readonly 'slot-seconds'?: string;
  readonly blocks?: string;
  readonly quota?: string;
  readonly fault?: string;
  readonly cold?: boolean;
  readonly 'deadline-factor'?: string;
  readonly quote?: string;
  readonly seeds?: string;
  readonly json?: boolean;
  readonly out?: string;
}

/** `--quota heavy=V,light=V`: vCPUs per tier; a tier left out keeps the construct's default. */
export function parseQuota(raw: string | undefined): Record<Tier, number> {
  const quota: Record<Tier, number> = { heavy: CONSTRUCT_DEFAULT_MAX_VCPUS, light: CONSTRUCT_DEFAULT_MAX_VCPUS };
  if (raw === undefined) return quota;
  for (const part of raw.split(',')) {
    const match = /^\s*(heavy|light)\s*=\s*(\d+)\s*$/.exec(part);
    if (!match || Number(match[2]) < 1) throw new UsageError(`--quota takes heavy=V,light=V with V a positive number of vCPUs, got "${raw}"`);
    quota[match[1] as Tier] = Number(match[2]);
  }
  return quota;
}

/** `prover-burst simulate --scenario stream`: a stream of blocks on one shared fleet under the quotas. */
export async function streamCommand(flags: StreamFlags, model: SimModel, modelSource: string, defaultOut: string, io: CliOutput): Promise<number> {
  const { profile, mix } = asUsage(() => {
    parsePublicCallSpec(flags['public-calls']);
    return { profile: getCircuitProfile(flags.profile), mix: parseTxsMix(flags.txs ?? '1024:0.6,4096:0.3,16384:0.1') };
  });
  for (const { txs } of mix) if (txs > profile.maxTxs) throw new UsageError(`--txs ${txs} is above ${profile.name}'s maximum of ${profile.maxTxs}`);
  const fault = flags.fault;
  if (fault !== undefined && fault !== 'kill-30' && fault !== 'spot-storm') throw new UsageError(`--fault must be kill-30 or spot-storm, got "${fault}"`);
  const quoteName = flags.quote ?? STREAM_QUOTE_NAMES[0];
  if (!(STREAM_QUOTE_NAMES as readonly string[]).includes(quoteName)) throw new UsageError(`--quote must be one of ${STREAM_QUOTE_NAMES.join(', ')}, got "${quoteName}"`);
  const quota = parseQuota(flags.quota);
  const quote = streamQuote(quoteName as StreamQuoteName);
  const outcome = await simulateStream({
    profile: profile.name,
    publicCalls: flags['public-calls'],
    txs: mix,
    blocks: integerFlag('blocks', flags.blocks, 50),
    slotSeconds: numberFlag('slot-seconds', flags['slot-seconds'], 72, 1),
    deadlineFactor: numberFlag('deadline-factor', flags['deadline-factor'], 2, 1),
    model: { ...model, account: { maxVcpus: quota } },
    seed: String(integerFlag('seeds', flags.seeds, 1)),
    fault: fault ?? null,
    warm: !flags.cold,
    quote: quote.quote,
    quoteName: quote.name,
  });
  const markdown = streamReport({ stream: outcome, modelSource });
  const out = resolve(flags.out ?? defaultOut);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'simulate.md'), markdown);
  if (flags.json) {
    io.out(JSON.stringify(outcome));
    return 0;
  }
  io.out(markdown);
  io.out(`wrote ${join(out, 'simulate.md')}`);
  return 0;
}
