// planFat32 validation (before any I/O) and emitFat32Disk's order of writes, with in-memory sinks.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureMediaError } from '../../src/errors.js';
import { FAT32_MAX_FILE_BYTES } from '../../src/fat/plan.js';
import { emitFat32Disk, planFat32Disk, writeFat32Disk } from '../../src/partition/fat32-disk.js';
import { bufferSource, type ContentSource } from '../../src/io/content.js';
import type { FileTree } from '../../src/io/file-tree.js';
import type { ByteSink } from '../../src/io/sink.js';
import { FIXED_OPTIONS, GIB, MIB } from './fat-fixture.js';

/** A source that must never be read (plan-time checks happen before streaming). */
function unreadable(sizeBytes: number): ContentSource {
  return {
    sizeBytes,
    stream() {
      throw new Error('streamed a source that plan should have rejected');
    },
  };
}

/** Records every operation; keeps the bytes of the first `keepBytes`. */
class RecordingSink implements ByteSink {
  position = 0;
  ops: { kind: 'write' | 'skip' | 'writeAt'; offset: number; length: number }[] = [];
  head: Uint8Array;
  constructor(keepBytes = 0) {
    this.head = new Uint8Array(keepBytes);
  }
  async write(chunk: Uint8Array): Promise<void> {
    this.ops.push({ kind: 'write', offset: this.position, length: chunk.length });
    if (this.position < this.head.length) this.head.set(chunk.subarray(0, this.head.length - this.position), this.position);
    this.position += chunk.length;
  }
  async skip(count: number): Promise<void> {
    this.ops.push({ kind: 'skip', offset: this.position, length: count });
    this.position += count;
  }
  async writeAt(offset: number, bytes: Uint8Array): Promise<void> {
    this.ops.push({ kind: 'writeAt', offset, length: bytes.length });
    this.head.set(bytes, offset);
  }
}

const tiny: FileTree = { files: [{ path: ['a.txt'], content: bufferSource(new Uint8Array([1, 2, 3])) }] };
const isError = (id: string) => (e: unknown) => e instanceof CaptureMediaError && e.id === id;

describe('planFat32 checks before any byte is written', () => {
  it('FileTooLargeForFat32 names a 5 GiB file; nothing is streamed or written', async () => {
    const sink = new RecordingSink();
    const tree: FileTree = { files: [...tiny.files, { path: ['sources', 'install.wim'], content: unreadable(5 * GIB) }] };
    await assert.rejects(
      writeFat32Disk(tree, { ...FIXED_OPTIONS, diskSizeBytes: 64 * GIB }, sink),
      (e: unknown) => isError('FileTooLargeForFat32')(e) && (e as CaptureMediaError).target === 'sources/install.wim' && /install\.wim/.test((e as Error).message),
    );
    assert.equal(sink.position, 0);
    assert.equal(sink.ops.length, 0);
  });

  it('accepts exactly 4 GiB − 1 and rejects 4 GiB', () => {
    const ok = planFat32Disk({ files: [{ path: ['max.bin'], content: unreadable(FAT32_MAX_FILE_BYTES) }] }, { ...FIXED_OPTIONS, diskSizeBytes: 8 * GIB });
    assert.equal(ok.files[0]!.clusterCount, Math.ceil(FAT32_MAX_FILE_BYTES / 4096));
    assert.throws(
      () => planFat32Disk({ files: [{ path: ['big.bin'], content: unreadable(FAT32_MAX_FILE_BYTES + 1) }] }, { ...FIXED_OPTIONS, diskSizeBytes: 8 * GIB }),
      isError('FileTooLargeForFat32'),
    );
  });

  it('DiskTooSmall when the files do not fit, or the volume cannot be FAT32', () => {
    assert.throws(() => planFat32Disk({ files: [{ path: ['x'], content: unreadable(70 * MIB) }] }, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB }), isError('DiskTooSmall'));
    assert.throws(() => planFat32Disk(tiny, { ...FIXED_OPTIONS, diskSizeBytes: 16 * MIB }), isError('DiskTooSmall'));
  });

  it('LabelInvalid for labels FAT cannot hold', () => {
    assert.throws(() => planFat32Disk(tiny, { ...FIXED_OPTIONS, label: 'Configuration Manager', diskSizeBytes: 64 * MIB }), isError('LabelInvalid'));
    assert.throws(() => planFat32Disk(tiny, { ...FIXED_OPTIONS, label: 'A/B', diskSizeBytes: 64 * MIB }), isError('LabelInvalid'));
  });

  it('rejects names that differ only in case, illegal characters, and file/directory clashes', () => {
    const p = (paths: string[][]) => () =>
      planFat32Disk({ files: paths.map((path) => ({ path, content: bufferSource(new Uint8Array(1)) })) }, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB });
    assert.throws(p([['a.txt'], ['A.TXT']]), /differ only in case/);
    assert.throws(p([['a:b']]), isError('InvalidParameter'));
    assert.throws(p([['trailing.']]), /ends with a dot/);
    assert.throws(p([['x'], ['x', 'y']]), /both a file and a directory/);
    assert.throws(p([['d', 'x'], ['D', 'y']]), /differ only in case/);
  });

  it('is deterministic and independent of input order', () => {
    const files = ['b/2.txt', 'a/1.txt', 'Zeta.bin', 'alpha.bin'].map((p, i) => ({ path: p.split('/'), content: bufferSource(new Uint8Array(i * 1000)) }));
    const one = planFat32Disk({ files }, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB });
    const two = planFat32Disk({ files: [...files].reverse() }, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB });
    assert.deepEqual(
      one.files.map((f) => [f.path.join('/'), f.firstClusterIndex]),
      two.files.map((f) => [f.path.join('/'), f.firstClusterIndex]),
    );
    assert.deepEqual(one.directories.map((d) => d.entries), two.directories.map((d) => d.entries));
    assert.deepEqual(one.files.map((f) => f.path.join('/')), ['a/1.txt', 'alpha.bin', 'b/2.txt', 'Zeta.bin']);
  });

  it('honours maxPartitionBytes and a bare volume', () => {
    const capped = planFat32Disk(tiny, { ...FIXED_OPTIONS, diskSizeBytes: 64 * GIB, maxPartitionBytes: 32 * GIB });
    assert.equal(capped.partitionSizeBytes, 32 * GIB);
    assert.equal(capped.geometry.clusterSizeBytes, 16384);
    const bare = planFat32Disk(tiny, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB, partitionOffsetBytes: 0 });
    assert.equal(bare.mbr, undefined);
    assert.equal(bare.partitionSizeBytes, 64 * MIB);
  });
});

