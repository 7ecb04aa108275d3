import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { functionObservability, lambdaHandler } from '../../runtime/aws/observability.js';

const context = (awsRequestId: string): Context => ({
  awsRequestId,
  functionName: 'ProverBurst-Scaler',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ProverBurst-Scaler',
  memoryLimitInMB: '1536',
  logGroupName: '/aws/lambda/ProverBurst-Scaler',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** The JSON log lines written to stdout while `run` runs. */
async function logged(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  await run().catch(() => undefined);
  vi.restoreAllMocks();
  return lines.flatMap((line) => line.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the Lambda entry point (Powertools)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('puts the invocation\'s Lambda context on every log line the handler writes, and returns its result', async () => {
    const observability = functionObservability('prover-burst-test', {});
    const handler = lambdaHandler(observability, async (event: { runId: string }) => {
      observability.log.info('handling', { runId: event.runId });
      return { done: event.runId };
    });
    let result: unknown;
    const lines = await logged(async () => (result = await handler({ runId: 'b7-00' }, context('request-1'))));
    expect(result).toEqual({ done: 'b7-00' });
    expect(lines).toEqual([
      expect.objectContaining({ message: 'handling', runId: 'b7-00', service: 'prover-burst-test', function_request_id: 'request-1', function_name: 'ProverBurst-Scaler', function_arn: expect.stringContaining(':function:') }),
    ]);
    // The next invocation's lines carry its own request id.
    const next = await logged(() => handler({ runId: 'b8-00' }, context('request-2')));
    expect(next).toEqual([expect.objectContaining({ function_request_id: 'request-2', runId: 'b8-00' })]);
  });

  it('lets the handler\'s error through (Step Functions catches it by name)', async () => {
    const observability = functionObservability('prover-burst-test', {});
    const handler = lambdaHandler(observability, async () => {
      throw Object.assign(new Error('rpc down'), { name: 'RpcError' });
    });
    await expect(handler({}, context('request-3'))).rejects.toMatchObject({ name: 'RpcError' });
  });

  it('makes one metrics instance, and only where a namespace is configured', () => {
    expect(functionObservability('prover-burst-test', {}).metrics).toBeNull();
    expect(functionObservability('prover-burst-test', { POWERTOOLS_METRICS_NAMESPACE: 'ProverBurst' }).metrics).not.toBeNull();
  });
});
