import { hexToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import { encodeBlockBody, encodeBlockBodyBytes } from './encodeBlockBody.js';
import { findMalformation, MAX_PUBLIC_CALLS_PER_TX } from './findMalformation.js';
import { syntheticBlockBody } from './syntheticBlockBody.js';

const txs = syntheticBlockBody({ txs: 4, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'malformed' }).txs;

describe('findMalformation', () => {
  it('finds nothing in a well-formed body, nor in one L1 refuses at reveal', () => {
    expect(findMalformation(encodeBlockBodyBytes({ txs }))).toBeNull();
    expect(findMalformation(hexToBytes(`${encodeBlockBody({ txs })}ff`))).toBeNull();
  });

  it('names the two indices of a repeated tx hash', () => {
    expect(findMalformation(encodeBlockBodyBytes({ txs: [txs[0]!, txs[1]!, txs[2]!, txs[1]!] }))).toMatchObject({ txIndex: 1, otherTxIndex: 3 });
  });

  it('names a tx making more public calls than the protocol allows, whatever a profile allows', () => {
    const busy = { ...txs[2]!, publicCalls: MAX_PUBLIC_CALLS_PER_TX + 1 };
    expect(findMalformation(encodeBlockBodyBytes({ txs: [txs[0]!, txs[1]!, busy] }))).toMatchObject({ txIndex: 2, otherTxIndex: 2 });
    for (const name of ['rfp-2023', 'aztec-v5']) expect(getCircuitProfile(name).maxPublicCallsPerTx).toBeLessThanOrEqual(MAX_PUBLIC_CALLS_PER_TX);
  });
});
