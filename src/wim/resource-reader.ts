// Reading WIM resources: positional reads from a byte source, chunk-by-chunk decompression, and
// never more than one read batch (≤ 1 MiB) plus the chunk being decoded in memory.

import type { FileHandle } from 'node:fs/promises';
import { openRegularFile } from '../io/open-regular.js';
import { CaptureMediaError, DecompressionError, InvalidFormatError, throwIfAborted } from '../errors.js';
import { LzxDecoder, lzxWindowOrder } from '../compression/lzx.js';
import { XpressDecoder } from '../compression/xpress.js';
import { chunkGeometry, parseChunkTable } from './chunks.js';
import type { WimCompression } from './header.js';
import { RESHDR_FLAG_COMPRESSED, type ResourceHeader } from './resource-header.js';

/** Compressed bytes fetched per read: several chunks at once keep the syscall count low. */
export const READ_BATCH_BYTES = 1024 * 1024;

/** Where the WIM's bytes come from: a file (positional reads) or memory (tests, fuzzing). */
export interface ByteSource {
  readonly sizeBytes: number;
  /** Fill `buffer[0, length)` from `position`; throws WimInvalid when the source is shorter. */
  readAt(buffer: Uint8Array, length: number, position: number): Promise<void>;
  close(): Promise<void>;
}

export async function openFileByteSource(path: string): Promise<ByteSource> {
  const handle: FileHandle = await openRegularFile(path, (kind) => new CaptureMediaError('WimInvalid', `${path} is ${kind}, not a WIM file.`, { target: path }));
  try {
    const { size } = await handle.stat();
    return {
      sizeBytes: size,
      async readAt(buffer, length, position) {
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
          if (bytesRead === 0) {
            throw new InvalidFormatError('WimInvalid', 'file', position + done, 'the file ends early (was it truncated while open?)', { target: path });
          }
          done += bytesRead;
        }
      },
      close: () => handle.close(),
    };
  } catch (error: unknown) {
    await handle.close();
    throw error;
  }
}

export function memoryByteSource(bytes: Uint8Array): ByteSource {
  return {
    sizeBytes: bytes.length,
    async readAt(buffer, length, position) {
      if (position + length > bytes.length) throw new InvalidFormatError('WimInvalid', 'file', position, 'read past the end of the data');
      buffer.set(bytes.subarray(position, position + length));
    },
    async close() {},
  };
}

interface ChunkDecoder {
  decompress(input: Uint8Array, inStart: number, inEnd: number, output: Uint8Array, outLength: number, chunkIndex: number): void;
}

/**
 * Reads resources of one WIM. One decoder is shared by every stream of the WIM: decompress() is
 * synchronous and keeps no state between chunks (each WIM chunk stands alone), so interleaved
 * streams cannot disturb each other.
 */
export class ResourceReader {
  private readonly decoder: ChunkDecoder | undefined;

  constructor(
    private readonly source: ByteSource,
    readonly compression: WimCompression,
    readonly chunkSizeBytes: number,
    private readonly target: string,
  ) {
    if (compression === 'lzx') {
      if (lzxWindowOrder(chunkSizeBytes) === undefined) {
        throw new CaptureMediaError('WimUnsupportedCompression', `LZX with a chunk size of ${chunkSizeBytes} bytes is not supported (32 KiB to 2 MiB).`, { target });
      }
      this.decoder = new LzxDecoder(chunkSizeBytes);
    } else if (compression === 'xpress') {
      if (chunkSizeBytes > 65536) {
        throw new CaptureMediaError('WimUnsupportedCompression', `XPRESS with a chunk size of ${chunkSizeBytes} bytes is not supported (at most 64 KiB).`, { target });
      }
      this.decoder = new XpressDecoder();
    }
  }

  /**
   * The stored bytes of a small resource (≤ READ_BATCH_BYTES: its chunk table and chunks), read in
   * one go ahead of chunks(), which then takes them instead of reading; undefined for a larger one.
   */
  async readSmall(resource: ResourceHeader): Promise<Buffer | undefined> {
    if (resource.sizeInWimBytes > READ_BATCH_BYTES || resource.offset + resource.sizeInWimBytes > this.source.sizeBytes) return undefined;
    const stored = Buffer.allocUnsafe(resource.sizeInWimBytes);
    await this.source.readAt(stored, stored.length, resource.offset);
    return stored;
  }

