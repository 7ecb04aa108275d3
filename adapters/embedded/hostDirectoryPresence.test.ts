import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstancePresenceError } from '../../core/errors/storage.js';
import { PRESENCE_STALE_MS } from '../../core/ports/instancePresence.js';
import { describeInstancePresenceContract } from '../../test/contracts/instancePresence.contract.js';
import { createHostDirectoryPresence } from './hostDirectoryPresence.js';

describeInstancePresenceContract('host directory (AWS host volume, devnet)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pb-presence-'));
  let draws = 0;
  return {
    // Each handle draws differently, so agreeing on one rank is the directory's doing.
    open: (instance, slots) => createHostDirectoryPresence({ directory: join(root, instance), slots, draw: () => (draws++ % 97) / 97 }),
    close: async () => rmSync(root, { recursive: true, force: true }),
  };
});

describe('host directory presence', () => {
  const T0 = 1_700_000_000_000;

  it('names a rank file it did not write and cannot read as a rank', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pb-presence-'));
    try {
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, 'rank'), 'seven');
      const presence = createHostDirectoryPresence({ directory, slots: 6 });
      await expect(presence.announce('heavy-a', T0)).rejects.toThrow(InstancePresenceError);
      await expect(presence.announce('heavy-a', T0)).rejects.toThrow(/"seven"/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("deletes other agents' stale files when announcing, and keeps the fresh ones", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pb-presence-'));
    try {
      const presence = createHostDirectoryPresence({ directory, slots: 6 });
      await presence.announce('killed', T0);
      await presence.announce('quiet', T0 + 1_000);
      await presence.announce('busy', T0 + PRESENCE_STALE_MS);
      // 'killed' is stale now, 'quiet' just fresh still.
      expect(await presence.announce('busy', T0 + PRESENCE_STALE_MS + 1)).toMatchObject({ fill: 2 });
      expect(readdirSync(directory).filter((name) => name.startsWith('agent.')).sort()).toEqual(['agent.busy', 'agent.quiet']);
      // Its own file, however late its announcement, is written afresh, never deleted.
      expect(await presence.announce('quiet', T0 + 3 * PRESENCE_STALE_MS)).toMatchObject({ fill: 1 });
      expect(readdirSync(directory).filter((name) => name.startsWith('agent.'))).toEqual(['agent.quiet']);
      // A stale agent that comes back withdraws a file already gone without complaint.
      await presence.withdraw('busy');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses an instance of no slots', () => {
    expect(() => createHostDirectoryPresence({ directory: tmpdir(), slots: 0 })).toThrow(InstancePresenceError);
  });
});
