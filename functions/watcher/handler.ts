import type { Address } from 'viem';
import { DEFAULT_COST_MODEL } from '../../core/cost/costModel.js';
import { economicPolicy } from '../../core/policy/economicPolicy.js';
import { watchL1, type WatchTick } from '../../core/watch/watchL1.js';
import { createL1Follower } from '../../l1/follower/createL1Follower.js';
import type { AwsClientOptions } from '../../runtime/aws/clients.js';
import { cloudFleetQuota } from '../../runtime/aws/runSettings.js';
import { functionObservability, lambdaHandler, tracedClients } from '../../runtime/aws/observability.js';
import { lazyBlockRunContext } from '../../runtime/aws/blockRunContext.js';

const SERVICE = 'prover-burst-watcher';

/** Seconds before agents prove on AWS: Batch scheduling, EC2 launch and image pull. */
const PROVISIONING_SECONDS = 180;

/**
 * The watcher, invoked every minute by EventBridge: it follows L1 from the cursor in DynamoDB once per L1 block
 * time for WATCH_SECONDS, so new events are seen within one block time, and starts (or stops) block runs as the
 * policy decides. Ticks of overlapping invocations are safe: starts are idempotent and the cursor is written by
 * compare-and-set.
 */
export function createWatcherHandler(env: NodeJS.ProcessEnv = process.env, clientOptions: AwsClientOptions = {}, observability = functionObservability(SERVICE, env)) {
  const context = lazyBlockRunContext(env, { service: SERVICE, signing: false, clientOptions: tracedClients(observability.tracer, clientOptions), log: observability.log });
  return async (): Promise<{ readonly ticks: readonly WatchTick[] }> => {
    const { config, deps, settings, driver, publicClient, log } = await context();
    const follower = createL1Follower({
      client: publicClient,
      rollup: config.ROLLUP_ADDRESS as Address,
      confirmations: config.L1_CONFIRMATIONS,
      fromBlock: config.L1_START_BLOCK,
    });
    const policy = economicPolicy({
      mode: config.PROVING_MODE,
      proverId: config.PROVER_ID as Address,
      profile: config.CIRCUIT_PROFILE,
      costModel: { ...DEFAULT_COST_MODEL, usdPerEth: config.COST_USD_PER_ETH, margin: config.COST_MARGIN },
      secondsPerExpectedSecond: config.EXPECTED_SECOND_SCALE,
      provisioningSeconds: PROVISIONING_SECONDS,
      fleetQuota: cloudFleetQuota(settings.scaling, config.QUOTE_LAUNCH_TOKENS),
    });
    const until = deps.clock.now() + config.WATCH_SECONDS * 1000;
    const ticks: WatchTick[] = [];
    do {
      const tick = await watchL1(
        { store: deps.store, targets: deps.targets, follower, chain: deps.chain, driver, clock: deps.clock, log },
        { cursorName: 'l1-watch', policy, keepFinished: 64 },
      );
      ticks.push(tick);
      if (tick.events + tick.retracted + tick.started.length + tick.stopped.length > 0) log.info('watcher tick', { ...tick });
      if (deps.clock.now() + config.L1_BLOCK_SECONDS * 1000 > until) break;
      await deps.clock.sleep(config.L1_BLOCK_SECONDS * 1000);
    } while (deps.clock.now() < until);
    return { ticks };
  };
}

const observability = functionObservability(SERVICE);
export const handler = lambdaHandler(observability, createWatcherHandler(process.env, {}, observability));
