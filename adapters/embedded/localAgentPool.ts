import { join } from 'node:path';
import type { AgentCapacity } from '../../core/ports/agentCapacity.js';
import type { InstancePresence } from '../../core/ports/instancePresence.js';
import type { AgentDependencies } from '../../core/agent/handleDelivery.js';
import type { AgentSettings } from '../../core/agent/agentSettings.js';
import { runAgent, type AgentSummary } from '../../core/agent/runAgent.js';
import { TIERS, type Tier } from '../../core/tiers.js';
import { createHostDirectoryPresence } from './hostDirectoryPresence.js';

interface LocalAgent {
  readonly id: string;
  readonly tier: Tier;
  readonly stop: AbortController;
  /** Spot's interruption notice, as the devnet gives it (`notice`). */
  readonly notice: AbortController;
  readonly done: Promise<AgentSummary>;
}

export interface LocalAgentPool extends AgentCapacity {
  readonly agents: ReadonlyMap<string, LocalAgent>;
  /** Agents currently proving a job, by tier (for the live view's utilisation). */
  busy(tier: Tier): number;
  /** Stops every agent, handing their jobs back, and waits for them. */
  stopAll(): Promise<void>;
  /**
   * Kills an agent the way a lost machine dies: every call it makes from now on hangs, nothing is handed back,
   * and its job returns only when its lease and visibility time out.
   */
  kill(agentId: string): void;
  /**
   * Gives an agent Spot's interruption notice, as spot-notice.sh does on AWS: it takes no new job, finishes the one in
   * hand if it fits before the interruption (`interruptionVerdict`), else hands it back, and exits. (The devnet has no
   * machine to reclaim: nothing ends the agent two minutes later.)
   */
  notice(agentId: string): void;
}

export interface LocalAgentPoolParameters {
  /** The most agents per tier this machine runs (the devnet's `--agents heavy=4,light=8`). */
  readonly maxAgents: Readonly<Record<Tier, number>>;
  readonly settings: AgentSettings;
  /** Everything an agent needs but its tier and id. */
  readonly dependencies: (tier: Tier, agentId: string) => AgentDependencies;
  /** Distinguishes this process's agents from a previous run's in the job store. */
  readonly instance: string;
  /**
   * Places agents on local stand-ins for instances, as Batch does (the fullest with a free slot first), each with a
   * host directory its agents share (`createHostDirectoryPresence`), so the devnet's agents leave by the same packing
   * rule as on AWS. Absent: agents know no instance and leave as soon as a leave is due.
   */
  readonly instances?: LocalInstances;
}

/** Where the local instances' directories go (one per instance, emptied by the caller) and their slots per tier. */
export interface LocalInstances {
  readonly directory: string;
  readonly slots: Readonly<Record<Tier, number>>;
}

/** One local instance: its directory and the agents in its slots. */
interface LocalInstance {
  readonly presence: InstancePresence;
  readonly agents: Set<string>;
}

/**
 * Agents as concurrent loops in this process, started and stopped like Batch array jobs: the same `runAgent` a
 * Batch container runs. Each agent proves one job at a time and exits when idle.
 */
export function createLocalAgentPool({ maxAgents, settings, dependencies, instance, instances }: LocalAgentPoolParameters): LocalAgentPool {
  const agents = new Map<string, LocalAgent>();
  const placed = new Map<Tier, LocalInstance[]>(TIERS.map((tier) => [tier, []]));

  /** A slot for a new agent: on the fullest instance of its tier with one free, else on a new instance. */
  const place = (tier: Tier, id: string): LocalInstance | undefined => {
    if (!instances) return undefined;
    const slots = instances.slots[tier];
    const ofTier = placed.get(tier)!;
    let chosen: LocalInstance | undefined;
    for (const candidate of ofTier) if (candidate.agents.size < slots && (!chosen || candidate.agents.size > chosen.agents.size)) chosen = candidate;
    if (!chosen) {
      chosen = { presence: createHostDirectoryPresence({ directory: join(instances.directory, `${tier}-${ofTier.length}`), slots }), agents: new Set() };
      ofTier.push(chosen);
    }
    chosen.agents.add(id);
    return chosen;
  };
  const proving = new Set<string>();
  const killed = new Set<string>();
  let next = 0;

  const launch = (tier: Tier) => {
    const id = `${instance}-${tier}-${next++}`;
    const stop = new AbortController();
    const notice = new AbortController();
    const base = dependencies(tier, id);
    const host = place(tier, id);
    const dead = () => killed.has(id);
    const deps: AgentDependencies = {
      ...base,
      store: freezable(base.store, dead),
      queue: freezable(base.queue, dead),
      artifacts: freezable(base.artifacts, dead),
      driver: freezable(base.driver, dead),
      ...(host ? { presence: freezable(host.presence, dead) } : {}),
      onEvent: (event) => {
        if (event.type === 'proving') proving.add(id);
        else proving.delete(id);
        base.onEvent?.(event);
      },
    };
    const done = runAgent(deps, settings, stop.signal, notice.signal).finally(() => {
      agents.delete(id);
      proving.delete(id);
      host?.agents.delete(id);
    });
    agents.set(id, { id, tier, stop, notice, done });
  };

  const ofTier = (tier: Tier) => [...agents.values()].filter((agent) => agent.tier === tier);

  return {
    agents,
    busy: (tier) => ofTier(tier).filter((agent) => proving.has(agent.id)).length,
    async count(tier) {
      return { running: ofTier(tier).length, starting: 0 };
    },
    async start(tier, count) {
      const room = maxAgents[tier] - ofTier(tier).length;
      for (let i = 0; i < Math.min(count, room); i++) launch(tier);
    },
    async stop(tier, count) {
      // Idle agents first: a busy one would hand its job back.
      const candidates = ofTier(tier).sort((a, b) => Number(proving.has(a.id)) - Number(proving.has(b.id)));
      for (const agent of candidates.slice(0, count)) agent.stop.abort(new Error('scaled down'));
    },
    kill(agentId) {
      killed.add(agentId);
      agents.delete(agentId);
      proving.delete(agentId);
      // The machine is lost; its slot is free for a new agent, and its announcement goes stale.
      for (const tier of TIERS) for (const host of placed.get(tier)!) host.agents.delete(agentId);
    },
    notice(agentId) {
      agents.get(agentId)?.notice.abort(new Error('spot interruption notice'));
    },
    async stopAll() {
      for (const tier of TIERS) for (const agent of ofTier(tier)) agent.stop.abort(new Error('shutting down'));
      await Promise.all([...agents.values()].map((agent) => agent.done));
    },
  };
}

/** Wraps every method of a port so that, once `dead()` is true, calls never return. */
function freezable<T extends object>(port: T, dead: () => boolean): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead()) return new Promise(() => undefined);
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return (result as Promise<unknown>).then((resolved) => (dead() ? new Promise(() => undefined) : resolved));
      };
    },
  });
}
