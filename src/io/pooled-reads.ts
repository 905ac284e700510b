// The read end of every large stream: a file's bytes in slab-sized chunks, with the next reads
// already in flight while the consumer hashes and writes the current one (docs/benchmarks.md).
// Reads land in slabs of the job's pool (io/slab-pool.ts), so nothing is allocated per chunk and
// the hash worker can hash a chunk where it lies.

import type { FileHandle } from 'node:fs/promises';
import { CaptureMediaError, errnoCode, throwIfAborted } from '../errors.js';
import { DIRECT_ALIGNMENT } from './direct-flag.js';
import { openRegularFile, openRegularFileDirect } from './open-regular.js';
import { SLAB_BYTES, takeSlab, type Slab } from './slab-pool.js';

/** Reads in flight ahead of the consumer: one landing, one being hashed/written, one spare. */
export const READS_IN_FLIGHT = 3;

export interface PooledReadOptions {
  readonly signal?: AbortSignal | undefined;
  readonly depth?: number;
  /** The error for a file that ends at `position`, before `sizeBytes`. */
  readonly shortFile: (position: number) => Error;
  /** The error for a failed read (an errno from the OS). */
  readonly readError: (error: unknown) => Error;
  /** First byte to read (default 0): the stream covers [startOffset, startOffset + sizeBytes). */
  readonly startOffset?: number;
  /**
   * Read only at multiples of this many bytes, in multiples of it (O_DIRECT's rule, with the
   * pool's page-aligned slabs): each read covers an aligned window and the chunk yielded is the
   * stream's part of it. Default 1 (no rule).
   */
  readonly alignment?: number;
}

interface PendingRead {
  readonly slab: Slab;
  /** Where the read starts, relative to the aligned window start. */
  readonly position: number;
  readonly length: number;
  /** The part of the slab that is the stream's: [from, to). */
  readonly from: number;
  readonly to: number;
  readonly done: Promise<number>;
}

/**
 * Yields the `sizeBytes` bytes of `handle` in order, in chunks of at most SLAB_BYTES. A chunk is
 * the consumer's until it asks for the next one (ContentSource's rule); a holder that needs it
 * longer retains its slab (io/slab-pool.ts slabOf) or copies it.
 */