describe('emitFat32Disk', () => {
  it('writes in ascending order, skips the free region, and writes sector 0 last', async () => {
    const layout = planFat32Disk(tiny, { ...FIXED_OPTIONS, diskSizeBytes: GIB });
    const sink = new RecordingSink(512);
    let reported = 0;
    await emitFat32Disk(layout, sink, { onBytes: (n) => (reported += n) });
    assert.equal(sink.position, GIB);
    assert.equal(reported, GIB);
    const last = sink.ops[sink.ops.length - 1]!;
    assert.deepEqual(last, { kind: 'writeAt', offset: 0, length: 512 });
    let expected = 0;
    for (const op of sink.ops.slice(0, -1)) {
      assert.equal(op.offset, expected);
      expected += op.length;
    }
    const skipped = sink.ops.filter((o) => o.kind === 'skip').reduce((n, o) => n + o.length, 0);
    assert.ok(skipped > GIB - 4 * MIB, `${skipped} bytes skipped`);
    assert.deepEqual([...sink.head.subarray(0x1fe, 0x200)], [0x55, 0xaa]);
    assert.equal(sink.head[0x1be], 0x80);
  });

  it('writes zeros where the sink cannot skip, and sector 0 in place without writeAt', async () => {
    const layout = planFat32Disk(tiny, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB });
    let position = 0;
    const first: number[] = [];
    const sink: ByteSink = {
      get position() {
        return position;
      },
      async write(chunk) {
        if (position === 0) first.push(...chunk.subarray(0, 512));
        position += chunk.length;
      },
    };
    await emitFat32Disk(layout, sink);
    assert.equal(position, 64 * MIB);
    assert.deepEqual(first.slice(0x1fe, 0x200), [0x55, 0xaa]);
  });

  it('stops with Cancelled when the signal fires, and WriteFailed when a source lies about its size', async () => {
    const controller = new AbortController();
    controller.abort();
    const layout = planFat32Disk(tiny, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB });
    await assert.rejects(emitFat32Disk(layout, new RecordingSink(), { signal: controller.signal }), isError('Cancelled'));
    const liar: ContentSource = {
      sizeBytes: 10,
      async *stream() {
        yield new Uint8Array(4);
      },
    };
    const bad = planFat32Disk({ files: [{ path: ['short.bin'], content: liar }] }, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB });
    await assert.rejects(emitFat32Disk(bad, new RecordingSink()), isError('WriteFailed'));
  });
});
