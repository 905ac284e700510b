// The pipelined stream (docs/benchmarks.md): pooled slabs that always come back, reads ahead at
// any alignment, in-place hashing that matches node:crypto, early writeback that reports its
// failures, and the side lane, which must write exactly the bytes a single sequential pass writes.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureMediaError } from '../../src/errors.js';
import { fileSource, type ContentSource } from '../../src/io/content.js';
import type { FileTree, TreeFile } from '../../src/io/file-tree.js';
import { pooledReads, streamFile } from '../../src/io/pooled-reads.js';
import { openRegularFileDirect } from '../../src/io/open-regular.js';
import { FileSink, WRITEBACK_EVERY_BYTES, type ByteSink } from '../../src/io/sink.js';
import { SIDE_LANE_MIN_BYTES } from '../../src/io/side-lane.js';
import { SLAB_BYTES, slabOf, slabPoolStats, takeSlab } from '../../src/io/slab-pool.js';
import { createStreamHash } from '../../src/io/stream-hash.js';
import { emitIso, planIso } from '../../src/iso/index.js';
import { emitFat32Disk, planFat32Disk } from '../../src/partition/fat32-disk.js';
import { FIXED_OPTIONS } from '../fat/fat-fixture.js';
import { REPO_ROOT } from '../helpers/temp.js';
import { xorshiftBytes } from '../helpers/xorshift.js';

const MIB = 1024 * 1024;
const WORK = join(REPO_ROOT, 'test', '.work', 'pipeline');
mkdirSync(WORK, { recursive: true });

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Every pooled slab is back in the pool (none held by a stream, a hash or a write). */
function assertPoolIdle(): void {
  const { created, free } = slabPoolStats();
  assert.equal(free, created, `${created - free} pooled slab(s) still out`);
}

async function drain(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(Uint8Array.from(chunk));
  return Buffer.concat(parts);
}

describe('slab pool', () => {
  it('a slab is reused only once every holder has released it; views are found in their slab', () => {
    const slab = takeSlab();
    assert.equal(slab.bytes.length, SLAB_BYTES);
    assert.equal(slabOf(slab.bytes.subarray(100, 200)), slab);
    assert.equal(slabOf(new Uint8Array(10)), undefined);
    slab.retain();
    slab.release();
    const other = takeSlab();
    assert.notEqual(other, slab, 'a held slab must not be handed out again');
    slab.release();
    other.release();
    assertPoolIdle();
    assert.throws(() => slab.release(), /released/);
  });

  it('more slabs than the pool holds at once: the extra ones are private, and the pool is whole again after', () => {
    const taken = Array.from({ length: slabPoolStats().created + 20 }, () => takeSlab());
    assert.ok(taken.every((s) => s.bytes.length === SLAB_BYTES && s.bytes.buffer instanceof SharedArrayBuffer));
    assert.ok(taken.some((s) => slabOf(s.bytes) === undefined), 'some slabs came from outside the pool');
    for (const s of taken) s.release();
    assertPoolIdle();
  });
});

describe('pooledReads', () => {
  const path = join(WORK, 'data.bin');
  const data = xorshiftBytes(3 * MIB + 12_345, 0x1234);
  writeFileSync(path, data);
  const errors = { shortFile: (at: number) => new Error(`short at ${at}`), readError: (e: unknown) => e as Error };

  /** Run `use` on the data file open for reading; then every slab must be back in the pool. */
  async function withData(use: (handle: FileHandle) => Promise<void>): Promise<void> {
    const handle = await open(path, 'r');
    try {
      await use(handle);
    } finally {
      await handle.close();
    }
    assertPoolIdle();
  }

  for (const [start, length, alignment] of [
    [0, data.length, 1],
    [2048, 2 * MIB + 7, 4096],
    [4095, MIB + 1, 4096],
    [data.length - 10, 10, 4096],
    [5, 0, 4096],
  ] as const) {
    it(`[${start}, +${length}) at alignment ${alignment}: the same bytes as the file, every slab back`, () =>
      withData(async (handle) => {
        const got = await drain(pooledReads(handle, length, { ...errors, startOffset: start, alignment }));
        assert.equal(sha256(got), sha256(data.subarray(start, start + length)));
      }));
  }

  it('a file shorter than promised: the shortFile error at the byte where it ends', () =>
    withData(async (handle) => {
      await assert.rejects(drain(pooledReads(handle, data.length + 5000, errors)), new RegExp(`short at ${data.length}$`));
    }));

  it('a consumer that stops early leaves no read in flight and no slab out', () =>
    withData(async (handle) => {
      for await (const chunk of pooledReads(handle, data.length, errors)) {
        assert.equal(chunk.length, SLAB_BYTES);
        break;
      }
    }));
});

