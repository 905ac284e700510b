// Sequential byte sinks. Writers emit in ascending offset and call write() with whatever chunk
// sizes they have; a sink may coalesce them into large writes.
//
// Two optional capabilities (checked by the writer, as etcher-sdk checks a destination's):
// - skip(count): advance the position without writing. The skipped bytes' content is unspecified
//   (zeros in a fresh image file, whatever was there on a device), so writers skip only regions
//   whose content does not matter (free FAT32 clusters, the disk's tail after the partition).
//   This keeps a 40 GiB USB image sparse and a device write as short as the data it holds.
// - writeAt(offset, bytes): a positional write behind the current position, used to write the
//   first sector of a disk last (etcher-sdk's rule), so that an OS never recognises and mounts a
//   half-written volume: the writer emits sector 0 as zeros in its pass, then writeAt(0, …).

import { open, type FileHandle } from 'node:fs/promises';
import { CaptureMediaError, throwIfAborted, toCaptureMediaError } from '../errors.js';
import { slabOf, type Slab } from './slab-pool.js';

export interface ByteSink {
  /** Bytes written so far (the next write lands at this offset). */
  readonly position: number;
  write(chunk: Uint8Array): Promise<void>;
  /** Optional: advance `count` bytes without writing them; their content is unspecified. */
  skip?(count: number): Promise<void>;
  /** Optional: write `bytes` at `offset` < position (already emitted bytes), not moving position. */
  writeAt?(offset: number, bytes: Uint8Array): Promise<void>;
  /**
   * Optional: a second sequential writer for the bytes from `offset` (≥ position) on, that runs
   * at the same time as this one (io/side-lane.ts). The region it writes is its own: once it has
   * finished, this sink skips over it.
   */
  fork?(offset: number): ForkedSink;
}

/** A sink forked from another: finish() flushes what it buffered; the parent owns the file. */
export interface ForkedSink extends ByteSink {
  finish(): Promise<void>;
}

/** Advance over `count` don't-care bytes: skip where the sink can, else write zeros. */
export async function skipOrZero(sink: ByteSink, count: number): Promise<void> {
  if (count <= 0) return;
  if (sink.skip) await sink.skip(count);
  else await writeZeros(sink, count);
}

/**
 * Write `count` zero bytes through a sink without allocating `count` bytes, 1 MiB at a time; a
 * long run (free clusters on a sink that cannot skip) stops at the next MiB when `signal` aborts.
 */
export async function writeZeros(sink: ByteSink, count: number, options: { signal?: AbortSignal; onBytes?: (count: number) => void } = {}): Promise<void> {
  const zeros = ZERO_BLOCK;
  let left = count;
  while (left > 0) {
    throwIfAborted(options.signal);
    const n = Math.min(left, zeros.length);
    await sink.write(n === zeros.length ? zeros : zeros.subarray(0, n));
    options.onBytes?.(n);
    left -= n;
  }
}
const ZERO_BLOCK = new Uint8Array(1024 * 1024);
/** Chunks at least this large bypass FileSink's coalescing buffer. */
const DIRECT_WRITE_BYTES = 1024 * 1024;
/**
 * Early writeback: after this many bytes written since the last one, FileSink starts an
 * fdatasync in the background (one at a time). The OS then writes the medium out while we go on
 * producing it, and the fsync at close() flushes only the tail: on the 0.5 GiB bench sample the
 * final fsync took ~0.35 s of a ~3 s build, at 64 MiB steps it takes about one step's worth.
 */
export const WRITEBACK_EVERY_BYTES = 64 * 1024 * 1024;

/** A sink on an open file handle, coalescing small writes into buffers of `bufferBytes`. */
/**
 * Write-behind: a chunk that lies in a pooled slab (io/slab-pool.ts) is written while the writer
 * goes on to the next one, up to this many at once; the slab is held until its write is done.
 * Other chunks are the caller's again when write() returns, so they are written before it does.
 */
const WRITES_BEHIND = 2;

/** The coalescing buffer of a forked FileSink: its writer's chunks are the small files'. */
const FORK_BUFFER_BYTES = 1024 * 1024;

export class FileSink implements ByteSink {
  #position = 0;
  #buffer: Buffer;
  #used = 0;
  #flushedTo = 0;
  /** End of the bytes actually written; a trailing skip is materialised by close(). */
  #writtenEnd = 0;
  /** Bytes written since the last background fdatasync started. */
  #sinceWriteback = 0;
  #writeback: Promise<void> | undefined;
  /** A background fdatasync that failed: the next write or close() reports it. */
  #writebackError: unknown;
  /** Writes of pooled chunks still in flight (write-behind); they never reject. */
  readonly #behind = new Set<Promise<void>>();
  /** The first of them that failed (a WriteFailed): the next write or close() reports it. */
  #behindError: unknown;

  constructor(
    private readonly handle: FileHandle,
    private readonly name: string,
    bufferBytes = 4 * 1024 * 1024,
    startOffset = 0,
  ) {
    this.#buffer = Buffer.allocUnsafe(bufferBytes);
    this.#position = startOffset;
    this.#flushedTo = startOffset;
  }

