// ReadAhead: which sources a one-pass writer hints (ContentSource.prefetch) before it streams
// them, within the byte budget that bounds what read-ahead may hold.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContentSource } from '../../src/io/content.js';
import { ReadAhead } from '../../src/io/read-ahead.js';

function sources(sizes: readonly (number | null)[], hinted: number[]): ContentSource[] {
  // null: a source without prefetch (a generated file, a blob streamed from disk as it is).
  return sizes.map((sizeBytes, index) => ({
    sizeBytes: sizeBytes ?? 1,
    async *stream() {},
    ...(sizeBytes === null ? {} : { prefetch: () => hinted.push(index) }),
  }));
}

test('hints the sources after the current one, in order, while their sizes fit the budget', () => {
  const hinted: number[] = [];
  const ahead = new ReadAhead(sources([50, 40, 30, 20, 11, 5], hinted), 100);
  ahead.at(0);
  assert.deepEqual(hinted, [1, 2, 3]); // 40 + 30 + 20 = 90; +11 would pass 100
  ahead.at(1);
  assert.deepEqual(hinted, [1, 2, 3, 4, 5], 'reaching 1 frees its 40 bytes');
  ahead.at(5);
  assert.deepEqual(hinted, [1, 2, 3, 4, 5], 'each source is hinted once, never the current or an earlier one');
});

test('sources without prefetch cost nothing and are passed over; one larger than the budget waits for its turn', () => {
  const hinted: number[] = [];
  const ahead = new ReadAhead(sources([null, 10, null, 500, 10], hinted), 100);
  ahead.at(0);
  assert.deepEqual(hinted, [1], 'the 500-byte source stops the hints before it');
  ahead.at(3);
  assert.deepEqual(hinted, [1, 4], 'once it is being streamed, the ones after it are hinted');
});

test('a writer that skips indexes (empty files) still frees their budget', () => {
  const hinted: number[] = [];
  const ahead = new ReadAhead(sources([0, 60, 30, 60, 10], hinted), 100);
  ahead.at(0);
  assert.deepEqual(hinted, [1, 2]);
  ahead.at(3); // 1 and 2 were never passed to at(): reaching 3 frees them too
  assert.deepEqual(hinted, [1, 2, 4]);
});
