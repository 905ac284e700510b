// The blob table ("lookup table"): one 50-byte entry per stored blob (Microsoft "Windows Imaging
// File Format" §"Lookup table"; wimlib's documentation). Little-endian:
//   +0x00  reshdr   where the blob is and how it is stored (24 bytes)
//   +0x18  u16      part number
//   +0x1A  u32      reference count
//   +0x1E  u8[20]   SHA-1 of the uncompressed blob
// Metadata resources (one per image, in image order) carry RESHDR_FLAG_METADATA.

import { CaptureMediaError, InvalidFormatError } from '../errors.js';
import {
  encodeResourceHeader,
  parseResourceHeader,
  RESHDR_FLAG_METADATA,
  RESHDR_FLAG_SOLID,
  validateResourceHeader,
  type ResourceHeader,
} from './resource-header.js';

export const BLOB_ENTRY_SIZE = 50;

export interface BlobEntry {
  /** +0x00 */ resource: ResourceHeader;
  /** +0x18 */ partNumber: number;
  /** +0x1A */ referenceCount: number;
  /** +0x1E lowercase hex */ sha1: string;
}

export interface BlobTable {
  /** Data blobs by SHA-1 (lowercase hex). */
  readonly blobs: ReadonlyMap<string, BlobEntry>;
  /** Metadata resources in image order. */
  readonly metadata: readonly BlobEntry[];
}

export function parseBlobEntry(bytes: Uint8Array, offset: number): BlobEntry {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    resource: parseResourceHeader(bytes, offset),
    partNumber: view.getUint16(offset + 0x18, true),
    referenceCount: view.getUint32(offset + 0x1a, true),
    sha1: Buffer.from(bytes.buffer, bytes.byteOffset + offset + 0x1e, 20).toString('hex'),
  };
}

export function encodeBlobEntry(entry: BlobEntry): Uint8Array {
  const bytes = new Uint8Array(BLOB_ENTRY_SIZE);
  const view = new DataView(bytes.buffer);
  bytes.set(encodeResourceHeader(entry.resource), 0);
  view.setUint16(0x18, entry.partNumber, true);
  view.setUint32(0x1a, entry.referenceCount, true);
  bytes.set(Buffer.from(entry.sha1, 'hex'), 0x1e);
  return bytes;
}

/** Parse the whole (decompressed) table and validate each entry against the file size. */
export function parseBlobTable(bytes: Uint8Array, fileSizeBytes: number, target?: string): BlobTable {
  const opts = target === undefined ? {} : { target };
  if (bytes.length % BLOB_ENTRY_SIZE !== 0) {
    throw new InvalidFormatError('WimInvalid', 'blob table', 0, `size ${bytes.length} is not a multiple of ${BLOB_ENTRY_SIZE}`, opts);
  }
  const blobs = new Map<string, BlobEntry>();
  const metadata: BlobEntry[] = [];
  for (let at = 0; at < bytes.length; at += BLOB_ENTRY_SIZE) {
    const entry = parseBlobEntry(bytes, at);
    if ((entry.resource.flags & RESHDR_FLAG_SOLID) !== 0) {
      throw new CaptureMediaError('WimUnsupportedCompression', 'The WIM holds solid resources (solid compression, WIM version 0xE00), which are not supported; export it without --solid.', opts);
    }
    validateResourceHeader(entry.resource, fileSizeBytes, 'blob table entry', at);
    if (entry.partNumber !== 1) {
      throw new InvalidFormatError('WimInvalid', 'blob table entry', at + 0x18, `blob in part ${entry.partNumber} of a split WIM`, opts);
    }
    if ((entry.resource.flags & RESHDR_FLAG_METADATA) !== 0) metadata.push(entry);
    else if (!blobs.has(entry.sha1)) blobs.set(entry.sha1, entry);
  }
  return { blobs, metadata };
}