export async function* pooledReads(handle: Pick<FileHandle, 'read'>, sizeBytes: number, options: PooledReadOptions): AsyncGenerator<Uint8Array> {
  const depth = Math.max(1, options.depth ?? READS_IN_FLIGHT);
  const alignment = options.alignment ?? 1;
  if (SLAB_BYTES % alignment !== 0) throw new RangeError(`alignment ${alignment} does not divide the slab size`);
  const start = options.startOffset ?? 0;
  // Reads cover [windowStart, windowEnd): the stream's bytes widened to whole aligned blocks.
  const windowStart = Math.floor(start / alignment) * alignment;
  const lead = start - windowStart;
  const windowEnd = Math.ceil((start + sizeBytes) / alignment) * alignment - windowStart;
  const pending: PendingRead[] = [];
  let nextStart = 0;
  let current: Slab | undefined;
  const startRead = (): void => {
    const length = Math.min(SLAB_BYTES, windowEnd - nextStart);
    const slab = takeSlab();
    const position = nextStart;
    const done = handle.read(slab.bytes, 0, length, windowStart + position).then((r) => r.bytesRead);
    // Handled when awaited (or in finally); this keeps an early exit from reporting it unhandled.
    done.catch(() => undefined);
    const from = Math.max(lead, position) - position;
    const to = Math.min(lead + sizeBytes, position + length) - position;
    pending.push({ slab, position, length, from, to, done });
    nextStart += length;
  };
  try {
    while (pending.length > 0 || nextStart < windowEnd) {
      throwIfAborted(options.signal);
      while (pending.length < depth && nextStart < windowEnd) startRead();
      const head = pending.shift()!;
      current = head.slab;
      let got: number;
      try {
        got = await head.done;
        // A read is short only at the end of the file; finish a short one before calling it so.
        // (An aligned read that came back short at an unaligned length met the end of the file.)
        while (got < head.to && got % alignment === 0) {
          const { bytesRead } = await handle.read(head.slab.bytes, got, head.length - got, windowStart + head.position + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
      } catch (error: unknown) {
        throw options.readError(error);
      }
      if (got < head.to) throw options.shortFile(head.position + got - lead);
      if (head.to > head.from) yield head.slab.bytes.subarray(head.from, head.to);
      current = undefined;
      head.slab.release();
    }
  } finally {
    current?.release();
    // A consumer that stops early (or an error) leaves reads in flight: let them land first.
    for (const read of pending) {
      await read.done.catch(() => undefined);
      read.slab.release();
    }
  }
}

/**
 * The bytes of `direct` (reads past the page cache), and when one of its reads fails with EINVAL
 * (the file system took O_DIRECT at open but refuses it at a read), the rest from the reader
 * `cached(error)` gives, which reads through the cache from the byte where the stream stood
 * (`from`, counted from the stream's start). Any other failure is the caller's to name.
 */
export async function* directThenCached(
  direct: AsyncIterable<Uint8Array>,
  cached: (error: unknown) => Promise<(from: number) => AsyncIterable<Uint8Array>>,
): AsyncGenerator<Uint8Array> {
  let done = 0;
  try {
    for await (const chunk of direct) {
      done += chunk.length;
      yield chunk;
    }
  } catch (error: unknown) {
    if (error instanceof CaptureMediaError || errnoCode(error) !== 'EINVAL') throw error;
    yield* (await cached(error))(done);
  }
}

export interface StreamFileOptions {
  readonly signal?: AbortSignal | undefined;
  /** The error for a path that is a FIFO, folder, device… (openRegularFile's refuse). */
  readonly refuse: (kind: string) => Error;
  /** The error for a file that ends at `position`, before `sizeBytes`. */
  readonly shortFile: (position: number) => Error;
  /** The error for a failed open or read (an errno from the OS). */
  readonly ioError: (error: unknown) => Error;
  /** When given: the error for a file longer than `sizeBytes` (it grew, or was replaced). */
  readonly longerFile?: (actualBytes: number) => Error;
}

/**
 * A whole file's `sizeBytes` bytes, read once in order, past the OS cache where the file system
 * allows (O_DIRECT into the pool's page-aligned slabs): the kernel then moves the bytes straight
 * into our memory instead of copying them out of its cache, which was a fifth of a large build's
 * CPU time (docs/benchmarks.md). A file system that refuses the flag at open, or a read at our
 * alignment, is read through the cache instead, from where the stream stands.
 */
export async function* streamFile(path: string, sizeBytes: number, options: StreamFileOptions): AsyncGenerator<Uint8Array> {
  let opened: { handle: FileHandle; direct: boolean };
  try {
    opened = await openRegularFileDirect(path, options.refuse);
  } catch (error: unknown) {
    throw error instanceof CaptureMediaError ? error : options.ioError(error);
  }
  const reads = (from: number, alignment: number): AsyncIterable<Uint8Array> =>
    pooledReads(opened.handle, sizeBytes - from, {
      signal: options.signal,
      startOffset: from,
      alignment,
      shortFile: (at) => options.shortFile(from + at),
      readError: (error) => error as Error,
    });
  const reopenCached = async (): Promise<(from: number) => AsyncIterable<Uint8Array>> => {
    await opened.handle.close();
    opened = { handle: await openRegularFile(path, options.refuse), direct: false };
    return (from) => reads(from, 1);
  };
  try {
    try {
      yield* opened.direct ? directThenCached(reads(0, DIRECT_ALIGNMENT), reopenCached) : reads(0, 1);
    } catch (error: unknown) {
      throw error instanceof CaptureMediaError ? error : options.ioError(error);
    }
    if (options.longerFile !== undefined) {
      const { size } = await opened.handle.stat();
      if (size > sizeBytes) throw options.longerFile(size);
    }
  } finally {
    await opened.handle.close();
  }
}