  /** A writer from `offset` on, at the same time as this one, on the same file (ByteSink.fork). */
  fork(offset: number): ForkedSink {
    if (!Number.isSafeInteger(offset) || offset < this.#position) throw new RangeError(`fork(${offset}) is behind position ${this.#position}`);
    const child = new FileSink(this.handle, this.name, FORK_BUFFER_BYTES, offset);
    return Object.assign(child, { finish: () => child.#finish() });
  }

  /** A fork's end: its buffer written out and its background fdatasync settled; the file stays open. */
  async #finish(): Promise<void> {
    await this.flush();
    await this.#drainBehind();
    await this.#writeback;
    this.#reportWritebackFailure();
  }

  static async create(path: string, flags = 'wx', mode = 0o600): Promise<FileSink> {
    const handle = await open(path, flags, mode);
    return new FileSink(handle, path);
  }

  get position(): number {
    return this.#position;
  }

  async write(chunk: Uint8Array): Promise<void> {
    // Large chunks (the 1 MiB reads of file content) go straight to the file: copying them into
    // the buffer first costs a memcpy of every byte for no fewer syscalls (docs/benchmarks.md).
    if (this.#behindError !== undefined) throw this.#behindError;
    if (chunk.length >= Math.min(this.#buffer.length, DIRECT_WRITE_BYTES)) {
      await this.flush();
      const slab = slabOf(chunk);
      if (slab !== undefined) {
        this.#writeBehind(chunk, slab);
        while (this.#behind.size >= WRITES_BEHIND) await Promise.race(this.#behind);
        return;
      }
      await this.#writeAt(chunk);
      this.#position += chunk.length;
      return;
    }
    if (this.#used + chunk.length > this.#buffer.length) await this.flush();
    this.#buffer.set(chunk, this.#used);
    this.#used += chunk.length;
    this.#position += chunk.length;
  }

  #writeBehind(chunk: Uint8Array, slab: Slab): void {
    const offset = this.#flushedTo;
    this.#flushedTo += chunk.length;
    this.#position += chunk.length;
    slab.retain();
    const write: Promise<void> = this.#writeRaw(chunk, offset)
      .catch((error: unknown) => {
        this.#behindError ??= error;
      })
      .finally(() => {
        slab.release();
        this.#behind.delete(write);
      });
    this.#behind.add(write);
  }

  /** Wait for the writes behind; report the first that failed. */
  async #drainBehind(): Promise<void> {
    await Promise.all(this.#behind);
    if (this.#behindError !== undefined) throw this.#behindError;
  }

  /**
   * Skip `count` bytes (sparse): buffered bytes are flushed, the next write lands `count` bytes
   * further on. On a regular file the skipped bytes read as zeros; a skip at the very end is
   * materialised by close() extending the file to `position`.
   */
  async skip(count: number): Promise<void> {
    if (count < 0 || !Number.isSafeInteger(count)) throw new RangeError(`skip count ${count}`);
    if (count === 0) return;
    await this.flush();
    this.#position += count;
    this.#flushedTo += count;
  }

  /** Positional write of already-emitted bytes (the first sector, written last); position is unchanged. */
  async writeAt(offset: number, bytes: Uint8Array): Promise<void> {
    if (offset < 0 || offset + bytes.length > this.#position) {
      throw new RangeError(`writeAt(${offset}, ${bytes.length}) is not behind position ${this.#position}`);
    }
    await this.flush();
    // Last means last: the first sector goes out once everything before it has.
    await this.#drainBehind();
    await this.#writeRaw(bytes, offset);
  }

  async flush(): Promise<void> {
    if (this.#used === 0) return;
    const pending = this.#buffer.subarray(0, this.#used);
    await this.#writeAt(pending);
    this.#used = 0;
  }

  async #writeAt(bytes: Uint8Array): Promise<void> {
    await this.#writeRaw(bytes, this.#flushedTo);
    this.#flushedTo += bytes.length;
  }

  async #writeRaw(bytes: Uint8Array, offset: number): Promise<void> {
    let done = 0;
    try {
      this.#throwIfWritebackFailed();
      while (done < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, offset + done);
        done += bytesWritten;
      }
      this.#writtenEnd = Math.max(this.#writtenEnd, offset + done);
      this.#sinceWriteback += done;
      if (this.#sinceWriteback >= WRITEBACK_EVERY_BYTES && this.#writeback === undefined) this.#startWriteback();
    } catch (error: unknown) {
      const wrapped = toCaptureMediaError(error);
      throw new CaptureMediaError('WriteFailed', `Writing ${this.name} failed at offset ${offset + done}: ${wrapped.message}`, {
        target: this.name,
        cause: error,
      });
    }
  }

  #startWriteback(): void {
    this.#sinceWriteback = 0;
    this.#writeback = this.handle.datasync().then(
      () => {
        this.#writeback = undefined;
      },
      (error: unknown) => {
        this.#writeback = undefined;
        this.#writebackError ??= error;
      },
    );
  }

  #reportWritebackFailure(): void {
    if (this.#writebackError === undefined) return;
    throw new CaptureMediaError('WriteFailed', `Writing ${this.name} back to its disk failed: ${toCaptureMediaError(this.#writebackError).message}`, {
      target: this.name,
      cause: this.#writebackError,
    });
  }

  #throwIfWritebackFailed(): void {
    if (this.#writebackError !== undefined) throw this.#writebackError;
  }

  /** After a trailing skip, make a regular file as long as the position (devices keep their size). */
  async #materialiseTail(): Promise<void> {
    if (this.#position <= this.#writtenEnd) return;
    const stats = await this.handle.stat();
    if (!stats.isFile() || stats.size >= this.#position) return;
    try {
      await this.handle.truncate(this.#position);
    } catch (error: unknown) {
      throw new CaptureMediaError('WriteFailed', `Extending ${this.name} to ${this.#position} bytes failed`, {
        target: this.name,
        cause: error,
      });
    }
  }

  /** Flush, fsync and close. */
  async close(sync = true): Promise<void> {
    try {
      await this.flush();
      await this.#drainBehind();
      await this.#materialiseTail();
      await this.#writeback;
      this.#reportWritebackFailure();
      if (sync) await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }

  /** Close without flushing (after a failure). */
  async abandon(): Promise<void> {
    await Promise.all(this.#behind);
    await this.#writeback;
    await this.handle.close().catch(() => undefined);
  }
}
