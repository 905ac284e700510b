// The 208-byte WIM header at offset 0 (Microsoft "Windows Imaging File Format" §"WIM header";
// wimlib's documentation). Little-endian:
//   +0x00  u8[8]   magic "MSWIM\0\0\0" (pipable WIMs: "WLPWM\0\0\0")
//   +0x08  u32     header size (208)
//   +0x0C  u32     format version (0x10D00; 0x10B00 older; 0xE00 with solid resources)
//   +0x10  u32     flags (WIM_HDR_FLAG_*)
//   +0x14  u32     chunk size (0 in old WIMs = 32,768)
//   +0x18  u8[16]  GUID
//   +0x28  u16     part number (1-based)
//   +0x2A  u16     total parts
//   +0x2C  u32     image count
//   +0x30  reshdr  blob table ("lookup table")
//   +0x48  reshdr  XML data
//   +0x60  reshdr  boot metadata
//   +0x78  u32     boot index (0 = none)
//   +0x7C  reshdr  integrity table
//   +0x94  u8[60]  unused

import { CaptureMediaError, InvalidFormatError } from '../errors.js';
import { encodeResourceHeader, parseResourceHeader, type ResourceHeader } from './resource-header.js';

export const WIM_HEADER_SIZE = 208;
export const WIM_MAGIC = 'MSWIM\0\0\0';
export const PIPABLE_WIM_MAGIC = 'WLPWM\0\0\0';
export const WIM_VERSION_DEFAULT = 0x10d00;
export const WIM_VERSION_OLD = 0x10b00;
export const WIM_VERSION_SOLID = 0xe00;
export const WIM_HDR_FLAG_COMPRESSION = 0x2;
export const WIM_HDR_FLAG_SPANNED = 0x8;
export const WIM_HDR_FLAG_COMPRESS_XPRESS = 0x20000;
export const WIM_HDR_FLAG_COMPRESS_LZX = 0x40000;
export const WIM_HDR_FLAG_COMPRESS_LZMS = 0x80000;
/** wimlib's XPRESS2 (never written by Windows) */
export const WIM_HDR_FLAG_COMPRESS_XPRESS2 = 0x200000;
export const DEFAULT_CHUNK_SIZE = 32768;
/** Refuse image counts beyond this before allocating anything per image. */
const MAX_IMAGE_COUNT = 0xffff;

export type WimCompression = 'none' | 'xpress' | 'lzx';

export interface WimHeader {
  /** +0x08 */ headerSizeBytes: number;
  /** +0x0C */ version: number;
  /** +0x10 */ flags: number;
  /** +0x14 (0 normalised to 32,768) */ chunkSizeBytes: number;
  /** +0x18 */ guid: Uint8Array;
  /** +0x28 */ partNumber: number;
  /** +0x2A */ totalParts: number;
  /** +0x2C */ imageCount: number;
  /** +0x30 */ blobTable: ResourceHeader;
  /** +0x48 */ xmlData: ResourceHeader;
  /** +0x60 */ bootMetadata: ResourceHeader;
  /** +0x78 */ bootIndex: number;
  /** +0x7C */ integrityTable: ResourceHeader;
  /** Derived from the flags. */
  compression: WimCompression;
}

function magicAt(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes.subarray(0, 8));
}

