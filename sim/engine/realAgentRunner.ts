import { agentDependencies } from '../../core/agent/agentDependencies.js';
import { runAgent } from '../../core/agent/runAgent.js';
import { createRunContexts } from '../../core/run/runContexts.js';
import { silentLogger } from '../../core/ports/logger.js';
import { seededRandom } from '../../core/random/seededRandom.js';
import { sample, type Distribution } from '../model/distribution.js';
import { SIM_SECONDS_PER_EXPECTED_SECOND } from '../model/scalerSettings.js';
import type { AgentHandle, FleetAgent } from '../world/fleet.js';
import { createModelledProver } from '../world/modelledProver.js';
import { simArtifactPort } from '../world/simArtifacts.js';
import { delayedPort } from '../world/delayedPort.js';
import { simQueuePort } from '../world/simQueuePort.js';
import { MAX_PLANS } from './fastAgentRunner.js';
import type { SimWorld } from './simWorld.js';
import { simInstancePresence } from '../world/simInstancePresence.js';
import { virtualClock } from '../world/virtualClock.js';

/**
 * Runs each agent as the REAL core agent loop (`runAgent` → `handleDelivery`: lease, fetch children, prove with a
 * heartbeat, store, complete, release the parent, enqueue it, acknowledge) on simulated time. Every port it talks to
 * answers after a latency drawn from the agent's own seeded stream, so a run is reproducible event for event.
 */
export function realAgentRunner(world: SimWorld): (agent: FleetAgent) => AgentHandle {
  const { loop, model } = world;
  return (agent) => {
    let dead = false;
    let busy = false;
    const clock = virtualClock(loop, () => !dead);
    const random = seededRandom(`${world.seed}/${agent.id}`);
    const pause = (latency: Distribution) => () => clock.sleep(sample(latency, random));
    const queue = simQueuePort(world.queue, clock, pause(model.latencyMs.sqs));
    const store = delayedPort(world.store, pause(model.latencyMs.dynamodb));
    const artifacts = simArtifactPort(world.artifacts, pause(model.latencyMs.s3Get), pause(model.latencyMs.s3Put));
    const backend = createModelledProver({
      clock,
      sigma: model.proofs.spreadSigma,
      seedKey: world.seedKey,
      attempts: world.attempts,
      onProved: (jobId, seconds) => world.ledger.proved(agent.id, jobId, agent.tier, seconds),
    });
    // The agent's own run contexts, the same requests in the same order, but the plan is the one shared by every
    // agent and its build time is simulated: 40,000 agents replanning a 368,639-job block for real would take hours.
    const runs = createRunContexts({
      store,
      artifacts,
      clock,
      runTtlMs: model.agent.runTtlMs,
      maxPlans: MAX_PLANS,
      async buildPlan(run) {
        await clock.sleep(sample(model.agent.planBuildSeconds, random) * 1_000);
        return world.runOf(run.runId).plan;
      },
    });
    const deps = agentDependencies(
      { store, queue, artifacts, clock, runs, targets: delayedPort(world.targets), log: silentLogger },
      {
        tier: agent.tier,
        agentId: agent.id,
        backend,
        presence: delayedPort(simInstancePresence(agent)),
        driver: {
          start: async () => false,
          rootProven: (runId, digest) => world.rootProven(runId, digest),
          fail: (runId, reason) => world.failed(runId, reason),
        },
        onEvent(event) {
          busy = event.type === 'proving';
          if (event.type === 'proving') world.ledger.started(agent.id, event.jobId);
          else world.ledger.stopped(agent.id);
        },
      },
    );
    const stop = new AbortController();
    const notice = new AbortController();
    runAgent(deps, { ...model.agent, secondsPerExpectedSecond: SIM_SECONDS_PER_EXPECTED_SECOND }, stop.signal, notice.signal).then(
      (summary) => {
        if (!dead) world.fleet().agentExited(agent, summary.exit);
      },
      (error: unknown) => world.crashed(error),
    );
    return {
      stop: (reason) => stop.abort(new Error(reason)),
      notice: () => notice.abort(new Error('spot interruption')),
      kill() {
        dead = true;
        busy = false;
        queue.abandon();
        world.ledger.stopped(agent.id);
      },
      get busy() {
        return busy;
      },
    };
  };
}
