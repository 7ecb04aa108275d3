import { parseEventLogs, type Log } from 'viem';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import type { L1Position, RollupEvent, RollupEventType } from '../../core/ports/l1.js';

/** The rollup events the orchestrator consumes (staking, funding and randomness events are not among them). */
export const ROLLUP_EVENT_NAMES = [
  'BlockProposed',
  'BlockRevealed',
  'ProverCommitted',
  'BlockProven',
  'ProvingClockRestarted',
  'BlockPruned',
  'BondSlashed',
] as const satisfies readonly RollupEventType[];

type RollupEventName = (typeof ROLLUP_EVENT_NAMES)[number];
type RollupEventAbiItem = Extract<(typeof rollupAbi)[number], { type: 'event'; name: RollupEventName }>;

/** The ABI items of ROLLUP_EVENT_NAMES, for `eth_getLogs` filters. */
export const rollupEventAbi = rollupAbi.filter(
  (item): item is RollupEventAbiItem => item.type === 'event' && (ROLLUP_EVENT_NAMES as readonly string[]).includes(item.name),
);

/** Decodes mined rollup logs into domain events, in the order given; other logs are skipped. */
export function decodeRollupEvents(logs: readonly Log[]): RollupEvent[] {
  return parseEventLogs({ abi: rollupEventAbi, logs: [...logs], strict: true }).map((log): RollupEvent => {
    const at = positionOf(log);
    switch (log.eventName) {
      case 'BlockProposed':
        return { type: 'BlockProposed', ...log.args, at };
      case 'BlockRevealed':
        return {
          type: 'BlockRevealed',
          ...log.args,
          revealedAt: Number(log.args.revealedAt),
          provingDeadline: Number(log.args.provingDeadline),
          at,
        };
      case 'ProverCommitted':
        return { type: 'ProverCommitted', ...log.args, exclusiveUntil: Number(log.args.exclusiveUntil), at };
      case 'BlockProven':
        return {
          type: 'BlockProven',
          blockNumber: log.args.blockNumber,
          proverId: log.args.proverId,
          submitter: log.args.submitter,
          newStateRoot: log.args.newStateRoot,
          proverReward: log.args.proverReward,
          at,
        };
      case 'ProvingClockRestarted':
        return {
          type: 'ProvingClockRestarted',
          blockNumber: log.args.blockNumber,
          exclusiveUntil: Number(log.args.exclusiveUntil),
          provingDeadline: Number(log.args.provingDeadline),
          at,
        };
      case 'BlockPruned':
        return { type: 'BlockPruned', blockNumber: log.args.blockNumber, at };
      case 'BondSlashed':
        return { type: 'BondSlashed', ...log.args, at };
    }
  });
}

function positionOf(log: Log): L1Position {
  if (log.blockNumber === null || log.blockHash === null || log.transactionHash === null || log.logIndex === null) {
    throw new TypeError('decodeRollupEvents takes mined logs only');
  }
  return { blockNumber: log.blockNumber, blockHash: log.blockHash, txHash: log.transactionHash, logIndex: log.logIndex };
}