describe('streamFile: past the page cache where the file system allows, else through it', () => {
  const data = xorshiftBytes(2 * MIB + 4097, 0x51);
  const options = {
    refuse: (kind: string) => new Error(`refused: ${kind}`),
    shortFile: (at: number) => new Error(`short at ${at}`),
    ioError: (e: unknown) => e as Error,
    longerFile: (size: number) => new Error(`longer: ${size}`),
  };

  // tmpfs took O_DIRECT only from Linux 6.6 on; before, open() refused it (EINVAL) and streamFile
  // read through the cache. Either way the bytes must be the file's.
  for (const [where, dir, direct] of [
    ['ext4 (the work folder): O_DIRECT', WORK, true],
    ['tmpfs (/dev/shm), direct or not as the kernel allows', '/dev/shm', undefined],
  ] as const) {
    it(`${where}, the same bytes`, async () => {
      const path = join(dir, `capture-media-stream-${process.pid}.bin`);
      writeFileSync(path, data);
      try {
        const opened = await openRegularFileDirect(path, options.refuse);
        await opened.handle.close();
        if (direct !== undefined) assert.equal(opened.direct, direct);
        assert.equal(sha256(await drain(streamFile(path, data.length, options))), sha256(data));
        await assert.rejects(drain(streamFile(path, data.length - 1, options)), /longer: 2101249/);
        await assert.rejects(drain(streamFile(path, data.length + 1, options)), new RegExp(`short at ${data.length}$`));
        await assert.rejects(drain(streamFile(dir, 10, options)), /refused: a folder/);
      } finally {
        rmSync(path, { force: true });
      }
      assertPoolIdle();
    });
  }
});

describe('hashing pooled chunks in place', () => {
  it('the digest equals node:crypto, and the slabs come back once hashed', async () => {
    const path = join(WORK, 'hashed.bin');
    const data = xorshiftBytes(9 * MIB + 3, 0x77);
    writeFileSync(path, data);
    const hash = createStreamHash('sha256', data.length);
    for await (const chunk of fileSource(path, data.length).stream()) {
      assert.ok(slabOf(chunk), 'fileSource reads into pooled slabs');
      await hash.update(chunk);
    }
    assert.equal(await hash.digest(), sha256(data));
    assertPoolIdle();
  });
});

