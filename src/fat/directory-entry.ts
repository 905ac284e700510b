// The 32-byte short (8.3) directory entry, and FAT date/time encoding.
// Microsoft FAT specification §6 "FAT Directory Structure" (DIR_Name .. DIR_FileSize), §6.1
// "File/Directory Name (field DIR_Name)" (0xE5/0x05, "." and ".." entries) and §6.3 "Date and
// Time Formats". DIR_NTRes (+0x0C) is "reserved for Windows NT" in the spec; Windows uses bits
// 0x08 (base name lower case) and 0x10 (extension lower case) to show an all-lowercase 8.3 name
// without a long name entry, and so do Linux vfat and mtools.

import { InvalidFormatError } from '../errors.js';

export const DIRECTORY_ENTRY_SIZE = 32;

/** §6 DIR_Attr bits. */
export const ATTR_READ_ONLY = 0x01;
export const ATTR_HIDDEN = 0x02;
export const ATTR_SYSTEM = 0x04;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
/** READ_ONLY|HIDDEN|SYSTEM|VOLUME_ID marks a long name entry (§7). */
export const ATTR_LONG_NAME = 0x0f;

/** DIR_NTRes case bits (Windows NT and later). */
export const NTRES_LOWER_BASE = 0x08;
export const NTRES_LOWER_EXT = 0x10;

/** §6.1: DIR_Name[0] = 0xE5 marks a free entry, 0x00 the end of the directory. */
export const ENTRY_FREE = 0xe5;
export const ENTRY_END = 0x00;
/** §6.1: a name really starting with 0xE5 (a KANJI lead byte) is stored as 0x05. */
export const ENTRY_E5_ESCAPE = 0x05;

export interface DirectoryEntry {
  /** +0x00 DIR_Name: 11 bytes, 8 base + 3 extension, space padded, no dot. */
  readonly name: Uint8Array;
  /** +0x0B DIR_Attr. */
  readonly attributes: number;
  /** +0x0C DIR_NTRes: case bits. */
  readonly ntReserved: number;
  /** +0x0D DIR_CrtTimeTenth: 10 ms units, 0..199, refining CrtTime's 2-second resolution. */
  readonly createdTimeTenth: number;
  /** +0x0E DIR_CrtTime, +0x10 DIR_CrtDate. */
  readonly createdTime: number;
  readonly createdDate: number;
  /** +0x12 DIR_LstAccDate. */
  readonly accessedDate: number;
  /** +0x14 DIR_FstClusHI and +0x1A DIR_FstClusLO, combined. 0 for empty files and for ".." of a root child. */
  readonly firstClusterIndex: number;
  /** +0x16 DIR_WrtTime, +0x18 DIR_WrtDate. */
  readonly writeTime: number;
  readonly writeDate: number;
  /** +0x1C DIR_FileSize (0 for directories). */
  readonly sizeBytes: number;
}

export function encodeDirectoryEntry(entry: DirectoryEntry, out = new Uint8Array(DIRECTORY_ENTRY_SIZE), offset = 0): Uint8Array {
  if (entry.name.length !== 11) throw new RangeError('DIR_Name is 11 bytes');
  const v = new DataView(out.buffer, out.byteOffset + offset, DIRECTORY_ENTRY_SIZE);
  out.set(entry.name, offset);
  out[offset + 0x0b] = entry.attributes;
  out[offset + 0x0c] = entry.ntReserved;
  out[offset + 0x0d] = entry.createdTimeTenth;
  v.setUint16(0x0e, entry.createdTime, true);
  v.setUint16(0x10, entry.createdDate, true);
  v.setUint16(0x12, entry.accessedDate, true);
  v.setUint16(0x14, (entry.firstClusterIndex >>> 16) & 0xffff, true);
  v.setUint16(0x16, entry.writeTime, true);
  v.setUint16(0x18, entry.writeDate, true);
  v.setUint16(0x1a, entry.firstClusterIndex & 0xffff, true);
  v.setUint32(0x1c, entry.sizeBytes >>> 0, true);
  return out;
}

export function parseDirectoryEntry(bytes: Uint8Array, offset = 0): DirectoryEntry {
  if (bytes.length < offset + DIRECTORY_ENTRY_SIZE) {
    throw new InvalidFormatError('MediaInvalid', 'FAT directory entry', offset, 'truncated');
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, DIRECTORY_ENTRY_SIZE);
  return {
    name: bytes.slice(offset, offset + 11),
    attributes: bytes[offset + 0x0b]!,
    ntReserved: bytes[offset + 0x0c]!,
    createdTimeTenth: bytes[offset + 0x0d]!,
    createdTime: v.getUint16(0x0e, true),
    createdDate: v.getUint16(0x10, true),
    accessedDate: v.getUint16(0x12, true),
    firstClusterIndex: ((v.getUint16(0x14, true) << 16) | v.getUint16(0x1a, true)) >>> 0,
    writeTime: v.getUint16(0x16, true),
    writeDate: v.getUint16(0x18, true),
    sizeBytes: v.getUint32(0x1c, true),
  };
}

/** A FAT timestamp: date and 2-second time fields plus the 10 ms creation refinement. */
export interface FatTimestamp {
  readonly date: number;
  readonly time: number;
  readonly tenth: number;
}

/**
 * §6.3: date = (year-1980)<<9 | month<<5 | day; time = hours<<11 | minutes<<5 | seconds/2.
 * FAT stores local time with no zone; we record UTC so that the same options produce the same
 * bytes on every machine (reproducible media). Out-of-range dates clamp to 1980-01-01 / 2107-12-31.
 */
export function toFatTimestamp(when: Date): FatTimestamp {
  const ms = when.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date for a FAT timestamp');
  const year = when.getUTCFullYear();
  if (year < 1980) return { date: (0 << 9) | (1 << 5) | 1, time: 0, tenth: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29, tenth: 100 };
  const seconds = when.getUTCSeconds();
  return {
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (seconds >> 1),
    tenth: (seconds & 1) * 100 + Math.floor(when.getUTCMilliseconds() / 10),
  };
}

/** Inverse of toFatTimestamp (UTC), for the reader. */
export function fromFatTimestamp(date: number, time: number, tenth = 0): Date {
  const year = 1980 + (date >> 9);
  const month = Math.max(1, (date >> 5) & 0x0f) - 1;
  const day = Math.max(1, date & 0x1f);
  const ms = Date.UTC(year, month, day, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2) + tenth * 10;
  return new Date(ms);
}

/** "NAME    EXT" bytes -> "NAME.EXT", applying the NT lower-case bits. */
export function shortNameToString(name: Uint8Array, ntReserved = 0): string {
  const first = name[0] === ENTRY_E5_ESCAPE ? ENTRY_FREE : name[0]!;
  const bytes = [first, ...name.subarray(1, 11)];
  let base = String.fromCharCode(...bytes.slice(0, 8)).replace(/ +$/, '');
  let ext = String.fromCharCode(...bytes.slice(8, 11)).replace(/ +$/, '');
  if (ntReserved & NTRES_LOWER_BASE) base = base.toLowerCase();
  if (ntReserved & NTRES_LOWER_EXT) ext = ext.toLowerCase();
  return ext.length > 0 ? `${base}.${ext}` : base;
}
