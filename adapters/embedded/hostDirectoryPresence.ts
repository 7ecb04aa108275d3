import { randomInt } from 'node:crypto';
import { link, mkdir, readFile, readdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InstancePresenceError } from '../../core/errors/storage.js';
import { presenceFresh, type InstanceOccupancy, type InstancePresence } from '../../core/ports/instancePresence.js';

export interface HostDirectoryPresenceParameters {
  /** A directory only the agents of one instance (and tier) share: a host volume on AWS, one per instance on the devnet. */
  readonly directory: string;
  /** Agents of the tier the instance hosts at once. */
  readonly slots: number;
  /** Draws the instance's rank if no agent has yet (a uniform draw in [0, 1)). @default crypto-random */
  readonly draw?: () => number;
}

const AGENT_PREFIX = 'agent.';
const RANK_FILE = 'rank';

/**
 * Presence as files in a directory the agents of one instance share: one file per agent, its mtime the agent's last
 * announcement (set from the agent's clock, so the injected clock and the files agree); the instance's rank in one
 * file, written once by whichever agent gets there first (a hard link, which fails if another won). An announcement
 * deletes the files of other agents stale by then (killed without withdrawing), so the directory, which outlives its
 * agents on a host volume, does not grow with every agent the instance ever ran.
 */
export function createHostDirectoryPresence({ directory, slots, draw = cryptoDraw }: HostDirectoryPresenceParameters): InstancePresence {
  if (!Number.isInteger(slots) || slots < 1) throw new InstancePresenceError(directory, `slots must be a positive integer, not ${slots}`);
  const fileOf = (agentId: string) => join(directory, AGENT_PREFIX + encodeURIComponent(agentId));
  let rank: number | null = null;

  const readRank = async (): Promise<number> => {
    const path = join(directory, RANK_FILE);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text === null) {
      const own = join(directory, `${RANK_FILE}.${process.pid}.${randomInt(2 ** 47)}.tmp`);
      await writeFile(own, String(draw()));
      await link(own, path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      await unlink(own);
      return readRank();
    }
    const value = Number(text.trim());
    if (text.trim() === '' || !(value >= 0 && value < 1)) throw new InstancePresenceError(path, `the rank must be a number in [0, 1), not ${JSON.stringify(text)}`);
    return value;
  };

  return {
    async announce(agentId, nowMs): Promise<InstanceOccupancy> {
      await mkdir(directory, { recursive: true });
      const own = fileOf(agentId);
      await writeFile(own, agentId);
      await utimes(own, nowMs / 1_000, nowMs / 1_000);
      rank ??= await readRank();
      let fill = 0;
      for (const name of await readdir(directory)) {
        if (!name.startsWith(AGENT_PREFIX)) continue;
        const path = join(directory, name);
        // An agent that withdrew between the listing and its stat is not there.
        const info = await stat(path).catch(() => null);
        if (!info) continue;
        if (presenceFresh(info.mtimeMs, nowMs)) fill++;
        // Another agent may delete the same stale file first, or its agent come back and withdraw it.
        else if (path !== own) await unlink(path).catch(ignoreMissing);
      }
      return { fill, slots, rank };
    },
    async withdraw(agentId) {
      await unlink(fileOf(agentId)).catch(ignoreMissing);
    },
  };
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

function cryptoDraw(): number {
  return randomInt(2 ** 47) / 2 ** 47;
}
