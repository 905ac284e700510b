// MBR + FAT32 disk images written by emitFat32Disk, checked with the real tools: fsck.fat
// (dosfstools), mdir/mcopy/mlabel/minfo (mtools), sfdisk (util-linux), and our own reader.
// Three sizes: 64 MiB (512-byte clusters, multi-cluster directories), 1 GiB (4 KiB) and 40 GiB
// (32 KiB, > 32 GiB, written sparse: only metadata and file bytes reach the disk).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFat32Disk, writeFat32Disk, type Fat32Layout } from '../../src/partition/fat32-disk.js';
import type { FileTree } from '../../src/io/file-tree.js';
import { FileSink } from '../../src/io/sink.js';
import {
  expectedEntries,
  extractPartition,
  FIXED_OPTIONS,
  GIB,
  hashTree,
  materialise,
  MIB,
  parseMdir,
  run,
  sha256,
  standardSpec,
  WORK,
} from './fat-fixture.js';

const DIR = join(WORK, 'tools');
const spec = standardSpec();
let tree: FileTree;
let treeHashes: ReturnType<typeof hashTree>;

before(() => {
  mkdirSync(DIR, { recursive: true });
  tree = materialise(spec, join(DIR, 'tree'));
  treeHashes = hashTree(join(DIR, 'tree'));
});

const CASES = [
  { name: '64MiB', diskSizeBytes: 64 * MIB, clusterSizeBytes: 512 },
  { name: '1GiB', diskSizeBytes: GIB, clusterSizeBytes: 4096 },
  { name: '40GiB', diskSizeBytes: 40 * GIB, clusterSizeBytes: 32768 },
] as const;

for (const c of CASES) {
  describe(`FAT32 disk image ${c.name}`, () => {
    const image = join(DIR, `disk-${c.name}.img`);
    const partition = join(DIR, `part-${c.name}.img`);
    let layout: Fat32Layout;

    before(async () => {
      rmSync(image, { force: true });
      const sink = await FileSink.create(image);
      layout = await writeFat32Disk(tree, { ...FIXED_OPTIONS, diskSizeBytes: c.diskSizeBytes }, sink);
      await sink.close(false);
      await extractPartition(image, layout, partition);
    });
    after(() => {
      rmSync(image, { force: true });
      rmSync(partition, { force: true });
    });

    it('has the full size but is written sparse', () => {
      const st = statSync(image);
      assert.equal(st.size, c.diskSizeBytes);
      // Allocated: the MBR gap, reserved sectors, both FATs and the used clusters, nothing more.
      const g = layout.geometry;
      const written = MIB + (g.dataStartSector + layout.usedClusterCount * g.sectorsPerCluster) * 512;
      assert.ok(st.blocks * 512 < written + 4 * MIB, `${st.blocks * 512} bytes allocated, ${written} written`);
    });

    it('uses the cluster size Windows format chooses', () => {
      assert.equal(layout.geometry.clusterSizeBytes, c.clusterSizeBytes);
    });

    it('fsck.fat -n -v reports no errors', () => {
      const result = run('fsck.fat', ['-n', '-v', partition], { allowFail: true });
      assert.equal(result.status, 0, result.stdout + result.stderr);
      const summary = /: (\d+) files, (\d+)\/(\d+) clusters/.exec(result.stdout);
      assert.ok(summary, result.stdout);
      assert.equal(Number(summary[2]), layout.usedClusterCount);
      assert.equal(Number(summary[3]), layout.geometry.clusterCount);
      // Anything fsck would change or complain about is printed between the header and the summary.
      assert.doesNotMatch(result.stdout, /differ|invalid|bad|orphan|free cluster summary wrong|unable|Reclaim|\?/i);
    });

    it('sfdisk shows one active 0x0c partition at sector 2048', () => {
      const table = JSON.parse(run('sfdisk', ['-J', image]).stdout) as {
        partitiontable: { label: string; id: string; partitions: { start: number; size: number; type: string; bootable?: boolean }[] };
      };
      assert.equal(table.partitiontable.label, 'dos');
      assert.equal(table.partitiontable.id, '0xcafe0001');
      assert.equal(table.partitiontable.partitions.length, 1);
      const [p] = table.partitiontable.partitions;
      assert.equal(p!.start, 2048);
      assert.equal(p!.size, layout.geometry.volumeSectorCount);
      assert.equal(p!.type, 'c');
      assert.equal(p!.bootable, true);
    });

    it('mdir lists exactly the tree, long names included', () => {
      const listing = run('mdir', ['-i', `${image}@@1M`, '-/', '-a', '::']).stdout;
      assert.deepEqual([...parseMdir(listing)].sort(), [...expectedEntries(spec)].sort());
    });

    it('mcopy copies out every file byte for byte', () => {
      const out = join(DIR, `mcopy-${c.name}`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out);
      run('mcopy', ['-i', `${image}@@1M`, '-s', '-n', '-m', '::/', out]);
      const copied = hashTree(out);
      assert.deepEqual([...copied.files.entries()].sort(), [...treeHashes.files.entries()].sort());
      assert.deepEqual([...copied.directories].sort(), [...treeHashes.directories].sort());
      rmSync(out, { recursive: true, force: true });
    });

    it('mlabel and minfo show the label', () => {
      assert.match(run('mlabel', ['-i', `${image}@@1M`, '-s', '::']).stdout, /Volume label is CAPTURE MED\s*$/);
      const info = run('minfo', ['-i', `${image}@@1M`, '::']).stdout;
      assert.match(info, /disk label="CAPTURE MED"/);
      assert.match(info, /serial number: 1A2B3C4D/);
      assert.match(info, new RegExp(`free clusters=${layout.geometry.clusterCount - layout.usedClusterCount}\\b`));
    });

    it('our reader agrees with the tree', async () => {
      const volume = await readFat32Disk(image);
      try {
        assert.equal(volume.partitionOffsetBytes, MIB);
        assert.equal(volume.label, 'CAPTURE MED');
        assert.equal(volume.bootSectorLabel, 'CAPTURE MED');
        assert.equal(volume.rootLabel, 'CAPTURE MED');
        assert.equal(volume.clusterSizeBytes, c.clusterSizeBytes);
        const read = new Map<string, string>();
        for (const file of volume.files) {
          const chunks: Uint8Array[] = [];
          for await (const chunk of volume.openFile(file)) chunks.push(chunk);
          const bytes = Buffer.concat(chunks);
          assert.equal(bytes.length, file.sizeBytes);
          read.set(file.path.join('/'), sha256(bytes));
        }
        assert.deepEqual([...read.entries()].sort(), [...treeHashes.files.entries()].sort());
        assert.deepEqual(volume.directories.map((d) => d.path.join('/')).sort(), [...treeHashes.directories].sort());
      } finally {
        await volume.close();
      }
    });
  });
}

