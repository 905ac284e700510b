// The WIM resource header ("reshdr"): where a resource lies in the file and how it is stored.
// (Microsoft "Windows Imaging File Format" §"Resource header"; wimlib's documentation). 24 bytes, LE:
//   +0x00  7 bytes  size of the resource in the file (56-bit)
//   +0x07  u8       flags (RESHDR_FLAG_*)
//   +0x08  u64      offset of the resource in the file
//   +0x10  u64      original (uncompressed) size

import { InvalidFormatError } from '../errors.js';

export const RESOURCE_HEADER_SIZE = 24;
/** The resource was freed (not referenced). */
export const RESHDR_FLAG_FREE = 0x01;
/** An image's metadata resource (dentries). */
export const RESHDR_FLAG_METADATA = 0x02;
/** Stored compressed, with a chunk table (see chunks.ts). */
export const RESHDR_FLAG_COMPRESSED = 0x04;
/** Spanned across parts of a split WIM. */
export const RESHDR_FLAG_SPANNED = 0x08;
/** A solid resource (WIM version 0xE00): many blobs compressed together; not supported. */
export const RESHDR_FLAG_SOLID = 0x10;

export interface ResourceHeader {
  /** +0x00 bytes the resource occupies in the file. */
  sizeInWimBytes: number;
  /** +0x07 RESHDR_FLAG_* bits. */
  flags: number;
  /** +0x08 absolute file offset. */
  offset: number;
  /** +0x10 size once decompressed. */
  originalSizeBytes: number;
}

/** Read a 64-bit little-endian value as a Number, refusing values above 2^53. */
export function readU64(bytes: Uint8Array, offset: number, structure: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(offset, true);
  const high = view.getUint32(offset + 4, true);
  if (high > 0x1fffff) throw new InvalidFormatError('WimInvalid', structure, offset, 'a 64-bit field is too large');
  return high * 0x1_0000_0000 + low;
}

export function parseResourceHeader(bytes: Uint8Array, offset: number): ResourceHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sizeLow = view.getUint32(offset, true);
  const sizeHigh = view.getUint16(offset + 4, true) + bytes[offset + 6]! * 0x10000;
  if (sizeHigh > 0x1fffff) throw new InvalidFormatError('WimInvalid', 'resource header', offset, 'size is too large');
  return {
    sizeInWimBytes: sizeHigh * 0x1_0000_0000 + sizeLow,
    flags: bytes[offset + 7]!,
    offset: readU64(bytes, offset + 8, 'resource header'),
    originalSizeBytes: readU64(bytes, offset + 16, 'resource header'),
  };
}

export function encodeResourceHeader(header: ResourceHeader): Uint8Array {
  const bytes = new Uint8Array(RESOURCE_HEADER_SIZE);
  const view = new DataView(bytes.buffer);
  const size = header.sizeInWimBytes;
  view.setUint32(0, size % 0x1_0000_0000, true);
  const high = Math.floor(size / 0x1_0000_0000);
  view.setUint16(4, high & 0xffff, true);
  bytes[6] = (high >>> 16) & 0xff;
  bytes[7] = header.flags;
  view.setBigUint64(8, BigInt(header.offset), true);
  view.setBigUint64(16, BigInt(header.originalSizeBytes), true);
  return bytes;
}

/** A resource must lie inside the file, and an uncompressed one must be its own size. */
export function validateResourceHeader(header: ResourceHeader, fileSizeBytes: number, structure: string, at: number): void {
  if (header.offset + header.sizeInWimBytes > fileSizeBytes) {
    throw new InvalidFormatError('WimInvalid', structure, at, `resource (${header.sizeInWimBytes} bytes at ${header.offset}) lies past the end of the ${fileSizeBytes}-byte file`);
  }
  if ((header.flags & RESHDR_FLAG_COMPRESSED) === 0 && header.sizeInWimBytes !== header.originalSizeBytes) {
    throw new InvalidFormatError('WimInvalid', structure, at, 'an uncompressed resource whose stored and original sizes differ');
  }
}
