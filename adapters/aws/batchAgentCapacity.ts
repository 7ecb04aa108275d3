import {
  CancelJobCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  SubmitJobCommand,
  TerminateJobCommand,
  type BatchClient,
  type JobStatus,
  type JobSummary,
} from '@aws-sdk/client-batch';
import type { AgentCapacity, AgentCount } from '../../core/ports/agentCapacity.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Tier } from '../../core/tiers.js';
import { AGENT_TAG_KEYS } from './agentJobTags.js';
import { ecsTagValue } from './ecsTagValue.js';
import { createTokenBucket } from './tokenBucket.js';

export interface BatchTierConfig {
  readonly jobDefinition: string;
  /** The queue whose compute environments are Spot first. */
  readonly spotJobQueue: string;
  /** The on-demand queue for short deadline slack; the Spot queue when unset. */
  readonly onDemandJobQueue?: string;
}

export interface BatchAgentCapacityOptions {
  readonly client: BatchClient;
  readonly tiers: Readonly<Record<Tier, BatchTierConfig>>;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * Batch API calls per second, every call: SubmitJob, CancelJob, TerminateJob, and each ListJobs page and DescribeJobs
   * call, which the simulator's model charges to the same budget (Batch's 50 TPS, docs/notes aws-limits: the Batch
   * service quotas name SubmitJob; AWS re:Post answers say the budget covers Batch API calls generally). @default 50
   */
  readonly submitRatePerSecond?: number;
  /** Prefix of job names, to tell this firm's agents apart in the console. @default 'prover-burst' */
  readonly namePrefix?: string;
  /**
   * How long an agent may wait RUNNABLE on the Spot-first queue before it counts as not coming: it is then cancelled
   * and started on demand instead. Batch reports a job short of capacity only when every environment of its queue is
   * (Batch user guide, blocked jobs), which the Spot-first queue's on-demand environment never is, and the time Batch
   * needs to scale out is not documented (notes/aws-limits.md): a parameter. Shorter buys on demand sooner when Spot
   * is dry, and also when Batch is merely slow.
   * @default 10 minutes
   */
  readonly spotPatienceMs?: number;
}

const STARTING: readonly JobStatus[] = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING'];
const ACTIVE: readonly JobStatus[] = [...STARTING, 'RUNNING'];
const CANCELLABLE: readonly JobStatus[] = ['SUBMITTED', 'PENDING', 'RUNNABLE'];
const MAX_ARRAY_SIZE = 10_000;

const DESCRIBE_LIMIT = 100;

/** One agent container: a plain job, or a child `<arrayJobId>:<index>` of an array job. */
interface AgentJob {
  readonly jobId: string;
  readonly status: JobStatus;
  readonly jobQueue: string;
  readonly createdAt: number;
}

/** An array job: its children's status counts. */
interface AgentArray {
  readonly jobQueue: string;
  readonly createdAt: number;
  summary: Partial<Record<JobStatus, number>>;
}

/**
 * Agents as AWS Batch jobs, one job definition per tier. `start` submits array jobs (2 to 10,000 children each; a plain
 * job for one agent) to the tier's Spot or on-demand queue, paced by a token bucket under Batch's SubmitJob limit;
 * each child is one agent container running batch-images/agent/main.ts. Every Batch call, listings included, takes a
 * token of that budget. `count` lists the tier's unfinished jobs and
 * reads array jobs' children from DescribeJobs' status summary. `stop` cancels agents that have not started and
 * terminates running ones (SIGTERM: the agent hands its job back), not-yet-running first.
 */
