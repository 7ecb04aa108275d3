import { describe, expect, it } from 'vitest';
import type { ProvingRun } from '../core/ports/provingRun.js';
import { sampleRun } from '../test/support/sampleRun.js';
import { createFrameWriter, describeRunChange, renderFrame, stateLabel, wrapWords, type DevnetSnapshot } from './liveView.js';
import type { RunProgress } from './progressTracker.js';

const TX: `0x${string}` = `0x1708${'3b'.repeat(29)}0fa`;
const progress = (heavy: number, light: number): RunProgress => ({ done: { heavy, light }, byKind: {}, recent: [], total: heavy + light });

function snapshot(runs: { run: ProvingRun; progress: RunProgress }[]): DevnetSnapshot {
  const agents = { heavy: { running: 4, busy: 3, max: 4 }, light: { running: 8, busy: 8, max: 8 } };
  return {
    header: [
      'prover-burst devnet · SIMULATED prover · rfp-2023 · 64 txs/block · time ×0.01 · RESUMED',
      'L1 http://127.0.0.1:8545 · rollup 0x9737C8F7353a1F5B4D63CEB3bc9445165b128414',
      'quotes: ours http://127.0.0.1:40123/quote · rival http://127.0.0.1:40125/quote',
      'data: .data/devnet · log: .data/devnet/devnet.log',
    ],
    firms: [
      { name: 'our firm', proverId: '0xD96a5e02EF30b531A65bA0dc009a414CA2B9397e', paused: false, agents },
      { name: 'rival', proverId: '0x2546BcD3c84621e976D8185a91A922aE77ECEc30', paused: true, agents },
    ],
    runs: runs.map((entry) => ({ ...entry, rate: 10 })),
    timeScale: 0.01,
    now: 1_700_000_010_000,
    footer: 'proven on L1: ours 2/5 · rival 1 · abandoned 1 · Ctrl-C stops all',
  };
}

const EVERY_STATE = snapshot([
  { run: sampleRun({ blockNumber: 6n, jobCount: 281, state: 'proving', provingStartedAt: 1_700_000_005_000 }), progress: progress(40, 100) },
  { run: sampleRun({ blockNumber: 5n, jobCount: 281, state: 'submitting', rootDigest: 'sha256:00' }), progress: progress(80, 201) },
  { run: sampleRun({ blockNumber: 4n, jobCount: 233, state: 'settled', l1TxHash: TX, rootProvenAt: 1_700_000_010_028 }), progress: progress(0, 0) },
  { run: sampleRun({ blockNumber: 3n, jobCount: 233, state: 'abandoned', stateReason: 'the proving deadline passed before the root proof was ready' }), progress: progress(0, 3) },
  { run: sampleRun({ blockNumber: 2n, jobCount: 19, state: 'planned' }), progress: progress(0, 0) },
]);

describe('the live view', () => {
  it.each([80, 100, 160])('fits %i columns and keeps every column of the table', (width) => {
    const lines = renderFrame(EVERY_STATE, width);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
    const table = lines.slice(lines.findIndex((line) => line.startsWith('block')));
    expect(table[0]).toMatch(/^block\s+jobs\s+state\s+progress\s+heavy\s+light\s+result$/);
    expect(table[3]).toContain('10.0 s, tx 0x1708…0fa');
  });

  it('says what the tier columns count', () => {
    expect(renderFrame(EVERY_STATE, 80)).toContain('heavy/light: proofs done on each agent tier (heavy: 32 vCPU, light: 8 vCPU)');
  });

  it('shows a block whose root is proven as complete, even when another process proved it (resumed), with no tier counts', () => {
    const line = renderFrame(EVERY_STATE, 100).find((l) => l.trimStart().startsWith('4 '))!;
    expect(line).toMatch(/\[█+\] 100%\s+–\s+–\s/);
    const submitting = renderFrame(EVERY_STATE, 100).find((l) => l.trimStart().startsWith('5 '))!;
    expect(submitting).toMatch(/\[█+\] 100%\s+80\s+201\s/);
  });

  it('uses the line mode\'s words for states', () => {
    expect(stateLabel('settled')).toBe('proven on L1');
    const frame = renderFrame(EVERY_STATE, 100).join('\n');
    expect(frame).toMatch(/ 4 +233 proven on L1 /);
    const settled = EVERY_STATE.runs[2]!.run;
    expect(describeRunChange(settled, 0.01)).toBe(
      `block 4: proven on L1 under ${settled.proverId} (tx 0x1708…0fa), 10.0 s from plan to root`,
    );
  });

  it('wraps a long notice at spaces to the terminal width', () => {
    const note = 'prover backend: SIMULATED — proofs are digests of their inputs; the root proof is an ECDSA attestation';
    const lines = wrapWords(note, 40);
    expect(lines.join(' ')).toBe(note);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
  });

  it('redraws over the last frame, and after a resize clears the screen first so no wrapped fragment stays', () => {
    const written: string[] = [];
    const frames = createFrameWriter((text) => written.push(text));
    frames.draw(['a', 'b', 'c']);
    frames.draw(['a', 'b']);
    frames.resized();
    frames.draw(['a']);
    frames.draw(['a']);
    expect(written).toEqual([
      'a\u001b[K\nb\u001b[K\nc\u001b[K\n\u001b[J',
      '\u001b[3Fa\u001b[K\nb\u001b[K\n\u001b[J',
      '\u001b[H\u001b[2Ja\u001b[K\n\u001b[J',
      '\u001b[1Fa\u001b[K\n\u001b[J',
    ]);
  });
});
