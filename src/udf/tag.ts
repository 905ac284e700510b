// ECMA-167 3/7.2 descriptor tag: the 16 bytes that open every UDF descriptor, and the checks that
// make a sector one: the tag checksum (3/7.2.3), the CRC-ITU-T over the descriptor body (3/7.2.6,
// 1/7.2.6 — polynomial x^16+x^12+x^5+1, initial value 0), and the tag location (3/7.2.8), which
// must equal the sector (volume structures) or logical block (file structures) it was read from.
// A stray copy of a descriptor elsewhere on the disc therefore never passes for the real one.

import { InvalidFormatError } from '../errors.js';

export const TAG_SIZE = 16;

/** 3/7.2.1 and 4/7.2.1 tag identifiers this reader understands. */
export const TAG_PRIMARY_VOLUME = 1;
export const TAG_ANCHOR = 2;
export const TAG_VOLUME_POINTER = 3;
export const TAG_PARTITION = 5;
export const TAG_LOGICAL_VOLUME = 6;
export const TAG_TERMINATING = 8;
export const TAG_FILE_SET = 256;
export const TAG_FILE_IDENTIFIER = 257;
export const TAG_ALLOCATION_EXTENT = 258;
export const TAG_FILE_ENTRY = 261;
export const TAG_EXTENDED_FILE_ENTRY = 266;

export interface DescriptorTag {
  /** +0x00 */ readonly identifier: number;
  /** +0x02 2 for NSR02 (UDF 1.02), 3 for NSR03. */ readonly version: number;
  /** +0x04 */ readonly checksum: number;
  /** +0x06 */ readonly serialNumber: number;
  /** +0x08 */ readonly crc: number;
  /** +0x0A bytes after the tag the CRC covers. */ readonly crcLength: number;
  /** +0x0C */ readonly location: number;
}

export function parseDescriptorTag(bytes: Uint8Array, offset: number): DescriptorTag {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, TAG_SIZE);
  return {
    identifier: view.readUInt16LE(0),
    version: view.readUInt16LE(2),
    checksum: view[4]!,
    serialNumber: view.readUInt16LE(6),
    crc: view.readUInt16LE(8),
    crcLength: view.readUInt16LE(10),
    location: view.readUInt32LE(12),
  };
}

/** 3/7.2.3: the sum, modulo 256, of bytes 0-3 and 5-15 of the tag. */
export function tagChecksum(bytes: Uint8Array, offset: number): number {
  let sum = 0;
  for (let i = 0; i < TAG_SIZE; i++) if (i !== 4) sum += bytes[offset + i]!;
  return sum & 0xff;
}

/** CRC-ITU-T (CCITT, polynomial 0x1021, initial 0), as ECMA-167 1/7.2.6 specifies it. */
export function crcItuT(bytes: Uint8Array, offset: number, length: number): number {
  let crc = 0;
  for (let i = offset; i < offset + length; i++) {
    crc ^= bytes[i]! << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/**
 * Parse and check the tag at `offset`: the identifier must be one of `expected`, the checksum and
 * CRC must match, and the recorded location must be `location` (undefined: not checked — a File
 * Identifier Descriptor's block is not known once its directory's extents are joined). `where` is
 * the byte offset of the descriptor in the image, for the error.
 */
export function readCheckedTag(bytes: Uint8Array, offset: number, expected: readonly number[], location: number | undefined, where: number): DescriptorTag {
  if (offset + TAG_SIZE > bytes.length) throw new InvalidFormatError('MediaInvalid', 'UDF descriptor tag', where, 'the descriptor is cut short');
  const tag = parseDescriptorTag(bytes, offset);
  if (!expected.includes(tag.identifier)) {
    throw new InvalidFormatError('MediaInvalid', 'UDF descriptor tag', where, `tag identifier ${tag.identifier}, expected ${expected.join(' or ')}`);
  }
  if (tagChecksum(bytes, offset) !== tag.checksum) throw new InvalidFormatError('MediaInvalid', 'UDF descriptor tag', where, 'tag checksum does not match');
  if (location !== undefined && tag.location !== location) {
    throw new InvalidFormatError('MediaInvalid', 'UDF descriptor tag', where, `tag location ${tag.location}, but it was read from block ${location}`);
  }
  if (offset + TAG_SIZE + tag.crcLength <= bytes.length && crcItuT(bytes, offset + TAG_SIZE, tag.crcLength) !== tag.crc) {
    throw new InvalidFormatError('MediaInvalid', 'UDF descriptor tag', where, 'descriptor CRC does not match');
  }
  return tag;
}