export function createBatchAgentCapacity(options: BatchAgentCapacityOptions): AgentCapacity {
  const { client, tiers, clock, log } = options;
  const bucket = createTokenBucket({ ratePerSecond: options.submitRatePerSecond ?? 50, clock });
  const prefix = options.namePrefix ?? 'prover-burst';
  const spotPatienceMs = options.spotPatienceMs ?? 10 * 60_000;
  const queuesOf = (tier: Tier) => [...new Set([tiers[tier].spotJobQueue, tiers[tier].onDemandJobQueue ?? tiers[tier].spotJobQueue])];

  async function listJobs(query: { jobQueue?: string; arrayJobId?: string }, status: JobStatus): Promise<JobSummary[]> {
    const found: JobSummary[] = [];
    let nextToken: string | undefined;
    do {
      await bucket.take();
      const page = await client.send(new ListJobsCommand({ ...query, jobStatus: status, nextToken }));
      found.push(...(page.jobSummaryList ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return found;
  }

  /** The tier's unfinished top-level jobs: plain agents, and array parents with their children's status counts. */
  async function activeJobs(tier: Tier) {
    const plain: AgentJob[] = [];
    const arrays = new Map<string, AgentArray>();
    for (const jobQueue of queuesOf(tier)) {
      for (const status of ACTIVE) {
        for (const job of await listJobs({ jobQueue }, status)) {
          const createdAt = job.createdAt ?? clock.now();
          if (job.arrayProperties?.size !== undefined) arrays.set(job.jobId!, { jobQueue, createdAt, summary: {} });
          else plain.push({ jobId: job.jobId!, status, jobQueue, createdAt });
        }
      }
    }
    const parents = [...arrays.keys()];
    for (let i = 0; i < parents.length; i += DESCRIBE_LIMIT) {
      await bucket.take();
      const { jobs } = await client.send(new DescribeJobsCommand({ jobs: parents.slice(i, i + DESCRIBE_LIMIT) }));
      for (const job of jobs ?? []) arrays.get(job.jobId!)!.summary = job.arrayProperties?.statusSummary ?? {};
    }
    return { plain, arrays, stuck: stuckOnSpot(tier, plain, arrays) };
  }

  /**
   * Agents RUNNABLE on the Spot-first queue for longer than the patience: Spot has no capacity for them (the
   * on-demand queue's own jobs are left to Batch, which reports and cancels those itself). An array job's RUNNABLE
   * children are as old as the array.
   */
  function stuckOnSpot(tier: Tier, plain: readonly AgentJob[], arrays: ReadonlyMap<string, AgentArray>) {
    const { spotJobQueue, onDemandJobQueue } = tiers[tier];
    const none = { agents: 0, jobs: [] as string[] };
    if (!onDemandJobQueue || onDemandJobQueue === spotJobQueue) return none;
    const old = (job: { jobQueue: string; createdAt: number }) => job.jobQueue === spotJobQueue && clock.now() - job.createdAt >= spotPatienceMs;
    const jobs = plain.filter((job) => job.status === 'RUNNABLE' && old(job)).map((job) => job.jobId);
    let agents = jobs.length;
    for (const [arrayJobId, array] of arrays) {
      if (!old(array) || !array.summary.RUNNABLE) continue;
      agents += array.summary.RUNNABLE;
      jobs.push(arrayJobId);
    }
    return { agents, jobs };
  }

  return {
    /** Agents stuck waiting for Spot are not counted: they are not coming, and the scaler asks for others. */
    async count(tier): Promise<AgentCount> {
      const { plain, arrays, stuck } = await activeJobs(tier);
      let running = plain.filter((job) => job.status === 'RUNNING').length;
      let starting = plain.length - running;
      for (const { summary } of arrays.values()) {
        running += summary.RUNNING ?? 0;
        for (const status of STARTING) starting += summary[status] ?? 0;
      }
      return { running, starting: starting - stuck.agents };
    },

    /**
     * Spot first, unless agents have waited for Spot longer than the patience: those are cancelled (an array job's
     * cancel stops only its children that have not started) and these go on demand.
     */
    async start(tier, count, { spot, reason }) {
      const config = tiers[tier];
      let jobQueue = spot ? config.spotJobQueue : (config.onDemandJobQueue ?? config.spotJobQueue);
      if (spot && Math.floor(count) > 0) {
        const { stuck } = await activeJobs(tier);
        if (stuck.jobs.length > 0) {
          const why = `no Spot capacity: waited RUNNABLE over ${Math.round(spotPatienceMs / 1000)} s; started on demand instead`;
          for (const jobId of stuck.jobs) {
            await bucket.take();
            await client.send(new CancelJobCommand({ jobId, reason: why }));
          }
          jobQueue = config.onDemandJobQueue!;
          log.warn('Spot capacity short: agents moved to on demand', { tier, stuckAgents: stuck.agents, cancelledJobs: stuck.jobs.length, starting: Math.floor(count) });
        }
      }
      for (let left = Math.floor(count); left > 0; ) {
        const size = Math.min(left, MAX_ARRAY_SIZE);
        await bucket.take();
        const { jobId } = await client.send(
          new SubmitJobCommand({
            jobName: `${prefix}-${tier}-${clock.now()}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128),
            jobQueue,
            jobDefinition: config.jobDefinition,
            ...(size > 1 ? { arrayProperties: { size } } : {}),
            // Propagated to the ECS tasks, whose tag pattern refuses the brackets and commas reasons carry.
            tags: { [AGENT_TAG_KEYS.tier]: ecsTagValue(tier), [AGENT_TAG_KEYS.reason]: ecsTagValue(reason) },
            propagateTags: true,
          }),
        );
        log.info('submitted agents', { tier, count: size, jobQueue, spot, reason, jobId });
        left -= size;
      }
    },

    async stop(tier, count) {
      let left = Math.floor(count);
      if (left <= 0) return;
      const { plain, arrays } = await activeJobs(tier);
      const reason = `prover-burst scaled the ${tier} tier down`;
      const stopJob = async (jobId: string, status: JobStatus) => {
        await bucket.take();
        // CancelJob for agents that have not started; TerminateJob (SIGTERM, the agent hands its job back) otherwise.
        if (CANCELLABLE.includes(status)) await client.send(new CancelJobCommand({ jobId, reason }));
        else await client.send(new TerminateJobCommand({ jobId, reason }));
      };
      const activeOf = ({ summary }: AgentArray, statuses: readonly JobStatus[]) =>
        statuses.reduce((sum, status) => sum + (summary[status] ?? 0), 0);

      // Agents not yet running cost nothing to stop, so they go first; running ones follow.
      const phases: readonly (readonly JobStatus[])[] = [STARTING, ['RUNNING']];
      for (const phase of phases) {
        for (const job of plain.filter((agent) => phase.includes(agent.status))) {
          if (left === 0) break;
          await stopJob(job.jobId, job.status);
          left--;
        }
        for (const [arrayJobId, array] of arrays) {
          if (left === 0) break;
          const here = activeOf(array, phase);
          if (here === 0) continue;
          const all = activeOf(array, ACTIVE);
          if (all === here && all <= left) {
            // The whole array goes: one call on the parent stops every child.
            await bucket.take();
            await client.send(new TerminateJobCommand({ jobId: arrayJobId, reason }));
            left -= all;
            arrays.delete(arrayJobId);
            continue;
          }
          for (const status of phase) {
            if (left === 0 || !array.summary[status]) continue;
            for (const child of await listJobs({ arrayJobId }, status)) {
              if (left === 0) break;
              await stopJob(child.jobId!, status);
              left--;
            }
          }
        }
      }
      log.info('stopped agents', { tier, requested: count, stopped: Math.floor(count) - left });
    },
  };
}
