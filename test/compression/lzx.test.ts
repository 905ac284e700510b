// LZX (WIM variant) on hand-assembled blocks and the E8 translation; real wimlib-made chunks
// (verbatim and aligned blocks, 32 KiB to 1 MiB windows) are covered by test/wim/reader.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecompressionError } from '../../src/errors.js';
import { decompressLzx, lzxWindowOrder, undoE8Translation } from '../../src/compression/lzx.js';
import { BitWriter } from './bit-writer.js';

function uncompressedBlock(raw: Uint8Array, windowSizeBytes = 32768): Uint8Array {
  const w = new BitWriter().bits(3, 3).bits(0, 1).bits(raw.length >> (windowSizeBytes >= 65536 ? 8 : 0), 16);
  if (windowSizeBytes >= 65536) w.bits(raw.length & 0xff, 8);
  // 20 or 28 header bits: finish() pads to the next 16-bit boundary, as the decoder skips.
  const r = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
  return Uint8Array.from([...w.finish(), ...r, ...raw, ...(raw.length & 1 ? [0] : [])]);
}

test('uncompressed block: header, alignment, R0–R2, raw bytes (LZX DELTA "Uncompressed block")', () => {
  const raw = Buffer.from('hello, uncompressed LZX block!');
  assert.deepEqual(Buffer.from(decompressLzx(uncompressedBlock(raw), raw.length)), raw);
  // 64 KiB windows carry 8 more block-size bits: 3+1+16+8 = 28 bits, padded to 32.
  assert.deepEqual(Buffer.from(decompressLzx(uncompressedBlock(raw, 65536), raw.length, 65536)), raw);
  // The 1-bit default block size (32,768 bytes): 4 header bits padded to 16.
  const big = Buffer.alloc(32768, 7);
  const head = new BitWriter().bits(3, 3).bits(1, 1).finish(); // 4 bits -> padded to 16
  const input = Uint8Array.from([...head, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, ...big]);
  assert.ok(Buffer.from(decompressLzx(input, 32768)).equals(big));
});

test('invalid block type, zero or oversized blocks, truncation: DecompressionError with codec and chunk', () => {
  const bad = (input: number[], n: number) =>
    assert.throws(
      () => decompressLzx(Uint8Array.from(input), n, 32768, 9),
      (e: unknown) => e instanceof DecompressionError && e.codec === 'LZX' && e.chunkIndex === 9,
    );
  bad(new BitWriter().bits(0, 3).bits(1, 1).finish(), 100); // block type 0
  bad(new BitWriter().bits(1, 3).bits(0, 1).bits(0, 16).finish(), 100); // size 0
  bad(new BitWriter().bits(1, 3).bits(0, 1).bits(200, 16).finish(), 100); // larger than the chunk
  const raw = uncompressedBlock(Buffer.from('0123456789abcdef'));
  for (let cut = 0; cut < raw.length; cut += 3) bad([...raw.subarray(0, cut)], 16);
  bad([...new BitWriter().bits(1, 3).bits(1, 1).finish()], 32768); // verbatim block, no trees
});

test('E8 translation is undone with size 12,000,000, skipping the last 10 bytes', () => {
  const data = new Uint8Array(32);
  // At position 4: absolute 4 + 0x100 -> relative 0x100.
  data.set([0xe8, 0x04, 0x01, 0, 0], 4);
  // At position 12: negative absolute -5 (>= -12) -> relative -5 + 12,000,000.
  data.set([0xe8, 0xfb, 0xff, 0xff, 0xff], 12);
  // At position 25 (>= 32 - 10): left alone.
  data.set([0xe8, 9, 9, 9, 9], 25);
  undoE8Translation(data, 32);
  const view = new DataView(data.buffer);
  assert.equal(view.getInt32(5, true), 0x100);
  assert.equal(view.getInt32(13, true), -5 + 12_000_000);
  assert.deepEqual([...data.subarray(25, 30)], [0xe8, 9, 9, 9, 9]);
  // Values outside [-i, 12,000,000) are not translated.
  const keep = new Uint8Array(20);
  keep.set([0xe8, 0x00, 0x1b, 0xb7, 0x00], 0); // 12,000,000 exactly
  undoE8Translation(keep, 20);
  assert.deepEqual([...keep.subarray(0, 5)], [0xe8, 0x00, 0x1b, 0xb7, 0x00]);
});

test('window orders follow the WIM chunk size (32 KiB to 2 MiB)', () => {
  assert.equal(lzxWindowOrder(32768), 15);
  assert.equal(lzxWindowOrder(65536), 16);
  assert.equal(lzxWindowOrder(1 << 21), 21);
  assert.equal(lzxWindowOrder(1 << 22), undefined);
});
