import type { SimModel } from '../model/model.js';

/** Requests to the pay-per-request services, counted as the simulated ports serve them. */
export interface ControlPlaneCounts {
  dynamodbWrites: number;
  dynamodbReads: number;
  sqsRequests: number;
  s3Puts: number;
  s3Gets: number;
  lambdaInvocations: number;
  lambdaSeconds: number;
  stepFunctionTransitions: number;
}

export function emptyControlPlaneCounts(): ControlPlaneCounts {
  return {
    dynamodbWrites: 0,
    dynamodbReads: 0,
    sqsRequests: 0,
    s3Puts: 0,
    s3Gets: 0,
    lambdaInvocations: 0,
    lambdaSeconds: 0,
    stepFunctionTransitions: 0,
  };
}

/** What the counted requests cost, per service (USD). */
export function controlPlaneCostUsd(counts: ControlPlaneCounts, model: SimModel): Record<string, number> {
  const { prices, lambdaMemoryMb } = model.controlPlane;
  return {
    dynamodb: counts.dynamodbWrites * prices.dynamodbPerWriteUnit + counts.dynamodbReads * prices.dynamodbPerReadUnit,
    sqs: counts.sqsRequests * prices.sqsPerRequest,
    s3: counts.s3Puts * prices.s3PerPut + counts.s3Gets * prices.s3PerGet,
    lambda:
      counts.lambdaInvocations * prices.lambdaPerRequest + counts.lambdaSeconds * (lambdaMemoryMb / 1024) * prices.lambdaPerGbSecond,
    stepFunctions: counts.stepFunctionTransitions * prices.stepFunctionsPerTransition,
  };
}
