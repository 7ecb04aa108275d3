import { BatchClient } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports/logger.js';
import { describeAgentCapacityContract } from '../../test/contracts/agentCapacity.contract.js';
import { startFakeBatchApi, type FakeBatchApi } from '../../test/integration/fakes/fakeBatchApi.js';
import { TEST_CREDENTIALS } from '../../test/integration/support/awsTestEnvironment.js';
import { manualClock } from '../../test/support/manualClock.js';
import { systemClock } from '../embedded/systemClock.js';
import { createBatchAgentCapacity } from './batchAgentCapacity.js';

// Against the FAKE Batch API (test/integration/fakes/fakeBatchApi.ts): LocalStack's free edition has no Batch.
describe('the Batch agent capacity (against a fake of the Batch API)', () => {
  let fake: FakeBatchApi;
  let client: BatchClient;
  const tiers = {
    heavy: { jobDefinition: 'agent-heavy', spotJobQueue: 'heavy-spot', onDemandJobQueue: 'heavy-on-demand' },
    light: { jobDefinition: 'agent-light', spotJobQueue: 'light-spot' },
  };
  const capacity = (submitRatePerSecond = 50) =>
    createBatchAgentCapacity({ client, tiers, clock: systemClock, log: silentLogger, submitRatePerSecond });

  beforeAll(async () => {
    fake = await startFakeBatchApi();
    client = new BatchClient({ endpoint: fake.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  });
  afterAll(async () => {
    client.destroy();
    await fake.close();
  });

  it('starts agents as one array job, or a plain job for one, on the Spot or on-demand queue', async () => {
    await capacity().start('heavy', 3, { spot: true, reason: 'block 7 needs width' });
    await capacity().start('heavy', 1, { spot: false, reason: 'deadline slack is short' });
    const [array, single] = fake.jobs().slice(-2);
    expect(array).toMatchObject({ jobQueue: 'heavy-spot', jobDefinition: 'agent-heavy', tags: { 'prover-burst:tier': 'heavy' } });
    expect(array!.children).toHaveLength(3);
    expect(single).toMatchObject({ jobQueue: 'heavy-on-demand', children: [] });
    expect(await capacity().count('heavy')).toEqual({ running: 0, starting: 4 });
  });

  it('tags agents with values ECS accepts on the propagated task, even for reasons with brackets and commas', async () => {
    await capacity().start('heavy', 2, { spot: true, reason: 'planned 2, paced 0, backlog 2 (queued 2, in flight 0)' });
    expect(fake.jobs().at(-1)!.tags).toEqual({ 'prover-burst:tier': 'heavy', 'prover-burst:reason': 'planned 2 paced 0 backlog 2 queued 2 in flight 0' });
    await capacity().stop('heavy', 2);
  });

  it('moves agents that waited for Spot past its patience to on demand, cancelling only those that have not started', async () => {
    // Queues of their own, and a clock eleven minutes ahead of the fake's job timestamps.
    const patienceTiers = { ...tiers, heavy: { jobDefinition: 'agent-heavy', spotJobQueue: 'patience-spot', onDemandJobQueue: 'patience-on-demand' } };
    const now = (offsetMs: number) => createBatchAgentCapacity({ client, tiers: patienceTiers, clock: { ...systemClock, now: () => Date.now() + offsetMs }, log: silentLogger });
    await now(0).start('heavy', 3, { spot: true, reason: 'width' });
    const array = fake.jobs().at(-1)!;
    fake.setStatus(`${array.jobId}:0`, 'RUNNING');
    await now(0).start('heavy', 1, { spot: true, reason: 'one more' });
    const single = fake.jobs().at(-1)!;
    fake.setStatus(single.jobId, 'RUNNABLE');
    expect(await now(0).count('heavy')).toEqual({ running: 1, starting: 3 });

    const later = now(11 * 60_000);
    // Three agents have waited RUNNABLE for eleven minutes: Batch never reports them on a queue with an on-demand
    // environment, so they are not counted, and the scaler asks for three more.
    expect(await later.count('heavy')).toEqual({ running: 1, starting: 0 });
    await later.start('heavy', 3, { spot: true, reason: 'replace the stuck ones' });
    expect(array.children.map((child) => child.status)).toEqual(['RUNNING', 'FAILED', 'FAILED']);
    expect(single.status).toBe('FAILED');
    const replacement = fake.jobs().at(-1)!;
    expect(replacement).toMatchObject({ jobQueue: 'patience-on-demand' });
    expect(replacement.children).toHaveLength(3);
    expect(await later.count('heavy')).toEqual({ running: 1, starting: 3 });
    await later.stop('heavy', 10);
  });

  it('counts array children by status, and stops agents that have not started before running ones', async () => {
    const before = fake.calls.length;
    await capacity().start('light', 4, { spot: true, reason: 'test' });
    const array = fake.jobs().at(-1)!;
    fake.setStatus(`${array.jobId}:0`, 'RUNNING');
    fake.setStatus(`${array.jobId}:1`, 'RUNNING');
    fake.setStatus(`${array.jobId}:2`, 'STARTING');
    expect(await capacity().count('light')).toEqual({ running: 2, starting: 2 });

    await capacity().stop('light', 2);
    expect(array.children.map((child) => child.status)).toEqual(['RUNNING', 'RUNNING', 'FAILED', 'FAILED']);
    const stops = fake.calls.slice(before).filter((call) => call.operation === 'canceljob' || call.operation === 'terminatejob');
    expect(stops.map((call) => call.operation).sort()).toEqual(['canceljob', 'terminatejob']);
    expect(await capacity().count('light')).toEqual({ running: 2, starting: 0 });

    await capacity().stop('light', 10);
    expect(await capacity().count('light')).toEqual({ running: 0, starting: 0 });
  });

  it('splits more than 10,000 agents into several array jobs', async () => {
    const before = fake.jobs().length;
    await capacity().start('light', 25_000, { spot: true, reason: 'a 61,440-tx block' });
    expect(fake.jobs().slice(before).map((job) => job.children.length)).toEqual([10_000, 10_000, 5_000]);
    await capacity().stop('light', 25_000);
  });

  it('keeps SubmitJob under the configured rate', async () => {
    // Virtual time: the bucket sleeps on a manual clock, and each SubmitJob is stamped with that clock as it leaves
    // the SDK, so the pacing is read from the bucket's own time, however loaded the machine is.
    const clock = manualClock(0);
    const sent: number[] = [];
    const pacedClient = new BatchClient({ endpoint: fake.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    pacedClient.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SubmitJobCommand') sent.push(clock.now());
        return next(args);
      },
      { step: 'initialize', name: 'stampSubmitJob' },
    );
    const paced = createBatchAgentCapacity({ client: pacedClient, tiers, clock, log: silentLogger, submitRatePerSecond: 5 });
    const arrivedBefore = fake.calls.filter((call) => call.operation === 'submitjob').length;
    let started = false;
    const starts = Promise.all(Array.from({ length: 12 }, () => paced.start('heavy', 1, { spot: true, reason: 'rate' }))).finally(() => (started = true));
    // Each Spot start lists the tier first (the Spot patience check), and those listings take tokens too.
    for (let step = 0; step < 4_000 && !started; step++) {
      await new Promise((resolve) => setImmediate(resolve));
      await clock.advance(50);
    }
    await starts;
    pacedClient.destroy();
    // Five tokens of burst, then one every 200 ms: the twelfth leaves 1.4 s after the first, never sooner. (Virtual time
    // also moves while requests are in flight, so only lower bounds on the spacing hold; no more is asserted.)
    expect(sent).toHaveLength(12);
    expect(sent.at(-1)! - sent[0]!).toBeGreaterThanOrEqual(1_400);
    for (const start of sent) expect(sent.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(10);
    expect(fake.calls.filter((call) => call.operation === 'submitjob').length - arrivedBefore).toBe(12);
    await capacity(1_000).stop('heavy', 100);
  });

  it('takes a token of the Batch budget for every ListJobs page and DescribeJobs call, not only for SubmitJob', async () => {
    // Virtual time as above: every Batch call is stamped with the bucket's manual clock as it leaves the SDK.
    const clock = manualClock(0);
    const sent: { readonly command: string; readonly at: number }[] = [];
    const pacedClient = new BatchClient({ endpoint: fake.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    pacedClient.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ command: context.commandName ?? 'unknown', at: clock.now() });
        return next(args);
      },
      { step: 'initialize', name: 'stampBatchCalls' },
    );
    const paced = createBatchAgentCapacity({ client: pacedClient, tiers, clock, log: silentLogger, submitRatePerSecond: 5 });
    // Two array jobs, so a count lists both heavy queues in five statuses (10 ListJobs) and describes the arrays.
    await capacity().start('heavy', 3, { spot: true, reason: 'budget' });
    await capacity().start('heavy', 2, { spot: false, reason: 'budget' });
    let done = false;
    const counting = paced.count('heavy').finally(() => (done = true));
    // With the clock standing still, only the burst's five calls may leave, however long the fake takes to answer.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sent.length).toBe(5);
    for (let step = 0; step < 400 && !done; step++) {
      await new Promise((resolve) => setImmediate(resolve));
      await clock.advance(50);
    }
    await counting;
    pacedClient.destroy();
    const listings = sent.filter((call) => call.command === 'ListJobsCommand' || call.command === 'DescribeJobsCommand');
    expect(listings.filter((call) => call.command === 'ListJobsCommand').length).toBeGreaterThanOrEqual(10);
    expect(listings.some((call) => call.command === 'DescribeJobsCommand')).toBe(true);
    // Five tokens of burst, then one every 200 ms: n calls span at least (n − 5) × 200 ms, and no virtual second holds
    // more than the burst plus a second's refill.
    expect(sent.at(-1)!.at - sent[0]!.at).toBeGreaterThanOrEqual((sent.length - 5) * 200);
    for (const { at } of sent) expect(sent.filter((call) => call.at >= at && call.at < at + 1_000).length).toBeLessThanOrEqual(10);
    await capacity(1_000).stop('heavy', 5);
  });

  it('pages through more than a hundred listed agents', async () => {
    const lots = capacity(1_000);
    // Counted from what the earlier tests left on the shared fake, so only this test's jobs matter.
    const before = await lots.count('heavy');
    await Promise.all(Array.from({ length: 130 }, () => lots.start('heavy', 1, { spot: true, reason: 'many plain jobs' })));
    expect(await lots.count('heavy')).toEqual({ running: before.running, starting: before.starting + 130 });
    await lots.stop('heavy', before.starting + 130);
    expect(await lots.count('heavy')).toEqual({ running: before.running, starting: 0 });
  });
});

// The same contract the local agent pool passes; each test gets its own fake Batch API, so counts start at zero.
describeAgentCapacityContract('AWS (Batch array jobs, against the fake Batch API)', async () => {
  const fake = await startFakeBatchApi();
  const client = new BatchClient({ endpoint: fake.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  const capacity = createBatchAgentCapacity({
    client,
    tiers: {
      heavy: { jobDefinition: 'agent-heavy', spotJobQueue: 'heavy-spot', onDemandJobQueue: 'heavy-on-demand' },
      light: { jobDefinition: 'agent-light', spotJobQueue: 'light-spot', onDemandJobQueue: 'light-on-demand' },
    },
    clock: systemClock,
    log: silentLogger,
    submitRatePerSecond: 50,
  });
  return {
    capacity,
    advance: (ms) => systemClock.sleep(ms),
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
});
