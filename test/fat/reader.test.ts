// readFat32 on hostile volumes. Each sample is a valid 48 MiB image from emitFat32Disk with one
// structure damaged; every one must end in MediaInvalid quickly, never a hang:
//
//   fat-loop          the last cluster of a file's chain links back to its first cluster
//   fat-out-of-range  a chain links to a cluster number past the end of the volume
//   fat-free-link     a chain links to a free (0) entry in the middle of a file
//   fat-short-chain   a multi-cluster file's chain ends (EOC) after its first cluster
//   dir-to-root       a subdirectory's entry points at the root's cluster (a directory cycle)
//   dir-self          a directory's child entry points back at the directory itself
//   boot-geometry     BPB_SecPerClus = 3
//   truncated         the image ends before the volume does
//   garbage-sector0   sector 0 is neither an MBR nor a FAT32 boot sector
//   too-deep          directories nest deeper than maxDepth

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, openSync, rmSync, truncateSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureMediaError } from '../../src/errors.js';
import { readFat32Disk, writeFat32Disk, type Fat32Layout } from '../../src/partition/fat32-disk.js';
import { readFat32 } from '../../src/fat/reader.js';
import { bufferSource } from '../../src/io/content.js';
import { FileSink } from '../../src/io/sink.js';
import { FIXED_OPTIONS, MIB, patternBytes, sha256, WORK } from './fat-fixture.js';

const DIR = join(WORK, 'reader');
const GOOD = join(DIR, 'good.img');
let layout: Fat32Layout;

function patch(name: string, edits: [offset: number, bytes: Uint8Array][]): string {
  const path = join(DIR, `${name}.img`);
  copyFileSync(GOOD, path);
  const fd = openSync(path, 'r+');
  for (const [offset, bytes] of edits) writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
  return path;
}

const u32 = (v: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
};
const fatOffset = (cluster: number): number => layout.partitionOffsetBytes + layout.geometry.reservedSectorCount * 512 + cluster * 4;
const file = (path: string) => layout.files.find((f) => f.path.join('/') === path)!;
const dir = (path: string) => layout.directories.find((d) => d.path.join('/') === path)!;
/** Byte offset of the short entry for `name` inside the planned directory `path`. */
function entryOffset(path: string, shortName: string): number {
  const d = dir(path);
  const want = new TextEncoder().encode(shortName.padEnd(11));
  for (let at = 0; at < d.entries.length; at += 32) {
    if (want.every((b, i) => d.entries[at + i] === b)) {
      const g = layout.geometry;
      return layout.partitionOffsetBytes + (g.dataStartSector + (d.firstClusterIndex - 2) * g.sectorsPerCluster) * 512 + at;
    }
  }
  throw new Error(`no entry ${shortName} in /${path}`);
}

async function expectInvalid(path: string, pattern: RegExp, options: { maxDepth?: number } = {}): Promise<void> {
  await assert.rejects(
    (async () => {
      const volume = await readFat32Disk(path, options);
      try {
        for (const f of volume.files) for await (const _ of volume.openFile(f));
      } finally {
        await volume.close();
      }
    })(),
    (e: unknown) => e instanceof CaptureMediaError && e.id === 'MediaInvalid' && pattern.test(e.message),
  );
}

before(async () => {
  mkdirSync(DIR, { recursive: true });
  rmSync(GOOD, { force: true });
  const content = (n: number, seed: number) => bufferSource(patternBytes(n, seed));
  const sink = await FileSink.create(GOOD);
  layout = await writeFat32Disk(
    {
      files: [
        { path: ['big.bin'], content: content(5000, 1) },
        { path: ['sub', 'inner.txt'], content: content(10, 2) },
        { path: ['sub', 'child', 'leaf.txt'], content: content(3, 3) },
        { path: ['a', 'b', 'c', 'd.txt'], content: content(1, 4) },
      ],
    },
    { ...FIXED_OPTIONS, diskSizeBytes: 48 * MIB },
    sink,
  );
  await sink.close(false);
});

describe('readFat32', () => {
  it('reads the good sample: names, sizes, bytes, timestamps', async () => {
    const volume = await readFat32Disk(GOOD);
    assert.deepEqual(volume.files.map((f) => [f.path.join('/'), f.sizeBytes]).sort(), [
      ['a/b/c/d.txt', 1],
      ['big.bin', 5000],
      ['sub/child/leaf.txt', 3],
      ['sub/inner.txt', 10],
    ]);
    const big = volume.files.find((f) => f.path.join('/') === 'big.bin')!;
    const chunks: Uint8Array[] = [];
    for await (const c of volume.openFile(big)) chunks.push(c);
    assert.equal(sha256(Buffer.concat(chunks)), sha256(patternBytes(5000, 1)));
    assert.equal(big.modified.toISOString(), '2024-05-06T07:08:08.000Z');
    await volume.close();
  });

  it('also opens an explicit offset and an open file handle', async () => {
    const { open } = await import('node:fs/promises');
    const handle = await open(GOOD, 'r');
    const volume = await readFat32(handle, MIB);
    assert.equal(volume.files.length, 4);
    await volume.close();
    await handle.close();
  });

  describe('hostile samples end in MediaInvalid', { timeout: 10_000 }, () => {
    it('fat-loop', async () => {
      const f = file('big.bin');
      await expectInvalid(patch('fat-loop', [[fatOffset(f.firstClusterIndex + f.clusterCount - 1), u32(f.firstClusterIndex)]]), /reached twice|longer than/);
    });
    it('fat-out-of-range', async () => {
      await expectInvalid(patch('fat-out-of-range', [[fatOffset(file('big.bin').firstClusterIndex), u32(0x0ffffff0)]]), /outside the volume/);
    });
    it('fat-free-link', async () => {
      await expectInvalid(patch('fat-free-link', [[fatOffset(file('big.bin').firstClusterIndex), u32(0)]]), /links to 0x0/);
    });
    it('fat-short-chain', async () => {
      await expectInvalid(patch('fat-short-chain', [[fatOffset(file('big.bin').firstClusterIndex), u32(0x0fffffff)]]), /clusters for 5000 bytes/);
    });
    it('dir-to-root', async () => {
      const at = entryOffset('', 'SUB');
      await expectInvalid(patch('dir-to-root', [[at + 0x1a, new Uint8Array([2, 0])], [at + 0x14, new Uint8Array([0, 0])]]), /reached twice/);
    });
    it('dir-self', async () => {
      const at = entryOffset('sub', 'CHILD');
      const own = dir('sub').firstClusterIndex;
      await expectInvalid(patch('dir-self', [[at + 0x1a, new Uint8Array([own & 0xff, own >> 8])]]), /reached twice/);
    });
    it('boot-geometry', async () => {
      await expectInvalid(patch('boot-geometry', [[MIB + 0x0d, new Uint8Array([3])]]), /sectors per cluster/);
    });
    it('truncated', async () => {
      const path = patch('truncated', []);
      truncateSync(path, 40 * MIB);
      await expectInvalid(path, /past the end/);
    });
    it('garbage-sector0', async () => {
      await expectInvalid(patch('garbage-sector0', [[0, patternBytes(512, 9)]]), /0x55AA|signature/);
    });
    it('too-deep', async () => {
      await expectInvalid(GOOD, /deeper than 2/, { maxDepth: 2 });
    });
  });
});