/** Parse and validate the header; throws WimInvalid / WimUnsupportedCompression. */
export function parseWimHeader(bytes: Uint8Array, target?: string): WimHeader {
  const opts = target === undefined ? {} : { target };
  if (bytes.length < WIM_HEADER_SIZE) {
    throw new InvalidFormatError('WimInvalid', 'WIM header', 0, `the file is ${bytes.length} bytes, shorter than a WIM header`, opts);
  }
  const magic = magicAt(bytes);
  if (magic === PIPABLE_WIM_MAGIC) {
    throw new InvalidFormatError('WimInvalid', 'WIM header', 0, 'pipable WIMs are not supported; convert with `wimlib-imagex optimize`', opts);
  }
  if (magic !== WIM_MAGIC) throw new InvalidFormatError('WimInvalid', 'WIM header', 0, 'not a WIM file (bad magic)', opts);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSizeBytes = view.getUint32(0x08, true);
  if (headerSizeBytes !== WIM_HEADER_SIZE) {
    throw new InvalidFormatError('WimInvalid', 'WIM header', 0x08, `header size ${headerSizeBytes}, expected ${WIM_HEADER_SIZE}`, opts);
  }
  const version = view.getUint32(0x0c, true);
  if (version !== WIM_VERSION_DEFAULT && version !== WIM_VERSION_OLD && version !== WIM_VERSION_SOLID) {
    throw new InvalidFormatError('WimInvalid', 'WIM header', 0x0c, `unknown WIM version 0x${version.toString(16)}`, opts);
  }
  const flags = view.getUint32(0x10, true);
  const partNumber = view.getUint16(0x28, true);
  const totalParts = view.getUint16(0x2a, true);
  if (totalParts !== 1 || partNumber !== 1 || (flags & WIM_HDR_FLAG_SPANNED) !== 0) {
    throw new InvalidFormatError('WimInvalid', 'WIM header', 0x28, `split WIMs are not supported (part ${partNumber} of ${totalParts})`, opts);
  }
  let compression: WimCompression = 'none';
  if ((flags & WIM_HDR_FLAG_COMPRESSION) !== 0) {
    if ((flags & WIM_HDR_FLAG_COMPRESS_LZMS) !== 0) {
      throw new CaptureMediaError('WimUnsupportedCompression', 'The WIM uses LZMS compression, which is not supported; export it with LZX (`wimlib-imagex export … --compress=LZX`).', opts);
    }
    if ((flags & WIM_HDR_FLAG_COMPRESS_XPRESS2) !== 0) {
      throw new CaptureMediaError('WimUnsupportedCompression', 'The WIM uses XPRESS2 compression, which is not supported.', opts);
    }
    const lzx = (flags & WIM_HDR_FLAG_COMPRESS_LZX) !== 0;
    const xpress = (flags & WIM_HDR_FLAG_COMPRESS_XPRESS) !== 0;
    if (lzx === xpress) {
      throw new InvalidFormatError('WimInvalid', 'WIM header', 0x10, `compression flags 0x${flags.toString(16)} name no single known codec`, opts);
    }
    compression = lzx ? 'lzx' : 'xpress';
  }
  let chunkSizeBytes = view.getUint32(0x14, true);
  if (chunkSizeBytes === 0) chunkSizeBytes = DEFAULT_CHUNK_SIZE;
  if (compression !== 'none' && (chunkSizeBytes & (chunkSizeBytes - 1)) !== 0) {
    throw new InvalidFormatError('WimInvalid', 'WIM header', 0x14, `chunk size ${chunkSizeBytes} is not a power of two`, opts);
  }
  const imageCount = view.getUint32(0x2c, true);
  if (imageCount > MAX_IMAGE_COUNT) {
    throw new InvalidFormatError('WimInvalid', 'WIM header', 0x2c, `image count ${imageCount} is implausible`, opts);
  }
  const bootIndex = view.getUint32(0x78, true);
  if (bootIndex > imageCount) {
    throw new InvalidFormatError('WimInvalid', 'WIM header', 0x78, `boot index ${bootIndex} is beyond the ${imageCount} images`, opts);
  }
  return {
    headerSizeBytes,
    version,
    flags,
    chunkSizeBytes,
    guid: bytes.slice(0x18, 0x28),
    partNumber,
    totalParts,
    imageCount,
    blobTable: parseResourceHeader(bytes, 0x30),
    xmlData: parseResourceHeader(bytes, 0x48),
    bootMetadata: parseResourceHeader(bytes, 0x60),
    bootIndex,
    integrityTable: parseResourceHeader(bytes, 0x7c),
    compression,
  };
}

export function encodeWimHeader(header: WimHeader): Uint8Array {
  const bytes = new Uint8Array(WIM_HEADER_SIZE);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 8; i++) bytes[i] = WIM_MAGIC.charCodeAt(i);
  view.setUint32(0x08, header.headerSizeBytes, true);
  view.setUint32(0x0c, header.version, true);
  view.setUint32(0x10, header.flags, true);
  view.setUint32(0x14, header.chunkSizeBytes, true);
  bytes.set(header.guid.subarray(0, 16), 0x18);
  view.setUint16(0x28, header.partNumber, true);
  view.setUint16(0x2a, header.totalParts, true);
  view.setUint32(0x2c, header.imageCount, true);
  bytes.set(encodeResourceHeader(header.blobTable), 0x30);
  bytes.set(encodeResourceHeader(header.xmlData), 0x48);
  bytes.set(encodeResourceHeader(header.bootMetadata), 0x60);
  view.setUint32(0x78, header.bootIndex, true);
  bytes.set(encodeResourceHeader(header.integrityTable), 0x7c);
  return bytes;
}