describe('FAT32 determinism and bare volumes', () => {
  it('the same options give the same bytes; another volume id does not', async () => {
    const hashes: string[] = [];
    for (const [i, volumeId] of [FIXED_OPTIONS.volumeId, FIXED_OPTIONS.volumeId, 7].entries()) {
      const image = join(DIR, `determinism-${i}.img`);
      rmSync(image, { force: true });
      const sink = await FileSink.create(image);
      await writeFat32Disk(tree, { ...FIXED_OPTIONS, volumeId, diskSizeBytes: 48 * MIB }, sink);
      await sink.close(false);
      hashes.push(sha256(await readFile(image)));
      rmSync(image, { force: true });
    }
    assert.equal(hashes[0], hashes[1]);
    assert.notEqual(hashes[0], hashes[2]);
  });

  it('a bare volume (partition offset 0) passes fsck.fat and mtools without an offset', async () => {
    const image = join(DIR, 'bare.img');
    rmSync(image, { force: true });
    const sink = await FileSink.create(image);
    const layout = await writeFat32Disk(tree, { ...FIXED_OPTIONS, diskSizeBytes: 256 * MIB, partitionOffsetBytes: 0 }, sink);
    await sink.close(false);
    assert.equal(layout.mbr, undefined);
    assert.equal(layout.bootSector.hiddenSectorCount, 0);
    assert.equal(layout.geometry.clusterSizeBytes, 2048);
    const fsck = run('fsck.fat', ['-n', '-v', image], { allowFail: true });
    assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
    assert.deepEqual([...parseMdir(run('mdir', ['-i', image, '-/', '-a', '::']).stdout)].sort(), [...expectedEntries(spec)].sort());
    const volume = await readFat32Disk(image);
    assert.equal(volume.partitionOffsetBytes, 0);
    assert.equal(volume.files.length, spec.files.size);
    await volume.close();
    rmSync(image, { force: true });
  });
});
