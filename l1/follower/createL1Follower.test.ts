import { keccak256, zeroHash } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FollowCursor, FollowStep, RollupEvent } from '../../core/ports/l1.js';
import { proposeBlock } from '../sequencer/sequencerActions.js';
import { startProtocolFixture, type ProtocolFixture } from '../testing/protocolFixture.js';
import { stakeSequencers } from '../testing/protocolSteps.js';
import type { L1WalletClient } from '../transactions/l1Clients.js';
import { createL1Follower, type CreateL1FollowerParameters } from './createL1Follower.js';

let f: ProtocolFixture;
const sequencers = () => [f.wallets[1]!, f.wallets[2]!, f.wallets[3]!, f.wallets[8]!];
const follower = (options: Partial<CreateL1FollowerParameters> = {}) =>
  createL1Follower({ client: f.publicClient, rollup: f.deployment.rollup, confirmations: 0, fromBlock: f.deployment.deploymentBlock, ...options });

/** A BlockProposed event from `sequencer` in slot 1 (the proposal phase is long enough for all of them). */
const propose = (sequencer: L1WalletClient) =>
  proposeBlock(sequencer, f.deployment.rollup, { slot: 1n, parentBlock: 0n, parentBodyHash: zeroHash, bodyHash: keccak256(sequencer.account.address) });
const proposers = (events: readonly RollupEvent[]) => events.map((event) => (event.type === 'BlockProposed' ? event.sequencer : event.type));
const positionKey = (event: RollupEvent) => `${event.at.blockHash}:${event.at.logIndex}`;
const address = (index: number) => sequencers()[index]!.account.address;

/** What a caller does with the cursor between calls: persist it as JSON (bigints as tagged strings) and read it back. */
const persisted = (cursor: FollowCursor): FollowCursor =>
  JSON.parse(
    JSON.stringify(cursor, (_, value: unknown) => (typeof value === 'bigint' ? { $bigint: value.toString() } : value)),
    (_, value: unknown) => (value !== null && typeof value === 'object' && '$bigint' in value ? BigInt((value as { $bigint: string }).$bigint) : value),
  ) as FollowCursor;

beforeEach(async () => {
  f = await startProtocolFixture();
  await stakeSequencers(f, sequencers());
  await f.advanceTo(f.schedule(1n).start);
});

describe('createL1Follower', () => {
  it('retracts the events of orphaned blocks and delivers the canonical ones exactly once', async () => {
    const l1 = follower();
    await propose(sequencers()[0]!);
    const first = await l1.follow(null);
    expect(proposers(first.events)).toEqual([address(0)]);

    const snapshot = await f.testClient.snapshot();
    await propose(sequencers()[1]!);
    await propose(sequencers()[2]!);
    const second = await l1.follow(persisted(first.cursor));
    expect(second.retracted).toEqual([]);
    expect(proposers(second.events)).toEqual([address(1), address(2)]);

    // The new history drops both proposals, then includes another one and, again, sequencer 1's.
    await f.testClient.revert({ id: snapshot });
    await propose(sequencers()[3]!);
    await propose(sequencers()[1]!);
    const third = await l1.follow(persisted(second.cursor));
    expect(third.retracted).toEqual([...second.events].reverse());
    expect(proposers(third.events)).toEqual([address(3), address(1)]);

    const fourth = await l1.follow(persisted(third.cursor));
    expect(fourth).toMatchObject({ retracted: [], events: [] });

    const delivered = [first, second, third].flatMap((step) => step.events);
    const retracted = new Set(third.retracted.map(positionKey));
    const fromScratch = await follower().follow(null);
    expect(delivered.filter((event) => !retracted.has(positionKey(event)))).toEqual(fromScratch.events);
  });

  it('notices by parent hash a reorg that lands between its own reads, and undoes it on the next call', async () => {
    const snapshot = await f.testClient.snapshot();
    await propose(sequencers()[0]!);
    const first = await follower().follow(null);
    await f.testClient.mine({ blocks: 1 });

    // The chain reorganises after the follower checked its remembered blocks, just before it reads the logs.
    let reorganised = false;
    const racingClient = new Proxy(f.publicClient, {
      get(target, property, receiver) {
        if (property !== 'getLogs' || reorganised) return Reflect.get(target, property, receiver) as unknown;
        return async (...args: Parameters<typeof target.getLogs>) => {
          reorganised = true;
          await f.testClient.revert({ id: snapshot });
          await propose(sequencers()[1]!);
          await f.testClient.mine({ blocks: 2 });
          return target.getLogs(...args);
        };
      },
    });
    const raced = await follower({ client: racingClient }).follow(first.cursor);
    expect(reorganised).toBe(true);
    expect(raced).toEqual({ retracted: [], events: [], cursor: first.cursor });

    const recovered = await follower().follow(raced.cursor);
    expect(recovered.retracted).toEqual(first.events);
    expect(proposers(recovered.events)).toEqual([address(1)]);
  });

  it('resumes from a persisted cursor without duplicates, reading in bounded ranges', async () => {
    const l1 = follower({ maxBlockRange: 2, keepRecent: 3 });
    let cursor: FollowCursor | null = null;
    const delivered: RollupEvent[] = [];
    for (const sequencer of sequencers()) {
      await propose(sequencer);
      await f.testClient.mine({ blocks: 2 });
      const step: FollowStep = await l1.follow(cursor === null ? null : persisted(cursor));
      expect(step.retracted).toEqual([]);
      delivered.push(...step.events);
      cursor = step.cursor;
      expect(cursor.recent).toHaveLength(3);
    }
    expect(proposers(delivered)).toEqual(sequencers().map((_, index) => address(index)));
    expect(delivered).toEqual((await follower().follow(null)).events);
  });

  it('delivers an event once it is `confirmations` deep, so a reorg above that retracts nothing', async () => {
    const l1 = follower({ confirmations: 2 });
    const start = await l1.follow(null);
    const snapshot = await f.testClient.snapshot();
    await propose(sequencers()[0]!);
    const unconfirmed = await l1.follow(start.cursor);
    expect(unconfirmed.events).toEqual([]);

    await f.testClient.revert({ id: snapshot });
    await propose(sequencers()[1]!);
    await f.testClient.mine({ blocks: 2 });
    const confirmed = await l1.follow(unconfirmed.cursor);
    expect(confirmed.retracted).toEqual([]);
    expect(proposers(confirmed.events)).toEqual([address(1)]);
  });

  it('refuses a cursor it cannot retract from, and a reorg deeper than it remembers', async () => {
    const l1 = follower({ keepRecent: 2 });
    const { cursor } = await l1.follow(null);
    const stripped = { nextBlock: cursor.nextBlock, recent: cursor.recent.map(({ number, hash }) => ({ number, hash })) };
    await expect(l1.follow(stripped)).rejects.toThrow(expect.objectContaining({ name: 'InvalidFollowCursorError' }));

    const snapshot = await f.testClient.snapshot();
    await f.testClient.mine({ blocks: 3 });
    const ahead = await l1.follow(cursor);
    await f.testClient.revert({ id: snapshot });
    // Empty blocks at the same times would hash the same as before: move time so the new history differs.
    await f.advanceTo((await f.latestTimestamp()) + 50);
    await f.testClient.mine({ blocks: 3 });
    await expect(l1.follow(ahead.cursor)).rejects.toThrow(expect.objectContaining({ name: 'ReorgTooDeepError' }));
  });
});
