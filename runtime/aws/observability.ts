import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { AwsClientOptions } from './clients.js';
import { powertoolsLogger } from './logger.js';

/** One function's logger, tracer and metrics (Powertools), made once per cold start and shared by everything in it. */
export interface FunctionObservability {
  readonly log: ReturnType<typeof powertoolsLogger>;
  /** Active in Lambda (X-Ray, the function has tracing on); a no-op elsewhere, so tests and the devnet send nothing. */
  readonly tracer: Tracer;
  /** The one metrics instance; null unless POWERTOOLS_METRICS_NAMESPACE is set, as on AWS (local runs emit none). */
  readonly metrics: Metrics | null;
}

export function functionObservability(service: string, env: NodeJS.ProcessEnv = process.env): FunctionObservability {
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE;
  return {
    log: powertoolsLogger(service),
    tracer: new Tracer({ serviceName: service }),
    metrics: namespace ? new Metrics({ namespace, serviceName: service }) : null,
  };
}

/** The AWS SDK clients' options with each client traced as an X-Ray subsegment (no-op when tracing is off). */
export function tracedClients(tracer: Tracer, options: AwsClientOptions = {}): AwsClientOptions {
  return {
    ...options,
    instrument: (client, service) => {
      tracer.captureAWSv3Client(client);
      options.instrument?.(client, service);
    },
  };
}

/**
 * The Lambda entry point around a handler: the invocation's Lambda context in every log line (request id, cold start,
 * function) and a trace segment per invocation with its errors. Metrics are flushed where they are made (the scaler
 * flushes each tick's), so a function that emits none writes no empty metric line.
 */
export function lambdaHandler<Event, Result>(observability: FunctionObservability, handler: (event: Event) => Promise<Result>) {
  return middy<Event, Result, Error, Context>((event: Event) => handler(event))
    .use(injectLambdaContext(observability.log.powertools, { resetKeys: true }))
    .use(captureLambdaHandler(observability.tracer));
}
