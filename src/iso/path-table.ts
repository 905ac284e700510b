// Path Table (ECMA-119 §9.4, §6.9): one record per directory, in the order of §6.9.1 — by
// level, then by parent directory number, then by identifier (§9.3 ordering) — which plan.ts
// establishes. The L table stores numbers little-endian, the M table big-endian; each volume
// descriptor points to one of each (§8.4.14, §8.4.16). Directory numbers are 1-based positions
// in this order and the parent number is 16 bits, so a tree holds at most 65,535 directories.

import { InvalidFormatError } from '../errors.js';

/** §9.4: 8 fixed bytes before the directory identifier. */
export const PATH_TABLE_RECORD_FIXED_SIZE = 8;
/** §9.4.5: the parent directory number is 16 bits. */
export const MAX_PATH_TABLE_DIRECTORIES = 0xffff;

export interface PathTableRecord {
  /** +0x02 Location of Extent of the directory. */
  readonly extentLba: number;
  /** +0x06 Parent Directory Number (1 for the root, which is its own parent). */
  readonly parentNumber: number;
  /** +0x08 Directory Identifier (0x00 for the root). */
  readonly identifier: Uint8Array;
}

/** §9.4.6: a padding byte follows an odd-length identifier. */
export function pathTableRecordSize(identifierBytes: number): number {
  return PATH_TABLE_RECORD_FIXED_SIZE + identifierBytes + (identifierBytes % 2);
}

export function pathTableBytes(records: readonly PathTableRecord[]): number {
  return records.reduce((sum, r) => sum + pathTableRecordSize(r.identifier.length), 0);
}

export function encodePathTable(records: readonly PathTableRecord[], bigEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(pathTableBytes(records));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const record of records) {
    bytes[offset + 0x00] = record.identifier.length; // +0x00 Length of Directory Identifier
    bytes[offset + 0x01] = 0; // +0x01 Extended Attribute Record Length
    view.setUint32(offset + 0x02, record.extentLba, !bigEndian); // +0x02 Location of Extent
    view.setUint16(offset + 0x06, record.parentNumber, !bigEndian); // +0x06 Parent Directory Number
    bytes.set(record.identifier, offset + 0x08); // +0x08 Directory Identifier (+ padding)
    offset += pathTableRecordSize(record.identifier.length);
  }
  return bytes;
}

export function parsePathTable(bytes: Uint8Array, bigEndian: boolean, maxRecords: number): PathTableRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: PathTableRecord[] = [];
  let offset = 0;
  while (offset + PATH_TABLE_RECORD_FIXED_SIZE <= bytes.length) {
    const length = bytes[offset]!;
    if (length === 0) break;
    const size = pathTableRecordSize(length);
    if (offset + size > bytes.length) throw new InvalidFormatError('MediaInvalid', 'path table record', offset, 'overruns the table');
    records.push({
      extentLba: view.getUint32(offset + 0x02, !bigEndian),
      parentNumber: view.getUint16(offset + 0x06, !bigEndian),
      identifier: bytes.slice(offset + 0x08, offset + 0x08 + length),
    });
    if (records.length > maxRecords) throw new InvalidFormatError('MediaInvalid', 'path table', offset, `more than ${maxRecords} records`);
    offset += size;
  }
  return records;
}
