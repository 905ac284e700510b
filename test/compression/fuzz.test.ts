// Decoder fuzzing: random and mutated inputs must decode or throw DecompressionError, never
// another error, never loop. Inputs are seeded (reproducible) and the whole run is time-bounded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecompressionError } from '../../src/errors.js';
import { LzxDecoder } from '../../src/compression/lzx.js';
import { XpressDecoder } from '../../src/compression/xpress.js';
import { xpressZeros } from './bit-writer.js';
import { xorshift32 } from '../helpers/xorshift.js';

function rng(seed: number): (n: number) => number {
  const next = xorshift32(seed);
  return (n) => next() % n;
}

function run(decode: (input: Uint8Array, outLength: number) => void, make: (rand: (n: number) => number) => Uint8Array, outLength: (rand: (n: number) => number) => number, seed: number): Record<string, number> {
  const rand = rng(seed);
  const counts: Record<string, number> = { ok: 0, rejected: 0 };
  const started = performance.now();
  for (let i = 0; i < 3000; i++) {
    const input = make(rand);
    try {
      decode(input, outLength(rand));
      counts.ok!++;
    } catch (error: unknown) {
      if (!(error instanceof DecompressionError)) throw error;
      counts.rejected!++;
    }
  }
  assert.ok(performance.now() - started < 15_000);
  return counts;
}

test('XPRESS: 3,000 random and mutated chunks', () => {
  const decoder = new XpressDecoder();
  const out = new Uint8Array(65536);
  const base = xpressZeros(32768);
  const counts = run(
    (input, n) => decoder.decompress(input, 0, input.length, out, n, 0),
    (rand) => {
      if (rand(2) === 0) return Uint8Array.from({ length: rand(600) }, () => rand(256));
      const b = Uint8Array.from(base);
      for (let k = 0; k <= rand(4); k++) b[rand(b.length)] = rand(256);
      return b.subarray(0, b.length - rand(3));
    },
    (rand) => [32768, 1 + rand(65536), 100][rand(3)]!,
    7,
  );
  assert.ok(counts.rejected! > 0);
});

test('LZX: 3,000 random chunks for 32 KiB and 64 KiB windows', () => {
  for (const window of [32768, 65536]) {
    const decoder = new LzxDecoder(window);
    const out = new Uint8Array(window);
    const counts = run(
      (input, n) => decoder.decompress(input, 0, input.length, out, n, 0),
      (rand) => {
        const b = Uint8Array.from({ length: 1 + rand(2000) }, () => rand(256));
        // Bias toward valid block types so the tree and match paths are reached.
        b[1] = (b[1]! & 0x1f) | ([1, 2, 3][rand(3)]! << 5);
        return b;
      },
      (rand) => 1 + rand(window),
      window,
    );
    assert.ok(counts.rejected! > 0);
  }
});
