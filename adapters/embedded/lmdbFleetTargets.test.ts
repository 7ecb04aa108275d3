import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFleetTargetsContract } from '../../test/contracts/fleetTargets.contract.js';
import { openLmdbFleetTargets } from './lmdbFleetTargets.js';

describeFleetTargetsContract('embedded (LMDB)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'pb-fleet-'));
  const targets = openLmdbFleetTargets(directory);
  return {
    targets,
    close: async () => {
      await targets.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
