import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeBlockBodyBytes } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import { enqueueReadyLeaves } from '../../core/jobs/enqueueReadyJobs.js';
import { REPO_ROOT } from '../../infra/repoRoot.js';
import { sampleRun } from '../support/sampleRun.js';
import { spawnAgent, type AgentProcess } from './support/agentProcess.js';
import { emulatorClients, emulatorEnvironment, uniqueName } from './support/awsTestEnvironment.js';
import { createPipelineEnvironment, type PipelineEnvironment } from './support/pipelineEnvironment.js';
import { runDue } from '../../core/jobs/urgency.js';

const PROVER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const VISIBILITY_MS = 60_000;

/** A stand-in for the instance metadata service: IMDSv2 tokens, and the Spot notice once `interrupt()` is called. */
async function startFakeImds() {
  let notice = false;
  const token = 'imds-token';
  const server: Server = createServer((request, response) => {
    if (request.method === 'PUT' && request.url === '/latest/api/token' && request.headers['x-aws-ec2-metadata-token-ttl-seconds']) {
      response.end(token);
    } else if (request.method === 'GET' && request.url === '/latest/meta-data/spot/instance-action' && request.headers['x-aws-ec2-metadata-token'] === token) {
      response.writeHead(notice ? 200 : 404);
      response.end(notice ? JSON.stringify({ action: 'terminate', time: new Date(Date.now() + 120_000).toISOString() }) : '');
    } else {
      response.writeHead(401);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    interrupt: () => (notice = true),
    reset: () => (notice = false),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * `docker` as the host script calls it: `ps` lists one task container (the agent), `kill --signal USR2` signals the
 * agent's node process, as tini in the container forwards it to node (and to node only); each call is logged.
 */
function fakeDocker(dir: string, agentPid: number): { readonly path: string; calls: () => string[] } {
  const path = join(dir, 'docker');
  const log = join(dir, 'docker.log');
  writeFileSync(log, '');
  writeFileSync(
    path,
    [
      '#!/bin/bash',
      `echo "$*" >> ${log}`,
      'case "$1" in',
      '  ps) echo agent0container ;;',
      `  kill) [ "$2 $3 $4" = "--signal USR2 agent0container" ] && kill -USR2 ${agentPid} ;;`,
      'esac',
    ].join('\n'),
  );
  chmodSync(path, 0o755);
  return { path, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

describe('Spot\'s two-minute notice reaches the agent (batch-images/host/spot-notice.sh)', () => {
  const clients = emulatorClients();
  let pipeline: PipelineEnvironment;
  let imds: Awaited<ReturnType<typeof startFakeImds>>;
  const agents: AgentProcess[] = [];
  let watcher: ChildProcess | undefined;

  beforeAll(async () => {
    [pipeline, imds] = await Promise.all([createPipelineEnvironment(clients, { maxReceiveCount: 6 }), startFakeImds()]);
  });
  afterAll(async () => {
    if (watcher?.pid) process.kill(-watcher.pid, 'SIGKILL');
    for (const agent of agents) agent.kill('SIGKILL');
    await imds?.close();
    await pipeline?.remove();
    clients.destroy();
  });

  /** A run of two 30-s light jobs, proving; the agent's environment with its simulated time scale and `extra`. */
  async function provingRun(extra: Record<string, string> = {}) {
    // An earlier test's agents exit idle first, so none takes this run's jobs.
    await Promise.all(agents.map((agent) => agent.exited));
    const body = syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 0 }, seed: uniqueName('spot') });
    const runId = uniqueName('run');
    const plan = planBlock(body, rfp2023, { blockId: runId, trusted: true });
    const attester = privateKeyToAccount(PROVER_KEY);
    const bodyDigest = await pipeline.artifacts.put(encodeBlockBodyBytes(body));
    await pipeline.store.createRun(sampleRun({ runId, bodyDigest, txCount: 2, jobCount: plan.size, state: 'proving', proverId: attester.address }));
    await enqueueReadyLeaves(pipeline.queue, plan, runDue(sampleRun(), 1));
    const env = (simulatedTimeScale: string) => ({
      ...emulatorEnvironment(),
      ...pipeline.env,
      AGENT_TIER: 'light',
      PROVER_BACKEND: 'simulated',
      PROVER_DEV_PRIVATE_KEY: PROVER_KEY,
      SIMULATED_TIME_SCALE: simulatedTimeScale,
      AGENT_VISIBILITY_MS: String(VISIBILITY_MS),
      AGENT_HEARTBEAT_MS: '10000',
      AGENT_WAIT_MS: '1000',
      AGENT_IDLE_EXIT_MS: '3000',
      AGENT_RUN_CACHE_MS: '1000',
      ...extra,
    });
    return { runId, env };
  }

  /** Starts an agent on a 30-s proof (30 s here), then the host script, then Spot's notice in the middle of the proof. */
  async function noticeMidProof(env: Record<string, string>) {
    imds.reset();
    const reclaimed = spawnAgent(uniqueName('on-spot'), env);
    agents.push(reclaimed);
    const proving = await reclaimed.waitForEvent((event) => event.type === 'proving', 60_000);
    const docker = fakeDocker(mkdtempSync(join(tmpdir(), 'spot-notice-')), reclaimed.pid);
    watcher = spawn('bash', [join(REPO_ROOT, 'batch-images', 'host', 'spot-notice.sh')], {
      env: { PATH: process.env.PATH, IMDS_ENDPOINT: imds.url, SPOT_POLL_SECONDS: '0.2', DOCKER: docker.path },
      stdio: 'ignore',
      detached: true,
    });
    // Polling without a notice signals nothing.
    await expect.poll(() => docker.calls().length, { timeout: 10_000, interval: 100 }).toBe(0);
    const noticeAt = Date.now();
    imds.interrupt();
    return { reclaimed, proving, docker, noticeAt };
  }

  afterEach(() => {
    if (watcher?.pid) process.kill(-watcher.pid, 'SIGKILL');
    watcher = undefined;
  });

  it('hands the job being proven back at once when what is left of it does not fit the notice', async () => {
    // A margin that leaves 5 s of the notice: no 30-s proof fits.
    const { runId, env } = await provingRun();
    const { reclaimed, proving, docker, noticeAt } = await noticeMidProof({ ...env('1'), AGENT_NOTICE_MARGIN_MS: '115000' });

    const returned = await reclaimed.waitForEvent((event) => event.type === 'returned', 15_000);
    expect(returned).toMatchObject({ jobId: proving.jobId, why: 'interruption notice' });
    expect(await reclaimed.exited).toBe(0);
    // Told once, though the notice stays up.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(docker.calls().filter((call) => call.startsWith('kill'))).toEqual(['kill --signal USR2 agent0container']);

    // The job is at once another agent's: the run is proven long before the lease of the reclaimed agent would expire.
    const survivor = spawnAgent(uniqueName('on-demand'), env('0.001'));
    agents.push(survivor);
    await expect.poll(async () => (await pipeline.store.getRun(runId))?.state, { timeout: 45_000, interval: 300 }).toBe('submitting');
    expect(Date.now() - noticeAt).toBeLessThan(VISIBILITY_MS);
    expect(survivor.events).toContainEqual(expect.objectContaining({ type: 'proved', jobId: proving.jobId }));
  });

  it('finishes the proof in hand when it fits the notice, records it once, and takes no other job', async () => {
    const { runId, env } = await provingRun();
    const { reclaimed, proving } = await noticeMidProof(env('1'));

    expect(await reclaimed.exited).toBe(0);
    expect(reclaimed.events.filter((event) => event.type !== 'proving')).toEqual([
      expect.objectContaining({ type: 'proved', jobId: proving.jobId, first: true }),
    ]);
    expect(await pipeline.store.getJob(runId, proving.jobId)).toMatchObject({ state: 'done' });
  });
});
