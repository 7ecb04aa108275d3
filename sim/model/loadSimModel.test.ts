import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SimModelError } from '../errors/index.js';
import { agentsPerInstance, TIERS } from '../../core/tiers.js';
import { combineModelOverrides, loadSimModel, mergeSimModel } from './loadSimModel.js';
import { DEFAULT_SIM_MODEL } from './model.js';
import { provisioningSeconds } from './scalerSettings.js';

/** A committed what-if model file (`sim/whatif/`), wherever the tests run from. */
const WHAT_IF = (name: string) => fileURLToPath(new URL(`../whatif/${name}`, import.meta.url));

describe('the model file', () => {
  it('accepts the default model as it is', () => {
    expect(mergeSimModel({})).toEqual(DEFAULT_SIM_MODEL);
  });

  it('overrides a nested value and keeps its siblings', () => {
    const model = mergeSimModel({ ec2: { scaleInSeconds: { kind: 'fixed', value: 2 } }, account: { maxVcpus: { heavy: 3_200 } } });
    expect(model.ec2.scaleInSeconds).toEqual({ kind: 'fixed', value: 2 });
    expect(model.ec2.bootSeconds).toEqual(DEFAULT_SIM_MODEL.ec2.bootSeconds);
    expect(model.account.maxVcpus).toEqual({ heavy: 3_200, light: DEFAULT_SIM_MODEL.account.maxVcpus.light });
  });

  it.each([
    [{ proofs: { spreadSigma: -1 } }, 'proofs.spreadSigma'],
    [{ batch: { apiCallsPerSecond: 0 } }, 'batch.apiCallsPerSecond'],
    [{ ec2: { launchSeconds: { kind: 'gamma', shape: 2 } } }, 'ec2.launchSeconds'],
    [{ faults: { kill: { fraction: 1.5 } } }, 'faults.kill.fraction'],
    [{ spot: { noticeSecond: 120 } }, 'spot'],
    [{ ec2: { instanceTypes: { heavy: 'c7i.64xlarge' } } }, 'ec2.instanceTypes.heavy'],
    [{ ec2: { instanceTypes: { light: 'c7i.large' }, instanceCatalog: { 'c7i.large': { vcpus: 2, memoryGiB: 4, onDemandUsdPerHour: 0.09 } } } }, 'ec2.instanceTypes.light'],
  ])('refuses %j, naming %s', (override, path) => {
    expect(() => mergeSimModel(override, 'm.json')).toThrow(SimModelError);
    expect(() => mergeSimModel(override, 'm.json')).toThrow(new RegExp(`^model m.json: ${path.replace('.', '\\.')}`));
  });

  it('adds an instance type to the catalogue and launches it, naming a type it does not know or too small for an agent', () => {
    const model = mergeSimModel({
      ec2: { instanceCatalog: { 'c7i.16xlarge': { vcpus: 64, memoryGiB: 128, onDemandUsdPerHour: 2.856 } }, instanceTypes: { heavy: 'c7i.16xlarge' } },
    });
    expect(model.ec2.instanceTypes).toEqual({ heavy: 'c7i.16xlarge', light: DEFAULT_SIM_MODEL.ec2.instanceTypes.light });
    expect(Object.keys(model.ec2.instanceCatalog)).toContain('c7i.48xlarge');
    expect(() => mergeSimModel({ ec2: { instanceTypes: { heavy: 'c7i.64xlarge' } } }, 'm.json')).toThrow(/c7i\.64xlarge is not in ec2\.instanceCatalog/);
    expect(() => mergeSimModel({ ec2: { instanceTypes: { heavy: 'c7i.2xlarge' } } }, 'm.json')).toThrow(/c7i\.2xlarge cannot host one heavy agent \(32 vCPU, 61440 MiB\)/);
  });

  it('combines overrides into one: later ones win, siblings are kept, a distribution replaces whole', () => {
    const combined = combineModelOverrides([
      { ec2: { bootSeconds: { kind: 'fixed', value: 1 }, launchBucket: { burst: 5 } } },
      { ec2: { launchBucket: { refillPerSecond: 9 } }, scaling: { targetStretch: 1.2 } },
      { ec2: { bootSeconds: { kind: 'logNormal', median: 4, sigma: 0.1 } } },
    ]);
    expect(combined).toEqual({
      ec2: { bootSeconds: { kind: 'logNormal', median: 4, sigma: 0.1 }, launchBucket: { burst: 5, refillPerSecond: 9 } },
      scaling: { targetStretch: 1.2 },
    });
    expect(mergeSimModel(combined).ec2.launchBucket).toEqual({ burst: 5, refillPerSecond: 9 });
    expect(combineModelOverrides([])).toEqual({});
  });

  it('reads an override file, and says which file is unreadable or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-model-'));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ scaling: { targetStretch: 1.5 } }));
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(loadSimModel(join(dir, 'ok.json')).scaling.targetStretch).toBe(1.5);
    expect(() => loadSimModel(join(dir, 'bad.json'))).toThrow(/bad\.json: is not JSON/);
    expect(() => loadSimModel(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot be read/);
  });

  it('reads the committed what-if files (sim/whatif): AWS\'s start-up, launch bucket and scale-in made instant, without the hold; one agent an instance in the second', () => {
    const instant = loadSimModel(WHAT_IF('instant-aws.json'));
    // Four parts at 0.5 s and the agent's own plan build (~1 s), against ~80 s on the default model.
    expect(provisioningSeconds(instant, 0.75)).toBeLessThan(5);
    expect(provisioningSeconds(DEFAULT_SIM_MODEL, 0.75)).toBeGreaterThan(60);
    expect(instant.ec2.launchBucket.burst).toBeGreaterThanOrEqual(1_000_000);
    expect(instant.ec2.scaleInSeconds).toEqual({ kind: 'fixed', value: 0.5 });
    expect(instant.batch.containerStartSeconds).toEqual({ kind: 'fixed', value: 0.5 });
    expect(instant.scaling.scaleDownHoldSeconds).toBe(0);
    expect(instant.ec2.instanceTypes).toEqual(DEFAULT_SIM_MODEL.ec2.instanceTypes);
    const single = loadSimModel(WHAT_IF('instant-aws-one-agent-instances.json'));
    expect({ ...single, ec2: { ...single.ec2, instanceTypes: instant.ec2.instanceTypes } }).toEqual(instant);
    for (const tier of TIERS) {
      expect(agentsPerInstance(single.ec2.instanceCatalog[single.ec2.instanceTypes[tier]]!, tier, single.ec2.registeredMemoryShare)).toBe(1);
    }
  });
});
