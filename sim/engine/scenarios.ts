import { UnknownScenarioError } from '../errors/index.js';
import type { SimModel } from '../model/model.js';

/** A fault injected during the block. */
export interface ScenarioFault {
  readonly kind: 'spot-storm' | 'kill';
  readonly atSeconds: number;
  readonly fraction: number;
}

/** The conditions a block is proven under. */
export interface Scenario {
  readonly name: ScenarioName;
  readonly description: string;
  /** The agents the scaler asks for at t = 0 are already up (serving the previous block), billed from t = 0. */
  readonly warm: boolean;
  readonly fault: ScenarioFault | null;
}

export const SCENARIO_NAMES = ['warm', 'cold', 'spot-storm', 'kill-30'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The scenario by name, with its fault's timing and size from the model; throws `UnknownScenarioError`. */
export function getScenario(name: string, model: SimModel): Scenario {
  switch (name) {
    case 'warm':
      return { name, description: 'the first wave of agents is already up', warm: true, fault: null };
    case 'cold':
      return { name, description: 'no agent is up: every one is launched for this block', warm: false, fault: null };
    case 'spot-storm':
      return {
        name,
        description: `warm, then ${pct(model.faults.spotStorm.fraction)} of running Spot instances get the 2-minute notice at t = ${model.faults.spotStorm.atSeconds} s`,
        warm: true,
        fault: { kind: 'spot-storm', ...model.faults.spotStorm },
      };
    case 'kill-30':
      return {
        name,
        description: `warm, then ${pct(model.faults.kill.fraction)} of agents vanish at t = ${model.faults.kill.atSeconds} s without notice`,
        warm: true,
        fault: { kind: 'kill', ...model.faults.kill },
      };
    default:
      throw new UnknownScenarioError(name, SCENARIO_NAMES);
  }
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}
