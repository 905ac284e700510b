// A directory entry ("dentry") in an image's metadata resource (Microsoft "Windows Imaging File
// Format" §"Directory entry"; wimlib's documentation). Little-endian:
//   +0x00  u64     length of this dentry (fixed part + names + tagged items); 0 = end of directory
//   +0x08  u32     attributes (FILE_ATTRIBUTE_*)
//   +0x0C  i32     security id (-1 = none)
//   +0x10  u64     offset of the first child in the metadata resource (0 = none)
//   +0x18  u8[16]  unused
//   +0x28  u64     creation time (FILETIME)
//   +0x30  u64     last access time
//   +0x38  u64     last write time
//   +0x40  u8[20]  SHA-1 of the unnamed data stream (zero = empty)
//   +0x54  u32     unknown
//   +0x58  u32/u64 reparse tag (reparse points) or hard link group id
//   +0x60  u16     number of extra stream entries
//   +0x62  u16     short (8.3) name length in bytes
//   +0x64  u16     name length in bytes
//   +0x66  name (UTF-16LE, + 2-byte NUL when non-empty), short name (same), then tagged items
//          (wimlib: object ids, UNIX data) up to `length`
// The extra stream entries follow at the next 8-byte boundary after `length`, each:
//   +0x00  u64     length of the entry   +0x08 u64 reserved   +0x10 u8[20] SHA-1
//   +0x24  u16     name length in bytes  +0x26 name (UTF-16LE, + NUL when non-empty)
// The next sibling starts at the 8-byte boundary after the last stream entry.

import { InvalidFormatError } from '../errors.js';
import { readU64 } from './resource-header.js';

export const DENTRY_FIXED_SIZE = 0x66;
export const STREAM_ENTRY_FIXED_SIZE = 0x26;
export const FILE_ATTRIBUTE_DIRECTORY = 0x10;
export const FILE_ATTRIBUTE_REPARSE_POINT = 0x400;

export interface StreamEntry {
  /** +0x00 */ lengthBytes: number;
  /** +0x08 */ reserved: bigint;
  /** +0x10 lowercase hex, '' when zero */ sha1: string;
  /** +0x26 '' for the unnamed (default) data stream */ name: string;
  /** Bytes after the name (and its NUL) up to lengthBytes, kept for exact re-encoding. */
  trailing: Uint8Array;
}

export interface Dentry {
  /** Offset of this dentry in the metadata resource. */
  offset: number;
  /** +0x00 */ lengthBytes: number;
  /** +0x08 */ attributes: number;
  /** +0x0C */ securityId: number;
  /** +0x10 */ subdirOffset: number;
  /** +0x28 FILETIME */ creationTime: bigint;
  /** +0x30 FILETIME */ lastAccessTime: bigint;
  /** +0x38 FILETIME, 100 ns units since 1601 */ lastWriteTime: bigint;
  /** +0x40 lowercase hex, '' when zero */ sha1: string;
  /** +0x54 */ unknown0x54: number;
  /** +0x58 reparse tag (+ reserved, flags) or hard link group id */ reparseOrLinkGroup: bigint;
  /** +0x66 */ name: string;
  /** after the name */ shortName: string;
  /** Tagged items (wimlib's extra data) and padding after the names, up to lengthBytes. */
  trailing: Uint8Array;
  /** Stream entries after the dentry (+0x60 holds their count). */
  streams: StreamEntry[];
  /** Offset of the next sibling. */
  nextOffset: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

export function hashHex(bytes: Uint8Array, offset: number): string {
  for (let i = 0; i < 20; i++) if (bytes[offset + i] !== 0) return Buffer.from(bytes.buffer, bytes.byteOffset + offset, 20).toString('hex');
  return '';
}

function fail(offset: number, message: string): never {
  throw new InvalidFormatError('WimInvalid', 'dentry', offset, message);
}

const utf16 = (bytes: Uint8Array, offset: number, length: number): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + offset, length).toString('utf16le');

