import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { CostModel } from '../../core/cost/costModel.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { METRICS_NAMESPACE, type ProverFunction } from './proverFunction.js';
import { laneId, type TierWorkQueues } from './tierWorkQueues.js';

/** The functions whose logs and errors the dashboard reads. */
export type ObservedFunctions = Readonly<Record<'planner' | 'scaler' | 'submitter' | 'settler' | 'watcher' | 'quote', ProverFunction>>;

export interface ProvingObservabilityProps {
  readonly stateMachine: IStateMachine;
  readonly queues: TierWorkQueues;
  readonly functions: ObservedFunctions;
  /** The agents' log group (both tiers). */
  readonly agentLogs: ILogGroup;
  /** Encrypts a created alarm topic. */
  readonly key: IKey;
  /** Prices of the cost estimate. */
  readonly costModel: CostModel;
  /** Where alarms go. @default a new KMS-encrypted topic */
  readonly alarmTopic?: ITopic;
  /** Subscribed to a created topic. @default no subscription */
  readonly alarmEmail?: string;
}

/** The Powertools service name the scaler emits its EMF metrics under (a dimension of every metric it emits). */
export const SCALER_SERVICE = 'prover-burst-scaler';

/**
 * What a firm watches a block by: a dashboard (block runs, queue depth, agents, proofs per minute, estimated cost,
 * deadline slack) and alarms to an SNS topic (dead letters, deadline at risk, submission failed, run abandoned, watcher
 * failing). Proof, plan, submission and abandon counts come from metric filters on the structured logs that the agents
 * and functions write already; agent counts and deadline risk are EMF metrics from the scaler.
 */
