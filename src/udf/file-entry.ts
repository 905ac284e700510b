// ECMA-167 4/14.9 File Entry and 4/14.17 Extended File Entry (UDF 2.x; read too, so a disc made
// by a newer tool is not refused for it): the file's type, size, modification time and where its
// bytes are — allocation descriptors after the extended attributes, or the bytes themselves
// embedded in the entry (ICB tag flags 3, 4/14.6.8).

import { InvalidFormatError } from '../errors.js';
import { TAG_EXTENDED_FILE_ENTRY, TAG_FILE_ENTRY, type DescriptorTag } from './tag.js';

/** 4/14.6.6 file types. */
export const FILE_TYPE_DIRECTORY = 4;
export const FILE_TYPE_REGULAR = 5;

/** 4/14.6.8 ICB flags bits 0-2: how the allocation descriptors are recorded. */
export const AD_SHORT = 0;
export const AD_LONG = 1;
export const AD_EXTENDED = 2;
export const AD_EMBEDDED = 3;

export interface FileEntry {
  /** ICB tag (+0x10) +0x0B */ readonly fileType: number;
  /** ICB tag +0x12, bits 0-2 */ readonly adType: number;
  /** +0x38 */ readonly informationLength: number;
  /** FE +0x54, EFE +0x5C */ readonly modified: Date;
  /** Allocation descriptors (or embedded data): offset and length within the block. */
  readonly adOffset: number;
  readonly adLength: number;
}

/** 1/7.3 timestamp: type and time zone, year, month, day, hour, minute, second, fractions. */
export function parseTimestamp(block: Uint8Array, offset: number): Date {
  const view = Buffer.from(block.buffer, block.byteOffset + offset, 12);
  const typeAndZone = view.readUInt16LE(0);
  let zone = typeAndZone & 0x0fff;
  if (zone & 0x0800) zone -= 0x1000;
  const offsetMinutes = typeAndZone >> 12 === 1 && zone !== -2047 ? zone : 0;
  const utc = Date.UTC(view.readInt16LE(2), Math.max(0, view[4]! - 1), view[5]!, view[6]!, view[7]!, view[8]!, view[9]! * 10);
  return new Date(utc - offsetMinutes * 60_000);
}

export function parseFileEntry(block: Uint8Array, tag: DescriptorTag, where: number): FileEntry {
  const view = Buffer.from(block.buffer, block.byteOffset, block.length);
  const extended = tag.identifier === TAG_EXTENDED_FILE_ENTRY;
  if (!extended && tag.identifier !== TAG_FILE_ENTRY) throw new InvalidFormatError('MediaInvalid', 'UDF file entry', where, `tag ${tag.identifier} is not a file entry`);
  const eaLengthAt = extended ? 0xd0 : 0xa8;
  const fixed = extended ? 0xd8 : 0xb0;
  const eaLength = view.readUInt32LE(eaLengthAt);
  const adLength = view.readUInt32LE(eaLengthAt + 4);
  if (fixed + eaLength + adLength > block.length) {
    throw new InvalidFormatError('MediaInvalid', 'UDF file entry', where + eaLengthAt, `extended attributes (${eaLength}) and allocation descriptors (${adLength}) run past the block`);
  }
  const informationLength = Number(view.readBigUInt64LE(0x38));
  if (!Number.isSafeInteger(informationLength)) throw new InvalidFormatError('MediaInvalid', 'UDF file entry', where + 0x38, 'implausible file size');
  return {
    fileType: view[0x10 + 0x0b]!,
    adType: view.readUInt16LE(0x10 + 0x12) & 0x7,
    informationLength,
    modified: parseTimestamp(block, extended ? 0x5c : 0x54),
    adOffset: fixed + eaLength,
    adLength,
  };
}
