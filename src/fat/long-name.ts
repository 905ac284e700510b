// VFAT long file name (LFN) directory entries. Microsoft FAT specification §7 "Long File Name
// Implementation (optional)": §7.1 the LDIR_* structure, §7.2 the checksum of the short name,
// §7.3 storage order (the last piece first, ordinal | 0x40; entries immediately precede their
// short entry), §7.4 "Name Limits and Character Sets" (255 UCS-2 characters).
// A name of 13·k characters fills k entries exactly; otherwise the last piece is terminated by one
// 0x0000 and padded with 0xFFFF (§7.1 note on LDIR_Name1).

import { InvalidFormatError } from '../errors.js';
import { ATTR_LONG_NAME, DIRECTORY_ENTRY_SIZE } from './directory-entry.js';

export const LONG_NAME_CHARS_PER_ENTRY = 13;
/** §7.4: a long name is at most 255 UCS-2 characters. */
export const LONG_NAME_MAX_CHARS = 255;
/** §7.1 LDIR_Ord: this bit marks the last (first stored) entry of a set. */
export const LAST_LONG_ENTRY = 0x40;

/** UCS-2 character offsets inside the entry: Name1 (5), Name2 (6), Name3 (2). */
const CHAR_OFFSETS = [0x01, 0x03, 0x05, 0x07, 0x09, 0x0e, 0x10, 0x12, 0x14, 0x16, 0x18, 0x1c, 0x1e] as const;

export interface LongNameEntry {
  /** +0x00 LDIR_Ord: 1-based piece number, | 0x40 on the last piece. */
  readonly ordinal: number;
  /** +0x01 LDIR_Name1 (5 chars), +0x0E LDIR_Name2 (6), +0x1C LDIR_Name3 (2): 13 UTF-16 code units. */
  readonly chars: readonly number[];
  // +0x0B LDIR_Attr = 0x0F, +0x0C LDIR_Type = 0
  /** +0x0D LDIR_Chksum: checksum of the 11-byte short name this entry belongs to. */
  readonly checksum: number;
  // +0x1A LDIR_FstClusLO = 0
}

/** §7.2 ChkSum(): rotate right by one and add each of the 11 short-name bytes, mod 256. */
export function shortNameChecksum(name: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = ((sum & 1 ? 0x80 : 0) + (sum >> 1) + name[i]!) & 0xff;
  return sum;
}

export function encodeLongNameEntry(entry: LongNameEntry, out = new Uint8Array(DIRECTORY_ENTRY_SIZE), offset = 0): Uint8Array {
  if (entry.chars.length !== LONG_NAME_CHARS_PER_ENTRY) throw new RangeError('an LFN entry holds 13 characters');
  const v = new DataView(out.buffer, out.byteOffset + offset, DIRECTORY_ENTRY_SIZE);
  out[offset] = entry.ordinal;
  out[offset + 0x0b] = ATTR_LONG_NAME;
  out[offset + 0x0c] = 0;
  out[offset + 0x0d] = entry.checksum;
  v.setUint16(0x1a, 0, true);
  CHAR_OFFSETS.forEach((at, i) => v.setUint16(at, entry.chars[i]!, true));
  return out;
}

export function parseLongNameEntry(bytes: Uint8Array, offset = 0): LongNameEntry {
  if (bytes.length < offset + DIRECTORY_ENTRY_SIZE) throw new InvalidFormatError('MediaInvalid', 'LFN entry', offset, 'truncated');
  if (bytes[offset + 0x0b] !== ATTR_LONG_NAME) throw new InvalidFormatError('MediaInvalid', 'LFN entry', offset + 0x0b, 'not a long name entry');
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, DIRECTORY_ENTRY_SIZE);
  return { ordinal: bytes[offset]!, chars: CHAR_OFFSETS.map((at) => v.getUint16(at, true)), checksum: bytes[offset + 0x0d]! };
}

/** The LFN entries for `name`, in on-disk order (last piece first), for the given short name. */
export function longNameEntries(name: string, shortName: Uint8Array): LongNameEntry[] {
  if (name.length === 0 || name.length > LONG_NAME_MAX_CHARS) throw new RangeError(`long name of ${name.length} characters`);
  const checksum = shortNameChecksum(shortName);
  const count = Math.ceil(name.length / LONG_NAME_CHARS_PER_ENTRY);
  const entries: LongNameEntry[] = [];
  for (let piece = count; piece >= 1; piece--) {
    const chars: number[] = [];
    for (let i = 0; i < LONG_NAME_CHARS_PER_ENTRY; i++) {
      const at = (piece - 1) * LONG_NAME_CHARS_PER_ENTRY + i;
      chars.push(at < name.length ? name.charCodeAt(at) : at === name.length ? 0x0000 : 0xffff);
    }
    entries.push({ ordinal: piece === count ? piece | LAST_LONG_ENTRY : piece, chars, checksum });
  }
  return entries;
}

/**
 * Reassemble a name from entries in on-disk order. Returns undefined when the set is not
 * consistent (ordinals, checksum, terminator): Windows then ignores the LFN and shows the 8.3 name.
 */
export function assembleLongName(entries: readonly LongNameEntry[], shortName: Uint8Array): string | undefined {
  if (entries.length === 0 || entries.length > 20) return undefined;
  const checksum = shortNameChecksum(shortName);
  const count = entries.length;
  if (entries[0]!.ordinal !== (count | LAST_LONG_ENTRY)) return undefined;
  const units: number[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const entry = entries[k]!;
    const piece = count - k;
    if ((entry.ordinal & ~LAST_LONG_ENTRY) !== piece || entry.checksum !== checksum) return undefined;
    units.push(...entry.chars);
  }
  const end = units.indexOf(0x0000);
  const used = end === -1 ? units : units.slice(0, end);
  if (used.length === 0 || used.length > LONG_NAME_MAX_CHARS || used.includes(0xffff)) return undefined;
  return String.fromCharCode(...used);
}
