import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeSimModel } from '../model/loadSimModel.js';
import { DEFAULT_SIM_MODEL } from '../model/model.js';
import { AWS_WHAT_IFS, SCALER_WHAT_IFS, STANDALONE_WHAT_IFS, WHAT_IF_DIR, whatIfOverride, whatIfRows } from './awsWhatIfs.js';

const at = (model: unknown, path: readonly string[]) => path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], model);
const changedPaths = (model: unknown) =>
  AWS_WHAT_IFS.map((w) => w.path).filter((path) => JSON.stringify(at(model, path)) !== JSON.stringify(at(DEFAULT_SIM_MODEL, path)));

describe('the AWS what-ifs (sim/whatif)', () => {
  it('each file makes its own part of the model ideal and leaves the rest as modelled', () => {
    for (const whatIf of AWS_WHAT_IFS) {
      const row = whatIfRows().find((r) => r.name === `only-${whatIf.key}`)!;
      const model = mergeSimModel(whatIfOverride(row), row.name);
      expect(changedPaths(model), whatIf.key).toEqual([whatIf.path]);
      expect({ ...model, [whatIf.path[0]!]: DEFAULT_SIM_MODEL[whatIf.path[0] as keyof typeof DEFAULT_SIM_MODEL] }).toEqual(DEFAULT_SIM_MODEL);
    }
  });

  it('all ideal changes every part; all but one changes every part but that one', () => {
    const rows = whatIfRows();
    expect(changedPaths(mergeSimModel(whatIfOverride(rows.find((r) => r.name === 'all-ideal')!)))).toHaveLength(AWS_WHAT_IFS.length);
    for (const whatIf of AWS_WHAT_IFS) {
      const model = mergeSimModel(whatIfOverride(rows.find((r) => r.name === `all-but-${whatIf.key}`)!));
      expect(changedPaths(model)).toEqual(AWS_WHAT_IFS.filter((w) => w !== whatIf).map((w) => w.path));
    }
  });

  it('the scaler rows keep AWS all ideal and change the scaler setting named; a row is compared with the model as it is under the same hold', () => {
    const noHold = mergeSimModel(whatIfOverride(whatIfRows().find((r) => r.name === 'all-ideal-no-hold')!));
    expect(changedPaths(noHold)).toHaveLength(AWS_WHAT_IFS.length);
    expect(noHold.scaling.scaleDownHoldSeconds).toBe(0);
    expect(mergeSimModel(whatIfOverride(whatIfRows().find((r) => r.name === 'all-ideal-stretch-1')!)).scaling.targetStretch).toBe(1);
    for (const row of whatIfRows()) {
      const holdOff = mergeSimModel(whatIfOverride(row)).scaling.scaleDownHoldSeconds === 0;
      expect(row.against, row.name).toBe(holdOff ? 'as-modelled-no-hold' : 'as-modelled');
    }
  });

  it('every override file in the folder is a row or one of the named whole what-ifs', () => {
    const files = readdirSync(WHAT_IF_DIR).filter((file) => file.endsWith('.json'));
    const used = new Set<string>([...whatIfRows().flatMap((row) => row.files), ...STANDALONE_WHAT_IFS]);
    expect(files.filter((file) => !used.has(file))).toEqual([]);
    expect(files).toHaveLength(AWS_WHAT_IFS.length + SCALER_WHAT_IFS.length + STANDALONE_WHAT_IFS.length);
  });
});
