import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../../core/agent/agentSettings.js';
import { DEFAULT_COST_MODEL } from '../../core/cost/costModel.js';
import { DEFAULT_LANE_SLACK_SECONDS } from '../../core/jobs/urgency.js';
import { DEFAULT_SCALE_DOWN_HOLD_SECONDS } from '../../core/scale/scalingSettings.js';
import { DEFAULT_REGISTERED_MEMORY_SHARE, TIERS, type Tier } from '../../core/tiers.js';
import { logNormal, type Distribution } from './distribution.js';

/** The agents' defaults; their time scale is the simulator's (`SIM_SECONDS_PER_EXPECTED_SECOND`), not the model's. */
const { secondsPerExpectedSecond: _scale, ...AGENT_TUNING } = DEFAULT_AGENT_SETTINGS;

/** One EC2 instance type: its size (EC2 instance type specifications) and its on-demand price in us-east-1. */
export interface InstanceTypeSpec {
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly onDemandUsdPerHour: number;
}

/**
 * Everything the simulator assumes about AWS, in one place. `--model FILE` overrides any part of it with JSON of the
 * same shape (see `loadSimModel`). Durations are seconds unless a name says `Ms`; prices are US dollars, us-east-1.
 */
export interface SimModel {
  readonly proofs: {
    /**
     * Log-space spread of a proof's duration around its profile expectation. The mean of each draw is the
     * expectation (the median sits slightly below it), so job-seconds match the profile on average.
     */
    readonly spreadSigma: number;
  };
  readonly batch: {
    /**
     * Batch API calls per second the account may make, shared by SubmitJob (an array job of up to `maxArraySize`
     * children is one call), CancelJob, TerminateJob, and the ListJobs / DescribeJobs that count and find agents.
     */
    readonly apiCallsPerSecond: number;
    readonly maxArraySize: number;
    /** Jobs per ListJobs page (the adapter sets no `maxResults`). */
    readonly listJobsPageSize: number;
    /** SubmitJob → RUNNABLE → placed: Batch's scheduler, before any instance is asked for (not billed). */
    readonly schedulingSeconds: Distribution;
    /**
     * Container start, once the job's instance is ready (booted, registered, holding the image): every job pays it,
     * placed on a new instance or on one already up (billed instance time).
     */
    readonly containerStartSeconds: Distribution;
  };
  readonly ec2: {
    /**
     * EC2's RunInstances resource token bucket (per account and region, shared by every tier): instances that can
     * launch at once, and tokens refilled per second. Batch's compute environments launch through it.
     */
    readonly launchBucket: { readonly burst: number; readonly refillPerSecond: number };
    /** Launch request → instance running (pending; not billed). */
    readonly launchSeconds: Distribution;
    /** Running → OS booted and registered with ECS (billed). */
    readonly bootSeconds: Distribution;
    /** Pulling the prover image from ECR onto a fresh instance (billed). */
    readonly imagePullSeconds: Distribution;
    /**
     * An instance left with no job → Batch terminates it (billed while it waits; it may take a new job first). AWS
     * does not document this delay: a parameter, whose sensitivity the reports print (30 / 60 / 120 s).
     */
    readonly scaleInSeconds: Distribution;
    /** EC2 bills Linux instances per second with this minimum per instance. */
    readonly billingMinimumSeconds: number;
    /** The instance types the model knows, by name: vCPUs, memory and the us-east-1 on-demand price. */
    readonly instanceCatalog: Readonly<Record<string, InstanceTypeSpec>>;
    /** The type each tier's compute environments launch (a name in `instanceCatalog`); it hosts `agentsPerInstance` agents. */
    readonly instanceTypes: Readonly<Record<Tier, string>>;
    /** A Spot instance's price as a share of its on-demand price, per tier (the quote service's Spot discount). */
    readonly spotShareOfOnDemand: Readonly<Record<Tier, number>>;
    /**
     * The share of an instance's nominal memory the kernel leaves for the ECS agent to register (before its 32 MiB
     * reserve). AWS documents it only by example (97.5 % on an m4.large); a parameter, whose sensitivity the
     * fleet docs give (below 93.8 % a c7i.48xlarge holds five heavy agents, not six).
     */
    readonly registeredMemoryShare: number;
  };
  readonly spot: {
    /** Background reclaims, per running Spot instance-hour (storms come from the scenario). */
    readonly interruptionsPerInstanceHour: number;
    /** The agent gets SIGTERM this long before its machine is reclaimed. */
    readonly noticeSeconds: number;
  };
  /** Request latencies as an agent sees them (milliseconds). */
  readonly latencyMs: {
    readonly sqs: Distribution;
    readonly dynamodb: Distribution;
    readonly s3Get: Distribution;
    readonly s3Put: Distribution;
  };
  readonly account: {
    /** The compute environments' maxvCpus per tier (Spot and on-demand together). */
    readonly maxVcpus: Readonly<Record<Tier, number>>;
  };
  /** What every agent runs with: the same object the Batch job definition passes to `runAgent`. */
  readonly agent: Omit<AgentSettings, 'secondsPerExpectedSecond'> & {
    /** How long an agent trusts its cached run record before reading it again. */
    readonly runTtlMs: number;
    /** Fetching the block body and planning it, once per agent and run (61,440 txs plan in about 0.3 s). */
    readonly planBuildSeconds: Distribution;
  };
  readonly queue: {
    /** Receives before SQS moves a message to the dead-letter queue (the redrive policy). */
    readonly maxReceiveCount: number;
    /**
     * Each tier's SQS lanes as slack splits in seconds (`LaneSettings.laneSlackSeconds`, the construct's
     * `QUEUE_LANE_SLACK_SECONDS`): [300] makes two lanes, urgent below 300 s of slack; [] one queue per tier.
     */
    readonly lanes: readonly number[];
  };
  readonly scaling: {
    /** The scaler runs this often during a block (the Step Functions prove loop's wait). */
    readonly tickSeconds: number;
    /** Below this deadline slack the scaler buys on demand. */
    readonly urgentSlackSeconds: number;
    /** Finish within this multiple of the remaining critical path when the deadline allows (see `ScalingSettings`). */
    readonly targetStretch: number;
    /** The scale-down hold (see `ScalingSettings.scaleDownHoldSeconds`; 150 s, `DEFAULT_SCALE_DOWN_HOLD_SECONDS`); 0 turns it off. */
    readonly scaleDownHoldSeconds: number;
    /** Size by the launch rate EC2's bucket allows (`ScalingSettings.launchRate`, from `simLaunchRate`); false asks for every deficit at once. */
    readonly launchAware: boolean;
  };
  readonly controlPlane: {
    readonly scalerLambdaSeconds: number;
    readonly plannerLambdaSeconds: number;
    readonly lambdaMemoryMb: number;
    /** Standard-workflow transitions of one block run outside its prove loop (plan, provision, submit, …). */
    readonly runTransitions: number;
    /** Transitions per scaling tick (wait, re-scale task, choice). */
    readonly transitionsPerTick: number;
    readonly prices: {
      readonly lambdaPerGbSecond: number;
      readonly lambdaPerRequest: number;
      readonly stepFunctionsPerTransition: number;
      readonly dynamodbPerWriteUnit: number;
      readonly dynamodbPerReadUnit: number;
      readonly sqsPerRequest: number;
      readonly s3PerPut: number;
      readonly s3PerGet: number;
    };
  };
  readonly faults: {
    readonly spotStorm: { readonly atSeconds: number; readonly fraction: number };
    readonly kill: { readonly atSeconds: number; readonly fraction: number };
  };
  /** The reactive baseline: a KEDA-style queue-length scaler over the same agents. */
  readonly reactive: {
    /** Messages (ready + in flight) one agent is sized for: one agent proves one job at a time. */
    readonly messagesPerAgent: number;
    readonly pollingSeconds: number;
    /** The agents' idle exit under this rule: its only scale-down (replaces `agent.idleExitMs`). */
    readonly idleExitMs: number;
    /**
     * The fair variant with KEDA's own scale-down: agents never exit by themselves; the scaler stops agents beyond
     * the most it wanted over this window (through the Batch API), as KEDA's `cooldownPeriod` and the HPA's
     * scale-down stabilisation window (both 300 s by default) do.
     */
    readonly cooldownSeconds: number;
  };
}

