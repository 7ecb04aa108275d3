import { hexToBytes, pad, type Hex } from 'viem';
import type { RootPublicInputs } from '../../../core/protocol/types.js';
import type { NoirTreeCircuits } from './noirTreeCircuits.js';
import { toFields, type ChildProof } from './proofArtifact.js';
import { NoirTreeInputError } from '../errors/proverErrors.js';

type Inputs = Readonly<Record<string, unknown>>;

/** The tx circuit's inputs: its place, hash and public-call count, and the body's sponge before it. */
export function txWitnessInputs(inputs: Inputs): Record<string, unknown> {
  const { txIndex, txHash, publicCalls, spongeBefore } = inputs;
  if (typeof txIndex !== 'number' || typeof txHash !== 'string' || typeof publicCalls !== 'number' || !Array.isArray(spongeBefore)) {
    throw new NoirTreeInputError('a tx job needs txIndex, txHash, publicCalls and spongeBefore', { inputs });
  }
  return { tx_index: txIndex, tx_hash: Array.from(hexToBytes(txHash as Hex)), public_calls: publicCalls, sponge_before: spongeBefore };
}

/** The two children of a merge or the root, each with the key it must verify under. */
export function childWitnessInputs(circuits: NoirTreeCircuits, inputs: Inputs, children: readonly ChildProof[]): Record<string, unknown> {
  const kinds = childKindsOf(inputs, children.length);
  const side = (prefix: 'left' | 'right', child: ChildProof, kind: 'tx' | 'merge') => {
    const circuit = circuits[kind];
    return {
      [`${prefix}_vk`]: toFields(circuit.vk),
      [`${prefix}_proof`]: toFields(child.proof),
      [`${prefix}_output`]: toFields(child.publicInputs),
      [`${prefix}_key_hash`]: circuit.vkHash,
      [`${prefix}_is_merge`]: kind === 'merge',
    };
  };
  return { ...side('left', children[0]!, kinds[0]!), ...side('right', children[1]!, kinds[1]!) };
}

/** Each child's circuit, from the plan (`childKinds`). */
export function childKindsOf(inputs: Inputs, count: number): readonly ('tx' | 'merge')[] {
  const kinds = inputs.childKinds;
  if (!Array.isArray(kinds) || kinds.length !== 2 || count !== 2 || !kinds.every((kind) => kind === 'tx' || kind === 'merge')) {
    throw new NoirTreeInputError(`a merge or root needs two tx or merge children, got ${JSON.stringify(kinds)} and ${count} proofs`, { kinds, count });
  }
  return kinds as ('tx' | 'merge')[];
}

/** The root's public inputs as its circuit orders them: block number, prover id, then each bytes32 as (high, low) 128-bit halves. */
export function rootPublicInputFields(root: RootPublicInputs): Hex[] {
  const halves = (value: Hex): Hex[] => [`0x${value.slice(2, 34)}`, `0x${value.slice(34, 66)}`];
  return [`0x${root.blockNumber.toString(16)}` as const, root.proverId, ...halves(root.bodyHash), ...halves(root.parentStateRoot), ...halves(root.newStateRoot)].map(
    (value) => pad(value),
  );
}

/** The root circuit's inputs besides its children. */
export function rootWitnessInputs(root: RootPublicInputs, inputs: Inputs): Record<string, unknown> {
  if (!Array.isArray(inputs.finalSponge)) throw new NoirTreeInputError('the root job needs finalSponge', { inputs });
  const [blockNumber, proverId, bodyHigh, bodyLow, parentHigh, parentLow, newHigh, newLow] = rootPublicInputFields(root);
  return {
    block_number: blockNumber,
    prover_id: proverId,
    body_hash_high: bodyHigh,
    body_hash_low: bodyLow,
    parent_state_root_high: parentHigh,
    parent_state_root_low: parentLow,
    new_state_root_high: newHigh,
    new_state_root_low: newLow,
    final_sponge: inputs.finalSponge,
  };
}
