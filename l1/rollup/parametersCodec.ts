import type { ContractFunctionReturnType } from 'viem';
import type { rollupAbi } from '../../contracts/artifacts/rollup.js';
import type { ProtocolParameters } from '../../core/protocol/types.js';

/** The Parameters struct as viem reads and writes it (uint64 as bigint, uint32 and uint16 as number). */
export type ContractParameters = ContractFunctionReturnType<typeof rollupAbi, 'view', 'parameters'>;

export function toContractParameters(parameters: ProtocolParameters): ContractParameters {
  return { ...parameters, genesisTime: BigInt(parameters.genesisTime) };
}

export function fromContractParameters(parameters: ContractParameters): ProtocolParameters {
  return { ...parameters, genesisTime: Number(parameters.genesisTime) };
}