/**
 * The default model. Why each value:
 *
 * - Proof spread σ = 0.05: a fixed circuit's proving work is the same every time (same constraints); what varies is
 *   the machine (turbo, memory bandwidth, noisy host neighbours): a few percent. It matters more than it looks: the
 *   makespan is the maximum over 61,440 paths of 20 proofs, so with unlimited machines and no latency the longest
 *   path is already ~5 % above the expected critical path at σ = 0.05, and ~10 % at σ = 0.1 (the report prints it).
 * - Batch API: SubmitJob is limited to 50 TPS per account, not adjustable (AWS Batch user guide, "AWS Batch service
 *   quotas", https://docs.aws.amazon.com/batch/latest/userguide/service_limits.html); AWS's knowledge center says
 *   the quotas "typically apply to every API, including the DescribeJobs and SubmitJob API calls" (re:Post,
 *   https://repost.aws/knowledge-center/aws-batch-requests-error), and the project's own adapter
 *   (`adapters/aws/batchAgentCapacity.ts`) paces CancelJob and TerminateJob through the same 50/s bucket as
 *   SubmitJob. So every call the adapter makes shares one budget here: SubmitJob, CancelJob, TerminateJob, and the
 *   ListJobs pages and DescribeJobs calls of each agent count (ListJobs answers 100 jobs a page when `maxResults`
 *   is not set — Batch API reference, ListJobs — per queue and status; DescribeJobs takes 100 ids). Array jobs hold
 *   2–10,000 children (user guide, "Array jobs"). Scheduling a runnable job takes seconds (median 8 s; not
 *   documented, a parameter); a container on an instance that has the image starts in ~3 s (a parameter). ECS
 *   places a task only on a registered container instance and creates and starts its containers after that (ECS
 *   developer guide, "Amazon ECS task lifecycle": PROVISIONING, PENDING, ACTIVATING, RUNNING), so every job pays
 *   the container start, on a new instance after its boot and image pull too.
 * - EC2 launches: RunInstances has a resource token bucket of 1,000 instances refilled at 2 per second, per account
 *   and region (EC2 developer guide, "Request throttling for the Amazon EC2 API", resource rate limiting,
 *   https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html; raisable on request), shared by both
 *   tiers. The model used to allow 1,000 launches a second. Pending → running takes 16.4–16.6 s on every instance
 *   family tried and ~26 s counting the API call and boot to SSH in Brev's public cold-boot measurements
 *   (https://github.com/brevdev/ec2-coldboot-research, `@fix_plan.md`); older public runs measured ~5 s pending →
 *   running (https://www.daemonology.net/blog/2021-08-12-EC2-boot-time-benchmarking.html) and EBS encryption slows
 *   it (https://www.martysweet.co.uk/ec2-launch-times/, 2023). Not documented by AWS, so a parameter: uniform
 *   16–26 s. Boot + ECS registration ~25 s and pulling a ~2 GB prover image ~20 s (ECS: "for larger images the download
 *   might take 10–20 s", extraction extra; not documented further, parameters): with the container start and the
 *   agent's plan build, a fresh agent polls ~80 s after SubmitJob (median; `provisioningSeconds`).
 * - Batch scale-in: Batch terminates an instance once it has no job, on its own scaling loop; AWS does not document
 *   the delay (public reports range from ~10 s to minutes), so it is a parameter, 30 s by default (optimistic), and
 *   the reports print the sensitivity at 30 / 60 / 120 s. It is the most cost-sensitive value here: every instance
 *   pays it once when it leaves.
 * - Billing: per second with a 60 s minimum from running (EC2 user guide, instance lifecycle and billing), for every
 *   instance, whoever started it: an agent already up at t = 0 was launched before t = 0 for this work and is
 *   billed from its own start (boot, image pull and container start included), not from t = 0.
 * - Instance types: both tiers launch c7i.48xlarge (192 vCPU, 384 GiB; EC2 instance type specifications,
 *   https://docs.aws.amazon.com/ec2/latest/instancetypes/co.html), each hosting 6 heavy or 24 light agents
 *   (`agentsPerInstance`): EC2's launch bucket counts instances, not vCPUs, so one launch brings up 6 or 24 agents
 *   instead of one. The catalogue keeps today's one-agent types (c7i.8xlarge heavy, c7i.2xlarge light) for
 *   comparison (`--model` with `{"ec2":{"instanceTypes":{"heavy":"c7i.8xlarge","light":"c7i.2xlarge"}}}`).
 * - Memory ECS registers: 95 % of the nominal memory, less the AMI's 32 MiB. AWS documents one example (m4.large:
 *   7,985 of 8,192 MiB, 97.5 %; Batch user guide, "Compute resource memory management"); the ECS agent's users report
 *   15,042 of 15,360 MiB on a c4.2xlarge (97.9 %, github.com/aws/amazon-ecs-agent/issues/399) and two 3,910 MiB tasks
 *   but not two 3,954 MiB ones on an m6i.large (95.5–96.5 %, github.com/thewca/worldcubeassociation.org/pull/9974).
 *   Agents ask for 15/16 of their tier's memory (`agentJobSize`), so six heavy ones fit a c7i.48xlarge down to 93.8 %.
 * - Prices (us-east-1, Linux, on demand): c7i.2xlarge $0.357/h and c7i.8xlarge $1.428/h from the price list (the
 *   numbers the quote service prices with); the larger sizes are the same price per vCPU ("For On-Demand Instances,
 *   the price per unit hour is the same when deploying one instance type as it is when deploying a different size
 *   of the same instance type", EC2 Auto Scaling user guide, "Spot price per unit hour example",
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/weights-spot-price-per-unit-hour-example.html):
 *   c7i.24xlarge $4.284/h, c7i.48xlarge $8.568/h, as public price tables list them (instances.vantage.sh). Spot at
 *   the quote service's discount per tier (0.385 × on demand heavy, 0.392 light; an assumption, see core/cost); AWS says Spot's price per unit
 *   differs between pools, so a 48xlarge's Spot price may not be 6 × an 8xlarge's: a parameter. An agent's share of
 *   its instance costs the instance's price ÷ the agents it hosts (`agentUsdPerHour`): the price the lower bound uses.
 *   A Spot instance EC2 interrupts in its first hour is not charged at all (EC2 user guide, "Billing for interrupted
 *   Spot Instances": Linux, interrupted by Amazon EC2 in the first hour, no charge).
 * - Spot: a background reclaim rate of 1 % per instance-hour; the notice is 2 minutes.
 * - Latencies: SQS ~12 ms, DynamoDB ~6 ms, S3 GET ~20 ms / PUT ~35 ms (in-region medians, long tails).
 * - Queue order: an SQS standard queue has no priority and only best-effort order ("Standard queues provide
 *   best-effort ordering which ensures that messages are generally delivered in the same order as they're sent",
 *   SQS developer guide, "Amazon SQS standard queues"); ReceiveMessage reads one queue per request, and long polling
 *   (`WaitTimeSeconds` ≤ 20 s) waits on that one queue (SQS API reference, ReceiveMessage). So urgency is carried by
 *   lanes, one queue each (`queue.lanes`, the slack splits; default [300]: two lanes), modelled first in, first out
 *   by visibility time within a lane; an agent asks the lanes urgent first, one request each, and long-polls the
 *   last. The latency of the extra short polls is not modelled (one SQS latency per receive); their requests are
 *   counted.
 * - maxvCpus: 61,440 txs × 2 calls is 11 million job-seconds; finishing near the 600 s critical path needs ~30,000 to
 *   40,000 heavy and ~60,000 light agents at the peak. The limits (1.31 M heavy vCPUs = 40,960 agents, 655 k light
 *   vCPUs = 81,920 agents) leave the scaler, not the account, to decide; no default quota is near this, so a firm
 *   proving such blocks needs its quotas raised (or several regions), and the report's peak vCPUs say by how much.
 * - Agents: the core defaults (visibility 120 s, heartbeat 30 s, 3 failures) with two changes. A 10 s long poll.
 *   The core's 120 s idle exit is kept: the scaler stops agents its plan no longer needs, so the idle exit is only
 *   the safety net, and it must outlast the gap before an agent's first work. That gap is the horizon plus a tick for
 *   agents the scaler asks for ahead of their work, which a warm fleet has at once (~90 s for kernels after the last
 *   VM round); with 60 s, a fifth of the warm light agents exited just before their work and were launched again.
 *   `staleClaimMs` is the core's 60 s: a claimant that dies between claiming a parent and enqueueing it is only
 *   taken over when a redelivered child finds the claim stale, and children come back after at most visibility −
 *   heartbeat = 90 s; with the 240 s the core once had, the parent is never enqueued and the block never finishes
 *   (kill-30 found it).
 * - Scaling: a tick every 10 s (the Step Functions prove loop), on demand below 120 s of slack, and a target finish
 *   8 % after the critical path (with spread and latencies, blocks land ~11 % after it).
 * - Control plane: Lambda x86 $0.0000166667/GB-s and $0.20/M requests; Step Functions standard $0.025/1,000
 *   transitions; DynamoDB on demand $0.625/M write and $0.125/M read units (2024 prices; every job write is under
 *   1 KB); SQS $0.40/M requests; S3 $0.005/1,000 PUT and $0.0004/1,000 GET.
 * - Faults: the Spot storm reclaims 20 % of running Spot instances at t = 90 s (the heavy peak); kill-30 removes 30 %
 *   of running agents at t = 120 s without notice.
 * - Reactive baseline: KEDA's SQS scaler with one message per agent (each agent proves one job at a time), counting
 *   in-flight messages, polled every 30 s (KEDA's default `pollingInterval`). Two variants: scale-down by the agents'
 *   idle exit (60 s: with no scaler to stop agents, a longer one only costs it), and the fair one with KEDA's own
 *   scale-down, `cooldownPeriod` 300 s by default (KEDA ScaledObject specification), stopping agents through the
 *   Batch API like any scaler would.
 */
