// The chunk table in front of every compressed WIM resource (Microsoft "Windows Imaging File
// Format" §"Compressed resources"; wimlib docs "Compressed resources"): the original data is cut
// into chunks of the header's chunk size, each compressed on its own; the resource starts with
// the offsets of chunks 1..n-1 relative to the end of the table (chunk 0 starts right there).
// Entries are u32, or u64 when the original size exceeds 4 GiB. A chunk whose stored size equals
// its original size is stored raw (the compressor keeps whichever is smaller).

import { InvalidFormatError } from '../errors.js';
import type { ResourceHeader } from './resource-header.js';

const FOUR_GIB = 0x1_0000_0000;

export interface ChunkGeometry {
  /** Number of chunks. */
  count: number;
  /** 4 or 8. */
  entrySizeBytes: number;
  /** (count - 1) × entrySizeBytes. */
  tableSizeBytes: number;
}

/** Work out, and sanity-check against the stored size, the table's shape before reading it. */
export function chunkGeometry(resource: ResourceHeader, chunkSizeBytes: number, at = resource.offset): ChunkGeometry {
  const count = Math.ceil(resource.originalSizeBytes / chunkSizeBytes);
  const entrySizeBytes = resource.originalSizeBytes > FOUR_GIB - 1 ? 8 : 4;
  const tableSizeBytes = Math.max(0, count - 1) * entrySizeBytes;
  // Every chunk needs at least one stored byte, and the table must fit inside the resource.
  if (tableSizeBytes + count > resource.sizeInWimBytes) {
    throw new InvalidFormatError(
      'WimInvalid',
      'chunk table',
      at,
      `${count} chunks (${resource.originalSizeBytes} bytes) cannot fit in a ${resource.sizeInWimBytes}-byte resource`,
    );
  }
  return { count, entrySizeBytes, tableSizeBytes };
}

/**
 * Parse the table (`bytes` = exactly tableSizeBytes) into absolute file offsets: chunk i occupies
 * [starts[i], starts[i + 1]). Offsets must increase and each chunk must be no larger stored than
 * its original size.
 */
export function parseChunkTable(bytes: Uint8Array, resource: ResourceHeader, chunkSizeBytes: number, geometry: ChunkGeometry): Float64Array {
  const { count, entrySizeBytes, tableSizeBytes } = geometry;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = resource.offset + tableSizeBytes;
  const end = resource.offset + resource.sizeInWimBytes;
  const starts = new Float64Array(count + 1);
  starts[0] = base;
  for (let i = 1; i < count; i++) {
    const at = (i - 1) * entrySizeBytes;
    const relative =
      entrySizeBytes === 4 ? view.getUint32(at, true) : view.getUint32(at, true) + view.getUint32(at + 4, true) * FOUR_GIB;
    starts[i] = base + relative;
  }
  starts[count] = end;
  for (let i = 0; i < count; i++) {
    const stored = starts[i + 1]! - starts[i]!;
    const original = i === count - 1 ? resource.originalSizeBytes - i * chunkSizeBytes : chunkSizeBytes;
    if (stored <= 0 || stored > original) {
      throw new InvalidFormatError(
        'WimInvalid',
        'chunk table',
        resource.offset + Math.max(0, i - 1) * entrySizeBytes,
        `chunk ${i} has a stored size of ${stored} bytes for ${original} original bytes`,
      );
    }
  }
  return starts;
}

/** Encode a chunk table from the stored size of each chunk (used by tests to build WIMs). */
export function encodeChunkTable(storedSizes: readonly number[], originalSizeBytes: number): Uint8Array {
  const entrySizeBytes = originalSizeBytes > FOUR_GIB - 1 ? 8 : 4;
  const bytes = new Uint8Array(Math.max(0, storedSizes.length - 1) * entrySizeBytes);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (let i = 1; i < storedSizes.length; i++) {
    offset += storedSizes[i - 1]!;
    if (entrySizeBytes === 4) view.setUint32((i - 1) * 4, offset, true);
    else view.setBigUint64((i - 1) * 8, BigInt(offset), true);
  }
  return bytes;
}
