import { describe, expect, it } from 'vitest';
import type { AwsClient, AwsService } from '../../runtime/aws/clients.js';
import { AgentStopRequested, SpotInterruptionNotice } from './errors/agentErrors.js';
import { startAgent } from './startAgent.js';

/** An agent environment attesting with KMS (`simulated-kms`): its prover backend asks KMS for the key first. */
const KMS_AGENT_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AGENT_ID: 'stopped-before-start',
  AGENT_TIER: 'light',
  PROVER_BACKEND: 'simulated-kms',
  ATTESTER_KMS_KEY_ID: 'alias/attester',
  JOB_TABLE_NAME: 'jobs',
  ARTIFACT_BUCKET: 'artifacts',
  HEAVY_QUEUE_URL: 'http://127.0.0.1:9/000000000000/heavy',
  LIGHT_QUEUE_URL: 'http://127.0.0.1:9/000000000000/light',
};

/** Client options whose every AWS request is recorded and refused before it leaves the process. */
function refusingClients(requests: string[]) {
  return {
    instrument: (client: AwsClient, service: AwsService) => {
      const stack = client.middlewareStack as unknown as { add: (middleware: unknown, options: { step: string; name: string }) => void };
      stack.add(
        () => (args: { input: unknown }) => {
          requests.push(service);
          return Promise.reject(new Error(`no ${service} in this test (${JSON.stringify(args.input)})`));
        },
        { step: 'initialize', name: 'refuseEveryRequest' },
      );
    },
  };
}

describe('startAgent', () => {
  it('builds no prover backend (no KMS call) when a stop or a notice came while it loaded: it exits at once, having taken nothing', async () => {
    for (const [stop, notice] of [
      [AbortSignal.abort(new AgentStopRequested('SIGTERM received')), new AbortController().signal],
      [new AbortController().signal, AbortSignal.abort(new SpotInterruptionNotice('SIGUSR2 received'))],
    ]) {
      const requests: string[] = [];
      const summary = await startAgent(KMS_AGENT_ENV, { signal: stop!, notice: notice!, clientOptions: refusingClients(requests) });
      expect(summary).toEqual({ agentId: 'stopped-before-start', exit: 'stopped', counts: { proving: 0, proved: 0, failed: 0, returned: 0, skipped: 0 } });
      expect(requests).toEqual([]);
    }
  });
});
