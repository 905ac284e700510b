// Corrupt and hostile WIMs: truncation, flipped bytes in the header, blob table and chunks, and
// a seeded fuzz loop. Every outcome must be a clean read or a typed CaptureMediaError (never a
// TypeError/RangeError, a crash or a hang), within a bounded time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureMediaError } from '../../src/errors.js';
import { BLOB_ENTRY_SIZE, parseBlobEntry } from '../../src/wim/blob-table.js';
import { parseWimHeader } from '../../src/wim/header.js';
import { fuzzWimBytes, openWim } from '../../src/wim/index.js';
import { wimFixtures } from './fixtures.js';
import { xorshift32 } from '../helpers/xorshift.js';

const dir = wimFixtures();
const SMALL = ['small-lzx.wim', 'small-xpress.wim', 'small-none.wim'];
const load = (name: string): Buffer => readFileSync(join(dir, name));

test('the small fixtures read cleanly (the baseline for the mutations below)', async () => {
  for (const name of SMALL) {
    const r = await fuzzWimBytes(load(name));
    assert.equal(r.outcome, 'ok', name);
    assert.equal(r.files, 3);
  }
});

test('truncated WIMs are refused with typed errors', async () => {
  for (const name of SMALL) {
    const bytes = load(name);
    const cuts = new Set([0, 7, 8, 100, 207, 208, 209, bytes.length >> 1, bytes.length - 1]);
    for (let cut = 0; cut < bytes.length; cut += 251) cuts.add(cut);
    for (const cut of cuts) {
      const r = await fuzzWimBytes(bytes.subarray(0, cut));
      assert.notEqual(r.outcome, 'ok', `${name} cut at ${cut}`);
    }
  }
  // The same through a real file handle.
  const tmp = mkdtempSync(join(tmpdir(), 'wim-corrupt-'));
  try {
    const bytes = load('lzx.wim');
    writeFileSync(join(tmp, 't.wim'), bytes.subarray(0, bytes.length >> 1));
    await assert.rejects(
      async () => {
        const wim = await openWim(join(tmp, 't.wim'));
        await wim.close();
      },
      (e: unknown) => e instanceof CaptureMediaError && e.id === 'WimInvalid',
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('every header byte flipped: a clean read or a typed error', async () => {
  for (const name of SMALL) {
    const bytes = load(name);
    for (let at = 0; at < 0x94; at++) {
      const b = Buffer.from(bytes);
      b[at]! ^= 0xff;
      await fuzzWimBytes(b); // rethrows anything that is not a CaptureMediaError
    }
  }
});

test('flipped bytes in the blob table and in compressed chunks are caught (WimInvalid / ContentHashMismatch)', async () => {
  for (const name of ['small-lzx.wim', 'small-xpress.wim']) {
    const bytes = load(name);
    const header = parseWimHeader(bytes);
    const table = header.blobTable;
    for (let at = table.offset; at < table.offset + table.sizeInWimBytes; at++) {
      const b = Buffer.from(bytes);
      b[at]! ^= 0x55;
      await fuzzWimBytes(b);
    }
    // Flip bytes inside every data and metadata resource; SHA-1 checks catch what decoding does not.
    let caught = 0;
    let tried = 0;
    for (let at = table.offset; at < table.offset + table.sizeInWimBytes; at += BLOB_ENTRY_SIZE) {
      const { resource } = parseBlobEntry(bytes, at);
      for (let p = resource.offset; p < resource.offset + resource.sizeInWimBytes; p += 13) {
        const b = Buffer.from(bytes);
        b[p]! ^= 0x24;
        const r = await fuzzWimBytes(b);
        tried++;
        if (r.outcome === 'WimInvalid' || r.outcome === 'ContentHashMismatch') caught++;
        else assert.equal(r.outcome, 'ok');
      }
    }
    // Only flips in padding bits at the very end of a chunk can leave the output unchanged.
    assert.ok(caught / tried > 0.95, `${name}: ${caught} of ${tried} flips caught`);
  }
});

test('fuzz: 2,400 seeded mutations of small WIMs, each a clean read or a typed error, bounded time', async () => {
  const next = xorshift32(0x9e3779b9);
  const rand = (n: number): number => next() % n;
  const inputs = SMALL.map(load);
  const outcomes = new Map<string, number>();
  const started = performance.now();
  let slowest = 0;
  for (let i = 0; i < 2400; i++) {
    const base = inputs[i % inputs.length]!;
    let b = Buffer.from(base);
    const kind = rand(10);
    if (kind === 0) {
      b = b.subarray(0, rand(b.length));
    } else {
      const n = 1 + rand(4);
      for (let k = 0; k < n; k++) {
        // Half the mutations hit the header and the tables at the end, where structure lives.
        const at = rand(2) === 0 ? (rand(2) === 0 ? rand(208) : b.length - 1 - rand(Math.min(b.length, 1200))) : rand(b.length);
        if (kind < 4) b[at]! ^= 1 << rand(8);
        else if (kind < 7) b[at] = rand(256);
        else b[at] = [0, 0xff, 0x7f, 0x80][rand(4)]!;
      }
    }
    const t0 = performance.now();
    const r = await fuzzWimBytes(b);
    slowest = Math.max(slowest, performance.now() - t0);
    outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
  }
  const total = performance.now() - started;
  assert.ok(total < 20_000, `fuzz took ${total.toFixed(0)} ms`);
  assert.ok(slowest < 2_000, `slowest input took ${slowest.toFixed(0)} ms`);
  assert.ok((outcomes.get('WimInvalid') ?? 0) > 0);
  for (const id of outcomes.keys()) assert.ok(['ok', 'WimInvalid', 'ContentHashMismatch', 'WimUnsupportedCompression'].includes(id), id);
});