/** A FileHandle stand-in (a fake of the OS's failures): `name` is replaced by `replacement`. */
function handleWith<K extends 'write' | 'datasync'>(handle: FileHandle, name: K, replacement: FileHandle[K]): FileHandle {
  return new Proxy(handle, {
    get(target, property, receiver) {
      if (property === name) return replacement;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const eio = (call: string): Error => Object.assign(new Error(`EIO: i/o error, ${call}`), { code: 'EIO' });

/** A file's handle that counts fdatasync calls and can make them fail (the OS's EIO). */
async function countingHandle(path: string, failDatasync: boolean) {
  let datasyncs = 0;
  const handle = handleWith(await open(path, 'w'), 'datasync', async () => {
    datasyncs++;
    if (failDatasync) throw eio('fdatasync');
  });
  return { handle, datasyncs: () => datasyncs };
}

/** Write `chunks` through `sink`, then close it: the error that stops it (a WriteFailed), after abandon(). */
async function writeFailure(sink: FileSink, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<CaptureMediaError> {
  let failure: unknown;
  try {
    for await (const chunk of chunks) await sink.write(chunk);
    await sink.close();
  } catch (error: unknown) {
    failure = error;
  }
  await sink.abandon();
  assert.ok(failure instanceof CaptureMediaError, String(failure));
  assert.equal(failure.id, 'WriteFailed');
  return failure;
}

describe('early writeback', () => {
  const block = new Uint8Array(MIB).fill(7);

  it(`an fdatasync starts every ${WRITEBACK_EVERY_BYTES / MIB} MiB while writing, and the file is complete`, async () => {
    const path = join(WORK, 'writeback.bin');
    const { handle, datasyncs } = await countingHandle(path, false);
    const sink = new FileSink(handle, path);
    const total = 2 * WRITEBACK_EVERY_BYTES + 3 * MIB;
    for (let at = 0; at < total; at += MIB) await sink.write(block);
    await sink.close();
    assert.equal(datasyncs(), 2);
    assert.equal(readFileSync(path).length, total);
    rmSync(path);
  });

  it('a failed background fdatasync fails the write (WriteFailed), never silently', async () => {
    const path = join(WORK, 'writeback-eio.bin');
    const { handle } = await countingHandle(path, true);
    const blocks = Array.from({ length: (WRITEBACK_EVERY_BYTES + 8 * MIB) / MIB }, () => block);
    const failure = await writeFailure(new FileSink(handle, path), blocks);
    assert.match(failure.message, /EIO/);
    rmSync(path);
  });
});

describe('write-behind', () => {
  it('pooled chunks are written while the writer goes on; the file is exact and every slab comes back', async () => {
    const source = join(WORK, 'behind-src.bin');
    const data = xorshiftBytes(7 * MIB + 999, 0xbe);
    writeFileSync(source, data);
    const path = join(WORK, 'behind.bin');
    rmSync(path, { force: true });
    const sink = await FileSink.create(path);
    await sink.write(new Uint8Array(10).fill(1)); // a small write first: buffered, flushed before the large ones
    for await (const chunk of fileSource(source, data.length).stream()) await sink.write(chunk);
    await sink.close();
    const written = readFileSync(path);
    assert.equal(sha256(written.subarray(10)), sha256(data));
    assert.deepEqual([...written.subarray(0, 10)], new Array(10).fill(1));
    assertPoolIdle();
  });

  it('a write that fails behind the writer is reported (WriteFailed, its offset) by the next write or by close()', async () => {
    const source = join(WORK, 'behind-src.bin');
    const path = join(WORK, 'behind-eio.bin');
    const handle = await open(path, 'w');
    let writes = 0;
    const write = handle.write.bind(handle) as (...args: unknown[]) => Promise<unknown>;
    const failing = handleWith(handle, 'write', (async (...args: unknown[]) => {
      if (++writes === 3) throw eio('write');
      return write(...args);
    }) as FileHandle['write']);
    const failure = await writeFailure(new FileSink(failing, path), fileSource(source, 7 * MIB + 999).stream());
    assert.match(failure.message, /at offset 2097152: .*EIO/);
    assertPoolIdle();
  });
});

/** A large file (the boot image, read from disk into pooled slabs), small files after it, and a last one. */
function laneTree(): FileTree {
  const bigPath = join(WORK, 'big.wim');
  writeFileSync(bigPath, xorshiftBytes(SIDE_LANE_MIN_BYTES + 5 * MIB + 333, 0xb16));
  const small = (i: number): TreeFile => {
    const bytes = xorshiftBytes(1000 + ((i * 7919) % 90_000), i + 1);
    return { path: ['sms', 'bin', `group${i % 7}`, `file${i}.dll`], content: { sizeBytes: bytes.length, async *stream() { yield bytes; } } };
  };
  return {
    files: [
      { path: ['sources', 'boot.wim'], content: fileSource(bigPath, SIDE_LANE_MIN_BYTES + 5 * MIB + 333), emitFirst: true },
      ...Array.from({ length: 60 }, (_, i) => small(i)),
      { path: ['manifest.json'], content: { sizeBytes: 5, async *stream() { yield new TextEncoder().encode('last!'); } }, emitLast: true },
    ],
  };
}

/** Writes sequentially into memory: no fork, no skip, so the writers take their single-lane path. */
class SequentialSink implements ByteSink {
  readonly parts: Uint8Array[] = [];
  position = 0;
  async write(chunk: Uint8Array): Promise<void> {
    this.parts.push(Uint8Array.from(chunk));
    this.position += chunk.length;
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

/** A new file's FileSink that notes whether a writer forked it (took a side lane). */
async function forkingFile(path: string): Promise<{ sink: FileSink; forked: () => boolean }> {
  rmSync(path, { force: true });
  const sink = await FileSink.create(path);
  let forked = false;
  const fork = sink.fork.bind(sink);
  sink.fork = (offset: number) => {
    forked = true;
    return fork(offset);
  };
  return { sink, forked: () => forked };
}

describe('side lane: the same bytes as one sequential pass', () => {
  /** Emit `layout` once into memory (single lane) and once into a file (side lane): the same bytes. */
  async function sameBytesBothWays(name: string, emit: (sink: ByteSink) => Promise<void>): Promise<void> {
    const reference = new SequentialSink();
    await emit(reference);
    const path = join(WORK, name);
    const { sink, forked } = await forkingFile(path);
    await emit(sink);
    await sink.close();
    assert.ok(forked(), `the writer of ${name} used a side lane`);
    assert.equal(sha256(readFileSync(path)), sha256(reference.bytes()));
    assertPoolIdle();
  }

  it('ISO: the files after the boot image are written beside it, and the image is byte-identical', async () => {
    const layout = planIso(laneTree(), { volumeLabel: 'LANES', jolietLabel: 'Lanes', recordedAt: FIXED_OPTIONS.recordedAt });
    await sameBytesBothWays('lanes.iso', (sink) => emitIso(layout, sink));
  });

  it('USB image: byte-identical too (free clusters left sparse in the file read back as the zeros written in memory)', async () => {
    const layout = planFat32Disk(laneTree(), { ...FIXED_OPTIONS, diskSizeBytes: 96 * MIB });
    // In memory, sector 0 is written in its place (no writeAt); in the file, last.
    await sameBytesBothWays('lanes.img', (sink) => emitFat32Disk(layout, sink, { firstSectorLast: sink instanceof FileSink }));
  });

  it('a failure in the side lane stops the main lane and is the error thrown; nothing is left in flight', async () => {
    const tree = laneTree();
    const broken: ContentSource = {
      sizeBytes: 4096,
      async *stream() {
        yield new Uint8Array(100);
        throw new CaptureMediaError('ContentHashMismatch', 'a small file is damaged');
      },
    };
    const files = tree.files.map((f, i) => (i === 5 ? { ...f, content: broken } : f));
    const layout = planIso({ files }, { volumeLabel: 'LANES', jolietLabel: 'Lanes', recordedAt: FIXED_OPTIONS.recordedAt });
    const { sink } = await forkingFile(join(WORK, 'broken.iso'));
    await assert.rejects(emitIso(layout, sink), (e: unknown) => e instanceof CaptureMediaError && e.id === 'ContentHashMismatch');
    await sink.abandon();
    assertPoolIdle();
  });
});
