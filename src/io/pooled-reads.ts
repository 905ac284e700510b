// The read end of every large stream: a file's bytes in slab-sized chunks, with the next reads
// already in flight while the consumer hashes and writes the current one (docs/benchmarks.md).
// Reads land in slabs of the job's pool (io/slab-pool.ts), so nothing is allocated per chunk and
// the hash worker can hash a chunk where it lies.

import type { FileHandle } from 'node:fs/promises';
import { throwIfAborted } from '../errors.js';
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