/** Parse the dentry at `offset`, or return undefined for an end-of-directory marker. */
export function parseDentry(bytes: Uint8Array, offset: number): Dentry | undefined {
  if (offset % 8 !== 0 || offset + 8 > bytes.length) fail(offset, 'lies outside the metadata resource');
  const lengthBytes = readU64(bytes, offset, 'dentry');
  if (lengthBytes === 0) return undefined;
  if (lengthBytes < DENTRY_FIXED_SIZE || offset + lengthBytes > bytes.length) fail(offset, `length ${lengthBytes} is invalid`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const streamCount = view.getUint16(offset + 0x60, true);
  const shortNameBytes = view.getUint16(offset + 0x62, true);
  const nameBytes = view.getUint16(offset + 0x64, true);
  if (nameBytes % 2 !== 0 || shortNameBytes % 2 !== 0) fail(offset, 'odd name length');
  const shortNameAt = DENTRY_FIXED_SIZE + (nameBytes > 0 ? nameBytes + 2 : 0);
  const namesEnd = shortNameAt + (shortNameBytes > 0 ? shortNameBytes + 2 : 0);
  if (namesEnd > lengthBytes) fail(offset, 'names run past the dentry');

  const streams: StreamEntry[] = [];
  let next = align8(offset + lengthBytes);
  for (let i = 0; i < streamCount; i++) {
    if (next + STREAM_ENTRY_FIXED_SIZE > bytes.length) fail(next, 'stream entry lies outside the metadata resource');
    const streamLength = readU64(bytes, next, 'stream entry');
    const streamNameBytes = view.getUint16(next + 0x24, true);
    const streamNameEnd = STREAM_ENTRY_FIXED_SIZE + (streamNameBytes > 0 ? streamNameBytes + 2 : 0);
    if (streamLength < STREAM_ENTRY_FIXED_SIZE || next + streamLength > bytes.length || streamNameBytes % 2 !== 0 || streamNameEnd > streamLength) {
      fail(next, 'invalid stream entry');
    }
    streams.push({
      lengthBytes: streamLength,
      reserved: view.getBigUint64(next + 0x08, true),
      sha1: hashHex(bytes, next + 0x10),
      name: utf16(bytes, next + STREAM_ENTRY_FIXED_SIZE, streamNameBytes),
      trailing: bytes.slice(next + streamNameEnd, next + streamLength),
    });
    next = align8(next + streamLength);
  }
  if (next > bytes.length) fail(offset, 'runs past the metadata resource');
  return {
    offset,
    lengthBytes,
    attributes: view.getUint32(offset + 0x08, true),
    securityId: view.getInt32(offset + 0x0c, true),
    subdirOffset: readU64(bytes, offset + 0x10, 'dentry'),
    creationTime: view.getBigUint64(offset + 0x28, true),
    lastAccessTime: view.getBigUint64(offset + 0x30, true),
    lastWriteTime: view.getBigUint64(offset + 0x38, true),
    sha1: hashHex(bytes, offset + 0x40),
    unknown0x54: view.getUint32(offset + 0x54, true),
    reparseOrLinkGroup: view.getBigUint64(offset + 0x58, true),
    name: utf16(bytes, offset + DENTRY_FIXED_SIZE, nameBytes),
    shortName: utf16(bytes, offset + shortNameAt, shortNameBytes),
    trailing: bytes.slice(offset + namesEnd, offset + lengthBytes),
    streams,
    nextOffset: next,
  };
}

/** Encode a dentry and its stream entries (zero-padded to 8-byte boundaries), the inverse of parseDentry. */
export function encodeDentry(d: Omit<Dentry, 'offset' | 'nextOffset'>): Uint8Array {
  const total = align8(d.lengthBytes) + d.streams.reduce((sum, s) => sum + align8(s.lengthBytes), 0);
  const b = Buffer.alloc(total);
  b.writeBigUInt64LE(BigInt(d.lengthBytes), 0x00);
  b.writeUInt32LE(d.attributes, 0x08);
  b.writeInt32LE(d.securityId, 0x0c);
  b.writeBigUInt64LE(BigInt(d.subdirOffset), 0x10);
  b.writeBigUInt64LE(d.creationTime, 0x28);
  b.writeBigUInt64LE(d.lastAccessTime, 0x30);
  b.writeBigUInt64LE(d.lastWriteTime, 0x38);
  if (d.sha1 !== '') Buffer.from(d.sha1, 'hex').copy(b, 0x40);
  b.writeUInt32LE(d.unknown0x54, 0x54);
  b.writeBigUInt64LE(d.reparseOrLinkGroup, 0x58);
  b.writeUInt16LE(d.streams.length, 0x60);
  const nameBytes = Buffer.byteLength(d.name, 'utf16le');
  const shortNameBytes = Buffer.byteLength(d.shortName, 'utf16le');
  b.writeUInt16LE(shortNameBytes, 0x62);
  b.writeUInt16LE(nameBytes, 0x64);
  let at = DENTRY_FIXED_SIZE;
  if (nameBytes > 0) at += b.write(d.name, at, 'utf16le') + 2;
  if (shortNameBytes > 0) at += b.write(d.shortName, at, 'utf16le') + 2;
  b.set(d.trailing, at);
  at = align8(d.lengthBytes);
  for (const s of d.streams) {
    b.writeBigUInt64LE(BigInt(s.lengthBytes), at);
    b.writeBigUInt64LE(s.reserved, at + 0x08);
    if (s.sha1 !== '') Buffer.from(s.sha1, 'hex').copy(b, at + 0x10);
    const n = Buffer.byteLength(s.name, 'utf16le');
    b.writeUInt16LE(n, at + 0x24);
    let p = at + STREAM_ENTRY_FIXED_SIZE;
    if (n > 0) p += b.write(s.name, p, 'utf16le') + 2;
    b.set(s.trailing, p);
    at += align8(s.lengthBytes);
  }
  return b;
}

/** The fixed part plus names, NUL-terminated, rounded up to 8: the length a minimal dentry needs. */
export function minimalDentryLength(name: string, shortName = ''): number {
  const n = Buffer.byteLength(name, 'utf16le');
  const s = Buffer.byteLength(shortName, 'utf16le');
  return align8(DENTRY_FIXED_SIZE + (n > 0 ? n + 2 : 0) + (s > 0 ? s + 2 : 0));
}

/** The SHA-1 of the unnamed data stream: an unnamed extra stream entry wins over the dentry's hash. */
export function unnamedStreamHash(dentry: Dentry): string {
  for (const stream of dentry.streams) if (stream.name === '' && stream.sha1 !== '') return stream.sha1;
  return dentry.sha1;
}

/** FILETIME (100 ns ticks since 1601-01-01 UTC) to Date. */
export function filetimeToDate(filetime: bigint): Date {
  const ms = Number(filetime / 10000n) - 11_644_473_600_000;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}