  /**
   * The resource's original bytes, chunk by chunk; each yielded buffer is fresh (caller may keep
   * it). `stored`: what readSmall() returned for this resource, so it is not read again.
   */
  async *chunks(resource: ResourceHeader, signal?: AbortSignal, stored?: Buffer): AsyncGenerator<Uint8Array> {
    const { source, chunkSizeBytes } = this;
    if (resource.offset + resource.sizeInWimBytes > source.sizeBytes) {
      throw new InvalidFormatError('WimInvalid', 'resource', resource.offset, 'lies past the end of the file', { target: this.target });
    }
    if ((resource.flags & RESHDR_FLAG_COMPRESSED) === 0) {
      if (resource.sizeInWimBytes !== resource.originalSizeBytes) {
        throw new InvalidFormatError('WimInvalid', 'resource', resource.offset, 'uncompressed resource with differing sizes', { target: this.target });
      }
      if (stored !== undefined && stored.length === resource.originalSizeBytes) {
        yield stored;
        return;
      }
      for (let done = 0; done < resource.originalSizeBytes; ) {
        throwIfAborted(signal);
        const length = Math.min(READ_BATCH_BYTES, resource.originalSizeBytes - done);
        const buffer = Buffer.allocUnsafe(length);
        await source.readAt(buffer, length, resource.offset + done);
        done += length;
        yield buffer;
      }
      return;
    }
    const decoder = this.decoder;
    if (decoder === undefined) {
      throw new InvalidFormatError('WimInvalid', 'resource', resource.offset, 'a compressed resource in a WIM without compression', { target: this.target });
    }
    const geometry = chunkGeometry(resource, chunkSizeBytes);
    if (geometry.count === 0) return;
    const dataBytes = resource.sizeInWimBytes - geometry.tableSizeBytes;
    // A small resource (most files are) comes in with one read: its chunk table and every chunk.
    // Otherwise the table first, then the chunks in batches. Either way one read buffer per
    // stream: a batch, never more than this resource's chunk data, always enough for one chunk.
    let whole: Buffer | undefined;
    if (resource.sizeInWimBytes <= READ_BATCH_BYTES) {
      whole = stored?.length === resource.sizeInWimBytes ? stored : Buffer.allocUnsafe(resource.sizeInWimBytes);
    }
    let table: Buffer;
    let input: Buffer;
    if (whole !== undefined) {
      if (whole !== stored) await source.readAt(whole, whole.length, resource.offset);
      table = whole.subarray(0, geometry.tableSizeBytes);
      input = whole.subarray(geometry.tableSizeBytes);
    } else {
      table = Buffer.allocUnsafe(geometry.tableSizeBytes);
      await source.readAt(table, geometry.tableSizeBytes, resource.offset);
      input = Buffer.allocUnsafe(Math.min(dataBytes, Math.max(READ_BATCH_BYTES, chunkSizeBytes)));
    }
    const starts = parseChunkTable(table, resource, chunkSizeBytes, geometry);
    const dataStart = resource.offset + geometry.tableSizeBytes;
    let i = 0;
    while (i < geometry.count) {
      throwIfAborted(signal);
      let j = i + 1;
      while (j < geometry.count && starts[j + 1]! - starts[i]! <= input.length) j++;
      const batchStart = starts[i]!;
      // Already in memory when the whole resource was read (the table puts chunk 0 right after itself).
      const loaded = whole !== undefined && batchStart === dataStart && starts[j]! - batchStart <= input.length;
      if (!loaded) await source.readAt(input, starts[j]! - batchStart, batchStart);
      for (let k = i; k < j; k++) {
        const original = k === geometry.count - 1 ? resource.originalSizeBytes - k * chunkSizeBytes : chunkSizeBytes;
        const inStart = starts[k]! - batchStart;
        const inEnd = starts[k + 1]! - batchStart;
        const output = Buffer.allocUnsafe(original);
        if (inEnd - inStart === original) {
          input.copy(output, 0, inStart, inEnd);
        } else {
          try {
            decoder.decompress(input, inStart, inEnd, output, original, k);
          } catch (error: unknown) {
            if (error instanceof DecompressionError) {
              // Re-anchor the offset from chunk-relative to the file, for the error report.
              const reason = error.message.slice(error.message.indexOf(': ') + 2);
              throw new DecompressionError(error.codec, k, starts[k]! + error.offset, `${reason} (resource at file offset ${resource.offset})`, {
                target: this.target,
                cause: error,
              });
            }
            throw error;
          }
        }
        yield output;
      }
      i = j;
    }
  }

  /** A whole resource in memory (metadata, blob table, XML); refuses sizes above `maxBytes`. */
  async readAll(resource: ResourceHeader, maxBytes: number, structure: string): Promise<Uint8Array> {
    if (resource.originalSizeBytes > maxBytes) {
      throw new InvalidFormatError('WimInvalid', structure, resource.offset, `${resource.originalSizeBytes} bytes is more than the ${maxBytes} allowed`, { target: this.target });
    }
    if ((resource.flags & RESHDR_FLAG_COMPRESSED) !== 0) chunkGeometry(resource, this.chunkSizeBytes);
    const out = Buffer.allocUnsafe(resource.originalSizeBytes);
    let done = 0;
    for await (const chunk of this.chunks(resource)) {
      out.set(chunk, done);
      done += chunk.length;
    }
    return out;
  }
}
