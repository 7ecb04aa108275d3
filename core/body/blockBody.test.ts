import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BlockTooLargeError,
  DuplicateTxHashError,
  InvalidBlockBodyError,
  InvalidPublicCallCountError,
} from '../errors/index.js';
import { parseBlockBody, type BlockBody } from './blockBody.js';
import { blockBodyHash, decodeBlockBody, encodeBlockBody } from './encodeBlockBody.js';

const limits = { maxTxs: 8, maxPublicCallsPerTx: 64 };
const hash = (i: number) => `0x${i.toString(16).padStart(64, '0')}`;

describe('parseBlockBody', () => {
  it('accepts a well-formed body', () => {
    const body = { txs: [{ hash: hash(1), publicCalls: 0 }, { hash: hash(2), publicCalls: 64 }] };
    expect(parseBlockBody(body, limits)).toEqual(body);
  });

  it('refuses a body over the maximum, naming the size', () => {
    const body = { txs: Array.from({ length: 9 }, (_, i) => ({ hash: hash(i), publicCalls: 0 })) };
    expect(() => parseBlockBody(body, limits)).toThrow(BlockTooLargeError);
    expect(() => parseBlockBody(body, limits)).toThrow('block has 9 txs, more than the maximum of 8');
  });

  it('refuses a repeated tx hash, naming both positions', () => {
    const body = { txs: [{ hash: hash(1), publicCalls: 0 }, { hash: hash(2), publicCalls: 0 }, { hash: hash(1), publicCalls: 1 }] };
    const error = captured(() => parseBlockBody(body, limits));
    expect(error).toBeInstanceOf(DuplicateTxHashError);
    expect(error).toMatchObject({ hash: hash(1), firstIndex: 0, secondIndex: 2 });
  });

  it.each([-1, 1.5, '2', 65, null])('refuses public-call count %j, carrying the value', (count) => {
    const error = captured(() => parseBlockBody({ txs: [{ hash: hash(1), publicCalls: count }] }, limits));
    expect(error).toBeInstanceOf(InvalidPublicCallCountError);
    expect(error).toMatchObject({ txIndex: 0, publicCalls: count });
  });

  it.each([
    [{}, 'txs'],
    [{ txs: [] }, 'txs'],
    [{ txs: [{ hash: '0x12', publicCalls: 0 }] }, 'txs.0.hash'],
    [{ txs: [{ hash: hash(1).toUpperCase(), publicCalls: 0 }] }, 'txs.0.hash'],
    ['not a body', ''],
  ])('refuses malformed body %j at %s', (input, path) => {
    const error = captured(() => parseBlockBody(input, limits));
    expect(error).toBeInstanceOf(InvalidBlockBodyError);
    expect(error).toMatchObject({ path });
  });
});

describe('block body encoding', () => {
  const bodyArbitrary = fc
    .uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 })
    .chain((ids) =>
      fc.tuple(...ids.map((id) => fc.integer({ min: 0, max: 64 }).map((publicCalls) => ({ hash: hash(id), publicCalls })))),
    )
    .map((txs): BlockBody => ({ txs: txs as BlockBody['txs'] }));

  it('round-trips every valid body through its calldata', () => {
    fc.assert(
      fc.property(bodyArbitrary, (body) => {
        expect(decodeBlockBody(encodeBlockBody(body), limits)).toEqual(body);
      }),
    );
  });

  it('hashes differently when one call count changes', () => {
    const body: BlockBody = { txs: [{ hash: hash(1) as `0x${string}`, publicCalls: 1 }] };
    const changed: BlockBody = { txs: [{ hash: hash(1) as `0x${string}`, publicCalls: 2 }] };
    expect(blockBodyHash(body)).not.toBe(blockBodyHash(changed));
  });

  it('refuses calldata of the wrong length or that is not hex', () => {
    expect(() => decodeBlockBody('0x1234', limits)).toThrow(InvalidBlockBodyError);
    expect(() => decodeBlockBody('0xzz', limits)).toThrow(InvalidBlockBodyError);
    expect(() => decodeBlockBody('0x', limits)).toThrow(InvalidBlockBodyError);
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