export class ProvingObservability extends Construct {
  readonly dashboard: Dashboard;
  readonly alarmTopic: ITopic;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: ProvingObservabilityProps) {
    super(scope, id);
    const { functions, queues } = props;
    const custom = (metricName: string, statistic: string, dimensionsMap: Record<string, string> = {}, period = Duration.minutes(1)) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, statistic, dimensionsMap, period });

    // Counts from log lines the code writes already (core/agent/handleDelivery.ts, core/run/*.ts).
    const proved = FilterPattern.all(FilterPattern.stringValue('$.message', '=', 'agent event'), FilterPattern.stringValue('$.event.type', '=', 'proved'));
    for (const [metricName, metricValue] of [
      ['ProofsCompleted', '1'],
      ['ProofMilliseconds', '$.event.ms'],
    ] as const) {
      props.agentLogs.addMetricFilter(metricName, { filterPattern: proved, metricNamespace: METRICS_NAMESPACE, metricName, metricValue, dimensions: { Tier: '$.event.tier' } });
    }
    const logCount = (logGroup: ILogGroup, id: string, message: string, metricName: string, metricValue = '1') =>
      logGroup.addMetricFilter(id, { filterPattern: FilterPattern.stringValue('$.message', '=', message), metricNamespace: METRICS_NAMESPACE, metricName, metricValue });
    logCount(functions.planner.logGroup, 'JobsPlanned', 'planned block', 'JobsPlanned', '$.jobs');
    logCount(functions.planner.logGroup, 'BlocksPlanned', 'planned block', 'BlocksPlanned');
    logCount(functions.submitter.logGroup, 'RootsSubmitted', 'submitted root proof', 'RootsSubmitted');
    logCount(functions.submitter.logGroup, 'RootsConfirmed', 'root proof confirmed on L1', 'RootsConfirmed');
    // Any process may abandon a run (a check, the deadline, a job failed for good): count it wherever it happens.
    for (const logGroup of [...Object.values(functions).map((fn) => fn.logGroup), props.agentLogs]) {
      logCount(logGroup, 'RunsAbandoned', 'abandoned block run', 'RunsAbandoned');
    }

    const perTier = (metricName: string, statistic: string) => TIERS.map((tier) => custom(metricName, statistic, { Tier: tier }).with({ label: tier }));
    const agents = (tier: Tier, state: 'Running' | 'Starting') => custom(`Agents${state}`, Stats.MAXIMUM, { service: SCALER_SERVICE, Tier: tier });
    const agentsOf = (tier: Tier) =>
      new MathExpression({
        expression: `FILL(${tier[0]}r, 0) + FILL(${tier[0]}s, 0)`,
        usingMetrics: { [`${tier[0]}r`]: agents(tier, 'Running'), [`${tier[0]}s`]: agents(tier, 'Starting') },
        label: `${tier} agents`,
        period: Duration.minutes(1),
      });
    const { usdPerHour } = props.costModel;
    const fleetUsdPerHour = new MathExpression({
      expression: `(FILL(hr, 0) + FILL(hs, 0)) * ${usdPerHour.heavy.spot} + (FILL(lr, 0) + FILL(ls, 0)) * ${usdPerHour.light.spot}`,
      usingMetrics: { hr: agents('heavy', 'Running'), hs: agents('heavy', 'Starting'), lr: agents('light', 'Running'), ls: agents('light', 'Starting') },
      label: 'agents × Spot price ($/h)',
      period: Duration.minutes(1),
    });
    const provingUsd = (period: Duration) =>
      new MathExpression({
        expression: `FILL(h, 0) / 3600000 * ${usdPerHour.heavy.spot} + FILL(l, 0) / 3600000 * ${usdPerHour.light.spot}`,
        usingMetrics: { h: custom('ProofMilliseconds', Stats.SUM, { Tier: 'heavy' }, period), l: custom('ProofMilliseconds', Stats.SUM, { Tier: 'light' }, period) },
        label: 'proving time × Spot price ($)',
        period,
      });

    const topic =
      props.alarmTopic ??
      new Topic(this, 'Alarms', { displayName: 'prover-burst alarms', masterKey: props.key, enforceSSL: true });
    if (!props.alarmTopic && props.alarmEmail) topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.alarmTopic = topic;

    const alarm = (id: string, metric: IMetric, threshold: number, description: string) => {
      const made = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      made.addAlarmAction(new SnsAction(topic));
      made.addOkAction(new SnsAction(topic));
      return made;
    };
    this.alarms = [
      ...TIERS.flatMap((tier) =>
        queues.tiers[tier].map(({ deadLetterQueue }, lane) =>
          alarm(
            `${laneId(tier, lane)}DeadLetters`,
            deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
            1,
            `A ${tier} proof job was dead-lettered from lane ${lane} (received ${queues.maxReceiveCount} times without finishing): its run waits for the deadline. Look at the message and the agents' logs.`,
          ),
        ),
      ),
      alarm(
        'DeadlineAtRisk',
        custom('DeadlineAtRisk', Stats.MAXIMUM, { service: SCALER_SERVICE }),
        1,
        'The scaler sees less slack than URGENT_SLACK_SECONDS before a proving deadline and is buying on-demand capacity.',
      ),
      alarm(
        'SubmissionFailed',
        functions.submitter.function.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
        1,
        'A submit or confirm attempt failed (RPC, gas, nonce, KMS). The state machine retries; the run is abandoned when every retry fails.',
      ),
      alarm('RunAbandoned', custom('RunsAbandoned', Stats.SUM, {}, Duration.minutes(5)), 1, 'A block run was abandoned; its reason is on the run item and in the logs.'),
      alarm(
        'WatcherFailing',
        functions.watcher.function.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
        3,
        'The watcher failed 3 times in 5 minutes: no new block will be proven. Check the L1 RPC secret and the watcher logs.',
      ),
    ];

    const executions = (metricName: string) =>
      new Metric({ namespace: 'AWS/States', metricName, dimensionsMap: { StateMachineArn: props.stateMachine.stateMachineArn }, statistic: Stats.SUM, period: Duration.minutes(5), label: metricName.replace('Executions', '') });
    const queueDepth = (tier: Tier) =>
      queues.tiers[tier].flatMap(({ queue, deadLetterQueue }, lane) => {
        const named = queues.tiers[tier].length > 1 ? `${tier} lane ${lane}` : tier;
        return [
          queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM, label: `${named} waiting` }),
          queue.metricApproximateNumberOfMessagesNotVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM, label: `${named} being proven` }),
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM, label: `${named} dead` }),
        ];
      });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new TextWidget({
            markdown: '**prover-burst** — a block run is one Step Functions execution; open it for its states. Costs are estimates at the cost model\'s Spot prices.',
            width: 24,
            height: 1,
          }),
        ],
        [
          new GraphWidget({
            title: 'Block runs',
            width: 12,
            left: ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'].map(executions),
            right: [
              custom('RootsSubmitted', Stats.SUM, {}, Duration.minutes(5)).with({ label: 'roots submitted' }),
              custom('RootsConfirmed', Stats.SUM, {}, Duration.minutes(5)).with({ label: 'roots confirmed' }),
              custom('RunsAbandoned', Stats.SUM, {}, Duration.minutes(5)).with({ label: 'runs abandoned' }),
            ],
          }),
          new GraphWidget({
            title: 'Block progress: jobs planned and proven',
            width: 12,
            left: [custom('JobsPlanned', Stats.SUM).with({ label: 'jobs planned' })],
            right: perTier('ProofsCompleted', Stats.SUM).map((metric) => metric.with({ label: `${metric.dimensions?.Tier} proven` })),
          }),
        ],
        [
          new GraphWidget({ title: 'Queue depth: heavy', width: 12, left: queueDepth('heavy') }),
          new GraphWidget({ title: 'Queue depth: light', width: 12, left: queueDepth('light') }),
        ],
        [
          new GraphWidget({ title: 'Agents per tier', width: 8, left: TIERS.map(agentsOf), leftYAxis: { min: 0 } }),
          new GraphWidget({ title: 'Proofs per minute', width: 8, left: perTier('ProofsCompleted', Stats.SUM), leftYAxis: { min: 0 } }),
          new GraphWidget({
            title: 'Deadline',
            width: 8,
            left: [custom('SecondsToDeadline', Stats.MINIMUM, { service: SCALER_SERVICE }).with({ label: 'seconds to the nearest deadline' })],
            right: [custom('DeadlineAtRisk', Stats.MAXIMUM, { service: SCALER_SERVICE }).with({ label: 'at risk (1)' })],
          }),
        ],
        [
          new GraphWidget({ title: 'Estimated cost', width: 12, left: [fleetUsdPerHour], right: [provingUsd(Duration.minutes(5))] }),
          new SingleValueWidget({ title: 'Estimated proving cost over the range ($)', width: 6, metrics: [provingUsd(Duration.minutes(5))], setPeriodToTimeRange: true }),
          new AlarmStatusWidget({ title: 'Alarms', width: 6, alarms: [...this.alarms] }),
        ],
        [
          new GraphWidget({
            title: 'Function errors',
            width: 24,
            left: Object.entries(functions).map(([name, fn]) => fn.function.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM, label: name })),
          }),
        ],
      ],
    });
  }
}
