// XPRESS (MS-XCA LZ77+Huffman) on hand-assembled chunks; real wimlib-made chunks are covered by
// test/wim/reader.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecompressionError } from '../../src/errors.js';
import { decompressXpress } from '../../src/compression/xpress.js';
import { BitWriter, xpressZeros } from './bit-writer.js';

test('literal + overlapping match with 16-bit extended length (MS-XCA LZ77+Huffman match lengths)', () => {
  const out = decompressXpress(xpressZeros(32768), 32768);
  assert.equal(out.length, 32768);
  assert.ok(out.every((b) => b === 0));
});

test('literals with 8-bit codes and a short match with offset bits', () => {
  // All 256 literals length 9, symbol 256+ (2 offset bits << 4) + 0 (length 3, offset 4..7) length 1? Keep it complete:
  // 256 literals at length 9 use half the code space; match symbol 288 (= 256 + 2<<4) takes length 1.
  const table = new Uint8Array(256);
  for (let s = 0; s < 256; s += 2) table[s >> 1] = 0x99;
  table[288 >> 1] = 0x01;
  // Canonical: symbol 288 -> '0'; literals -> '1' + 8 bits of the literal value.
  const w = new BitWriter();
  for (const c of 'ABCD') w.bits(0x100 | c.charCodeAt(0), 9);
  w.bits(0, 1).bits(0, 2); // match: length 3, offset 4 + 0 = 4
  const input = Uint8Array.from([...table, ...w.finish(), 0, 0]);
  assert.equal(Buffer.from(decompressXpress(input, 7)).toString(), 'ABCDABC');
});

test('truncated input and bad offsets throw DecompressionError, never decode zeros', () => {
  const good = xpressZeros(100);
  for (const cut of [0, 10, 255, 256, 258, 260, 261, 262]) {
    assert.throws(
      () => decompressXpress(good.subarray(0, cut), 100, 3),
      (e: unknown) => e instanceof DecompressionError && e.codec === 'XPRESS' && e.chunkIndex === 3 && e.id === 'WimInvalid',
      `cut at ${cut}`,
    );
  }
  // A match before any output: offset 1 at position 0.
  const table = new Uint8Array(256);
  table[271 >> 1] = 0x10;
  table[0] = 0x01;
  const bad = Uint8Array.from([...table, ...new BitWriter().bits(1, 1).finish(), 0, 0, 10]);
  assert.throws(() => decompressXpress(bad, 50), /before the start/);
  // Over-subscribed table: three codes of length 1.
  const over = new Uint8Array(260);
  over[0] = 0x11;
  over[1] = 0x01;
  assert.throws(() => decompressXpress(over, 10), /invalid Huffman/);
});
