import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstancePresenceError } from '../../core/errors/storage.js';
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

  it('refuses an instance of no slots', () => {
    expect(() => createHostDirectoryPresence({ directory: tmpdir(), slots: 0 })).toThrow(InstancePresenceError);
  });
});