export const DEFAULT_SIM_MODEL: SimModel = {
  proofs: { spreadSigma: 0.05 },
  batch: {
    apiCallsPerSecond: 50,
    maxArraySize: 10_000,
    listJobsPageSize: 100,
    schedulingSeconds: logNormal(8, 0.5),
    containerStartSeconds: logNormal(3, 0.3),
  },
  ec2: {
    launchBucket: { burst: 1_000, refillPerSecond: 2 },
    launchSeconds: { kind: 'uniform', min: 16, max: 26 },
    bootSeconds: logNormal(25, 0.25),
    imagePullSeconds: logNormal(20, 0.35),
    scaleInSeconds: logNormal(30, 0.5),
    billingMinimumSeconds: 60,
    instanceCatalog: {
      'c7i.2xlarge': { vcpus: 8, memoryGiB: 16, onDemandUsdPerHour: 0.357 },
      'c7i.8xlarge': { vcpus: 32, memoryGiB: 64, onDemandUsdPerHour: 1.428 },
      'c7i.24xlarge': { vcpus: 96, memoryGiB: 192, onDemandUsdPerHour: 4.284 },
      'c7i.48xlarge': { vcpus: 192, memoryGiB: 384, onDemandUsdPerHour: 8.568 },
    },
    instanceTypes: { heavy: 'c7i.48xlarge', light: 'c7i.48xlarge' },
    spotShareOfOnDemand: Object.fromEntries(
      TIERS.map((tier) => [tier, DEFAULT_COST_MODEL.usdPerHour[tier].spot / DEFAULT_COST_MODEL.usdPerHour[tier].onDemand]),
    ) as Record<Tier, number>,
    registeredMemoryShare: DEFAULT_REGISTERED_MEMORY_SHARE,
  },
  spot: { interruptionsPerInstanceHour: 0.01, noticeSeconds: 120 },
  latencyMs: {
    sqs: logNormal(12, 0.4),
    dynamodb: logNormal(6, 0.4),
    s3Get: logNormal(20, 0.5),
    s3Put: logNormal(35, 0.5),
  },
  account: { maxVcpus: { heavy: 1_310_720, light: 655_360 } },
  agent: {
    ...AGENT_TUNING,
    waitMs: 10_000,
    maxFailures: 3,
    staleClaimMs: 60_000,
    runTtlMs: 60_000,
    planBuildSeconds: logNormal(1, 0.3),
  },
  queue: { maxReceiveCount: 10, lanes: DEFAULT_LANE_SLACK_SECONDS },
  scaling: { tickSeconds: 10, urgentSlackSeconds: 120, targetStretch: 1.08, scaleDownHoldSeconds: DEFAULT_SCALE_DOWN_HOLD_SECONDS, launchAware: true },
  controlPlane: {
    scalerLambdaSeconds: 0.5,
    plannerLambdaSeconds: 4,
    lambdaMemoryMb: 1_769,
    runTransitions: 12,
    transitionsPerTick: 3,
    prices: {
      lambdaPerGbSecond: 0.0000166667,
      lambdaPerRequest: 0.2 / 1e6,
      stepFunctionsPerTransition: 0.025 / 1_000,
      dynamodbPerWriteUnit: 0.625 / 1e6,
      dynamodbPerReadUnit: 0.125 / 1e6,
      sqsPerRequest: 0.4 / 1e6,
      s3PerPut: 0.005 / 1_000,
      s3PerGet: 0.0004 / 1_000,
    },
  },
  faults: { spotStorm: { atSeconds: 90, fraction: 0.2 }, kill: { atSeconds: 120, fraction: 0.3 } },
  reactive: { messagesPerAgent: 1, pollingSeconds: 30, idleExitMs: 60_000, cooldownSeconds: 300 },
};
