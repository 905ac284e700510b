// Directory Record (ECMA-119 §9.1) and the directory extent that holds a sequence of them
// (§6.8.1). A record never crosses a sector boundary (§6.8.1.1): when the next record does not fit
// in what is left of a sector, the rest of that sector is zero and the record starts the next one.
// Readers treat a zero length byte as "skip to the next sector".

import { InvalidFormatError } from '../errors.js';
import { encodeRecordingDate, parseRecordingDate } from './dates.js';
import { assertRange, readBoth32, SECTOR_BYTES, writeBoth16, writeBoth32 } from './fields.js';

/** §9.1: 33 fixed bytes before the file identifier. */
export const DIRECTORY_RECORD_FIXED_SIZE = 33;
/** The root directory record inside a volume descriptor: 33 + a 1-byte identifier (§8.4.18). */
export const ROOT_DIRECTORY_RECORD_SIZE = 34;

/** §9.1.6 file flags. */
export const FILE_FLAG_HIDDEN = 0x01; // bit 0 "Existence": the user need not be told about it
export const FILE_FLAG_DIRECTORY = 0x02; // bit 1 "Directory"
export const FILE_FLAG_MULTI_EXTENT = 0x80; // bit 7: not the final record of the file

/** §6.8.2.2: the identifiers of the "." and ".." records are the single bytes 0x00 and 0x01. */
export const SELF_IDENTIFIER = new Uint8Array([0x00]);
export const PARENT_IDENTIFIER = new Uint8Array([0x01]);

export interface DirectoryRecord {
  /** +0x02 Location of Extent (both-endian 32). */
  readonly extentLba: number;
  /** +0x0A Data Length in bytes (both-endian 32). */
  readonly dataLengthBytes: number;
  /** +0x12 Recording Date and Time (7 bytes, §9.1.5). */
  readonly recordedAt: Date;
  /** +0x19 File Flags (§9.1.6). */
  readonly flags: number;
  /** +0x21 File Identifier: d-characters / UCS-2 BE bytes, or 0x00 / 0x01 for "." and "..". */
  readonly identifier: Uint8Array;
}

/** §9.1.12: a padding byte follows an even-length identifier so the record length stays even. */
export function directoryRecordSize(identifierBytes: number): number {
  return DIRECTORY_RECORD_FIXED_SIZE + identifierBytes + (identifierBytes % 2 === 0 ? 1 : 0);
}

export function encodeDirectoryRecord(record: DirectoryRecord, bytes: Uint8Array, offset: number): number {
  const size = directoryRecordSize(record.identifier.length);
  if (size > 255) throw new RangeError(`directory record of ${size} bytes`);
  bytes.fill(0, offset, offset + size);
  bytes[offset + 0x00] = size; // +0x00 Length of Directory Record
  bytes[offset + 0x01] = 0; // +0x01 Extended Attribute Record Length: none
  writeBoth32(bytes, offset + 0x02, record.extentLba); // +0x02 Location of Extent
  writeBoth32(bytes, offset + 0x0a, record.dataLengthBytes); // +0x0A Data Length
  encodeRecordingDate(record.recordedAt, bytes, offset + 0x12); // +0x12 Recording Date and Time
  bytes[offset + 0x19] = record.flags; // +0x19 File Flags
  bytes[offset + 0x1a] = 0; // +0x1A File Unit Size: not interleaved
  bytes[offset + 0x1b] = 0; // +0x1B Interleave Gap Size
  writeBoth16(bytes, offset + 0x1c, 1); // +0x1C Volume Sequence Number: single-volume set
  bytes[offset + 0x20] = record.identifier.length; // +0x20 Length of File Identifier
  bytes.set(record.identifier, offset + 0x21); // +0x21 File Identifier (+ padding byte)
  return size;
}

/** Parse one record; returns undefined for a zero length byte (end of the records in this sector). */
export function parseDirectoryRecord(bytes: Uint8Array, offset: number): { record: DirectoryRecord; size: number } | undefined {
  assertRange('directory record', offset, bytes, 1);
  const size = bytes[offset]!;
  if (size === 0) return undefined;
  if (size < DIRECTORY_RECORD_FIXED_SIZE + 1) {
    throw new InvalidFormatError('MediaInvalid', 'directory record', offset, `length ${size} is shorter than the fixed part`);
  }
  assertRange('directory record', offset, bytes, size);
  const identifierLength = bytes[offset + 0x20]!;
  if (DIRECTORY_RECORD_FIXED_SIZE + identifierLength > size) {
    throw new InvalidFormatError('MediaInvalid', 'directory record', offset, `identifier length ${identifierLength} overruns record length ${size}`);
  }
  return {
    size,
    record: {
      extentLba: readBoth32(bytes, offset + 0x02),
      dataLengthBytes: readBoth32(bytes, offset + 0x0a),
      recordedAt: parseRecordingDate(bytes, offset + 0x12),
      flags: bytes[offset + 0x19]!,
      identifier: bytes.slice(offset + 0x21, offset + 0x21 + identifierLength),
    },
  };
}

/** Bytes a directory extent needs for these records (whole sectors, §6.8.1.1 packing). */
export function directoryExtentBytes(records: readonly DirectoryRecord[]): number {
  let sectors = 1;
  let used = 0;
  for (const record of records) {
    const size = directoryRecordSize(record.identifier.length);
    if (used + size > SECTOR_BYTES) {
      sectors += 1;
      used = 0;
    }
    used += size;
  }
  return sectors * SECTOR_BYTES;
}

/** Encode a directory's records ("." and ".." first) into its extent. */
export function encodeDirectoryExtent(records: readonly DirectoryRecord[]): Uint8Array {
  const bytes = new Uint8Array(directoryExtentBytes(records));
  let sectorStart = 0;
  let offset = 0;
  for (const record of records) {
    const size = directoryRecordSize(record.identifier.length);
    if (offset + size > sectorStart + SECTOR_BYTES) {
      sectorStart += SECTOR_BYTES;
      offset = sectorStart;
    }
    offset += encodeDirectoryRecord(record, bytes, offset);
  }
  return bytes;
}

/** Parse every record of a directory extent, skipping the zero fill at the end of each sector. */
export function parseDirectoryExtent(bytes: Uint8Array, maxRecords: number): DirectoryRecord[] {
  const records: DirectoryRecord[] = [];
  for (let sectorStart = 0; sectorStart < bytes.length; sectorStart += SECTOR_BYTES) {
    const sectorEnd = Math.min(bytes.length, sectorStart + SECTOR_BYTES);
    let offset = sectorStart;
    while (offset < sectorEnd) {
      const parsed = parseDirectoryRecord(bytes.subarray(0, sectorEnd), offset);
      if (parsed === undefined) break;
      records.push(parsed.record);
      if (records.length > maxRecords) {
        throw new InvalidFormatError('MediaInvalid', 'directory extent', offset, `more than ${maxRecords} records`);
      }
      offset += parsed.size;
    }
  }
  return records;
}
