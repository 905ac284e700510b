// Reading WIM files ahead (ContentSource.prefetch, sent by the writers through io/read-ahead.ts):
// a prefetched file must stream exactly the bytes wimlib extracts, fail exactly as an unprefetched
// one does on a corrupt WIM, and a hint never followed up must leave nothing behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureMediaError } from '../../src/errors.js';
import { openWim, type WimImage } from '../../src/wim/index.js';
import { readTree, wimFixtures } from './fixtures.js';
import { xorshift32 } from '../helpers/xorshift.js';

const dir = wimFixtures();

async function drain(image: WimImage, path: string, prefetch: boolean): Promise<string> {
  const entry = image.lookup(path)!;
  const source = image.contentSource(entry);
  if (prefetch) source.prefetch?.();
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of source.stream()) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('base64');
  } catch (error: unknown) {
    if (error instanceof CaptureMediaError) return `error ${error.id}`;
    throw error;
  }
}

for (const name of ['none', 'xpress', 'lzx', 'lzx64k', 'lzx1m']) {
  test(`${name}.wim: every file, prefetched, streams the bytes wimlib-imagex apply wrote`, async () => {
    const wim = await openWim(join(dir, `${name}.wim`));
    try {
      const image = await wim.openImage(1);
      const files = [...image.walk()].filter((e) => !e.isDirectory);
      const reference = readTree(join(dir, `ref-${name}-1`));
      // Hint them all first, as a writer does for the files after the current one.
      const sources = files.map((entry) => image.contentSource(entry));
      for (const source of sources) source.prefetch?.();
      for (const [i, entry] of files.entries()) {
        const chunks: Buffer[] = [];
        for await (const chunk of sources[i]!.stream()) chunks.push(Buffer.from(chunk));
        assert.ok(Buffer.concat(chunks).equals(reference.get(entry.path.replaceAll('\\', '/'))!), entry.path);
      }
    } finally {
      await wim.close();
    }
  });
}

test('a corrupt WIM fails the same way with and without read-ahead', async () => {
  const original = readFileSync(join(dir, 'small-lzx.wim'));
  const tmp = mkdtempSync(join(tmpdir(), 'wim-read-ahead-'));
  try {
    const random = xorshift32(0x5eed);
    let failures = 0;
    for (let round = 0; round < 60; round++) {
      const bytes = Buffer.from(original);
      // Flip bytes past the header, where the file resources and chunk tables are.
      for (let k = 0; k < 4; k++) bytes[208 + (random() % (bytes.length - 208))]! ^= 1 + (random() % 255);
      const path = join(tmp, `mutated-${round}.wim`);
      writeFileSync(path, bytes);
      let wim;
      try {
        wim = await openWim(path);
      } catch (error: unknown) {
        if (error instanceof CaptureMediaError) continue; // the mutation hit the blob table or XML
        throw error;
      }
      try {
        let image: WimImage;
        try {
          image = await wim.openImage(1);
        } catch (error: unknown) {
          if (error instanceof CaptureMediaError) continue;
          throw error;
        }
        for (const entry of image.walk()) {
          if (entry.isDirectory) continue;
          const plain = await drain(image, entry.path, false);
          const ahead = await drain(image, entry.path, true);
          assert.equal(ahead, plain, `round ${round}, ${entry.path}`);
          if (plain.startsWith('error ')) failures++;
        }
      } finally {
        await wim.close();
      }
    }
    assert.ok(failures > 0, 'some mutations reached file data');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a hint never followed up (the WIM already closed) leaves no unhandled rejection behind', async () => {
  const wim = await openWim(join(dir, 'small-lzx.wim'));
  const image = await wim.openImage(1);
  const sources = [...image.walk()].filter((e) => !e.isDirectory).map((e) => image.contentSource(e));
  await wim.close();
  // The reads now fail (closed handle): the failure must be kept for stream(), not thrown at nobody.
  for (const source of sources) source.prefetch?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  // And a stream after all still reports its own error.
  await assert.rejects(async () => {
    for await (const _ of sources[0]!.stream()) void _;
  });
});
