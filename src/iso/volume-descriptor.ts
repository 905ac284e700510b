// Volume descriptors (ECMA-119 §8): the Primary Volume Descriptor (§8.4), the Supplementary
// Volume Descriptor that carries the Joliet tree (§8.5 + Joliet spec §2: escape sequence "%/E" =
// UCS-2 level 3, every text field UCS-2 big-endian), and the Volume Descriptor Set Terminator
// (§8.3). The Boot Record (§8.2, El Torito) is in el-torito.ts. Each descriptor is one 2048-byte
// sector from sector 16 on.

import { InvalidFormatError } from '../errors.js';
import { encodeVolumeDate, parseVolumeDate } from './dates.js';
import {
  SECTOR_BYTES,
  assertRange,
  decodeAscii,
  readBe32,
  readBoth16,
  readBoth32,
  readLe32,
  readTextField,
  writeAsciiField,
  writeBe32,
  writeBoth16,
  writeBoth32,
  writeLe32,
  writeUcs2Field,
} from './fields.js';
import { encodeDirectoryRecord, parseDirectoryRecord, ROOT_DIRECTORY_RECORD_SIZE, type DirectoryRecord } from './directory-record.js';

export const VOLUME_DESCRIPTOR_SIZE = SECTOR_BYTES;
/** §8.1.2 Standard Identifier. */
export const STANDARD_IDENTIFIER = 'CD001';
/** §8.1.1 Volume Descriptor Type. */
export const VD_TYPE_BOOT_RECORD = 0;
export const VD_TYPE_PRIMARY = 1;
export const VD_TYPE_SUPPLEMENTARY = 2;
export const VD_TYPE_TERMINATOR = 255;
/** Joliet §2.1.2: "%/@" level 1, "%/C" level 2, "%/E" level 3. We write level 3. */
export const JOLIET_ESCAPE_LEVEL3 = new Uint8Array([0x25, 0x2f, 0x45]);
const JOLIET_ESCAPES = ['%/@', '%/C', '%/E'];

/** Fields shared by the PVD (§8.4) and a Joliet SVD (§8.5); text is ASCII or UCS-2 by `joliet`. */
export interface VolumeDescriptor {
  readonly joliet: boolean;
  /** +0x08 System Identifier (a-characters, 32 bytes). */
  readonly systemId: string;
  /** +0x28 Volume Identifier (d-characters, 32 bytes; Joliet: 16 UCS-2 characters). */
  readonly volumeId: string;
  /** +0x50 Volume Space Size in sectors (both-endian 32). */
  readonly volumeSpaceSectors: number;
  /** +0x84 Path Table Size in bytes (both-endian 32). */
  readonly pathTableBytes: number;
  /** +0x8C Location of Type L Path Table (LE 32). */
  readonly lPathTableLba: number;
  /** +0x94 Location of Type M Path Table (BE 32). */
  readonly mPathTableLba: number;
  /** +0x9C Directory Record for Root Directory (34 bytes). */
  readonly root: DirectoryRecord;
  /** +0xBE Volume Set Identifier (128 bytes). */
  readonly volumeSetId: string;
  /** +0x13E Publisher Identifier (128 bytes). */
  readonly publisherId: string;
  /** +0x1BE Data Preparer Identifier (128 bytes). */
  readonly dataPreparerId: string;
  /** +0x23E Application Identifier (128 bytes). */
  readonly applicationId: string;
  /** +0x32D Volume Creation / +0x33E Modification Date and Time (§8.4.26.1). */
  readonly createdAt: Date;
  readonly modifiedAt: Date;
}

export function encodeVolumeDescriptor(vd: VolumeDescriptor): Uint8Array {
  const b = new Uint8Array(VOLUME_DESCRIPTOR_SIZE);
  const text = vd.joliet ? writeUcs2Field : writeAsciiField;
  b[0x00] = vd.joliet ? VD_TYPE_SUPPLEMENTARY : VD_TYPE_PRIMARY; // +0x00 Volume Descriptor Type
  writeAsciiField(b, 0x01, 5, STANDARD_IDENTIFIER); // +0x01 Standard Identifier "CD001"
  b[0x06] = 1; // +0x06 Volume Descriptor Version
  b[0x07] = 0; // +0x07 unused (PVD) / Volume Flags (SVD): 0 = only ISO 2375 escape sequences
  text(b, 0x08, 32, vd.systemId); // +0x08 System Identifier
  text(b, 0x28, 32, vd.volumeId); // +0x28 Volume Identifier
  writeBoth32(b, 0x50, vd.volumeSpaceSectors); // +0x50 Volume Space Size
  if (vd.joliet) b.set(JOLIET_ESCAPE_LEVEL3, 0x58); // +0x58 Escape Sequences (SVD; zero in a PVD)
  writeBoth16(b, 0x78, 1); // +0x78 Volume Set Size
  writeBoth16(b, 0x7c, 1); // +0x7C Volume Sequence Number
  writeBoth16(b, 0x80, SECTOR_BYTES); // +0x80 Logical Block Size
  writeBoth32(b, 0x84, vd.pathTableBytes); // +0x84 Path Table Size
  writeLe32(b, 0x8c, vd.lPathTableLba); // +0x8C Location of Type L Path Table
  writeLe32(b, 0x90, 0); // +0x90 Location of Optional Type L Path Table: none
  writeBe32(b, 0x94, vd.mPathTableLba); // +0x94 Location of Type M Path Table
  writeBe32(b, 0x98, 0); // +0x98 Location of Optional Type M Path Table: none
  encodeDirectoryRecord(vd.root, b, 0x9c); // +0x9C Directory Record for Root Directory
  text(b, 0xbe, 128, vd.volumeSetId); // +0xBE Volume Set Identifier
  text(b, 0x13e, 128, vd.publisherId); // +0x13E Publisher Identifier
  text(b, 0x1be, 128, vd.dataPreparerId); // +0x1BE Data Preparer Identifier
  text(b, 0x23e, 128, vd.applicationId); // +0x23E Application Identifier
  text(b, 0x2be, 37, ''); // +0x2BE Copyright File Identifier: none
  text(b, 0x2e3, 37, ''); // +0x2E3 Abstract File Identifier: none
  text(b, 0x308, 37, ''); // +0x308 Bibliographic File Identifier: none
  encodeVolumeDate(vd.createdAt, b, 0x32d); // +0x32D Volume Creation Date and Time
  encodeVolumeDate(vd.modifiedAt, b, 0x33e); // +0x33E Volume Modification Date and Time
  encodeVolumeDate(undefined, b, 0x34f); // +0x34F Volume Expiration Date and Time: not specified
  encodeVolumeDate(undefined, b, 0x360); // +0x360 Volume Effective Date and Time: not specified
  b[0x371] = 1; // +0x371 File Structure Version
  // +0x372 reserved, +0x373 Application Use (512), +0x573 reserved (653): zero.
  return b;
}

export interface ParsedVolumeDescriptor extends VolumeDescriptor {
  readonly lba: number;
}

/** The type byte and identifier of any descriptor, checked before the body is trusted. */
export function parseVolumeDescriptorHeader(sector: Uint8Array, lba: number): number {
  assertRange('volume descriptor', 0, sector, VOLUME_DESCRIPTOR_SIZE);
  if (decodeAscii(sector.subarray(0x01, 0x06)) !== STANDARD_IDENTIFIER) {
    throw new InvalidFormatError('MediaInvalid', 'volume descriptor', lba * SECTOR_BYTES + 1, 'standard identifier is not "CD001"');
  }
  return sector[0x00]!;
}

/** True for an SVD whose escape sequences name a Joliet UCS-2 level (Joliet §2.1.2). */
export function isJolietDescriptor(sector: Uint8Array): boolean {
  if (sector[0x00] !== VD_TYPE_SUPPLEMENTARY) return false;
  const escapes = decodeAscii(sector.subarray(0x58, 0x78));
  return JOLIET_ESCAPES.some((e) => escapes.includes(e));
}

/** Parse a PVD or Joliet SVD sector. */
export function parseVolumeDescriptor(sector: Uint8Array, lba: number): ParsedVolumeDescriptor {
  const type = parseVolumeDescriptorHeader(sector, lba);
  if (type !== VD_TYPE_PRIMARY && type !== VD_TYPE_SUPPLEMENTARY) {
    throw new InvalidFormatError('MediaInvalid', 'volume descriptor', lba * SECTOR_BYTES, `type ${type} is not a primary/supplementary descriptor`);
  }
  const joliet = isJolietDescriptor(sector);
  const blockSize = readBoth16(sector, 0x80);
  if (blockSize !== SECTOR_BYTES) {
    throw new InvalidFormatError('MediaInvalid', 'volume descriptor', lba * SECTOR_BYTES + 0x80, `logical block size ${blockSize} is not 2048`);
  }
  const root = parseDirectoryRecord(sector.subarray(0, 0x9c + ROOT_DIRECTORY_RECORD_SIZE), 0x9c);
  if (root === undefined) throw new InvalidFormatError('MediaInvalid', 'volume descriptor', lba * SECTOR_BYTES + 0x9c, 'no root directory record');
  return {
    lba,
    joliet,
    systemId: readTextField(sector, 0x08, 32, joliet),
    volumeId: readTextField(sector, 0x28, 32, joliet),
    volumeSpaceSectors: readBoth32(sector, 0x50),
    pathTableBytes: readBoth32(sector, 0x84),
    lPathTableLba: readLe32(sector, 0x8c),
    mPathTableLba: readBe32(sector, 0x94),
    root: root.record,
    volumeSetId: readTextField(sector, 0xbe, 128, joliet),
    publisherId: readTextField(sector, 0x13e, 128, joliet),
    dataPreparerId: readTextField(sector, 0x1be, 128, joliet),
    applicationId: readTextField(sector, 0x23e, 128, joliet),
    createdAt: parseVolumeDate(sector, 0x32d) ?? new Date(0),
    modifiedAt: parseVolumeDate(sector, 0x33e) ?? new Date(0),
  };
}

/** §8.3: the Volume Descriptor Set Terminator. */
export function encodeTerminator(): Uint8Array {
  const b = new Uint8Array(VOLUME_DESCRIPTOR_SIZE);
  b[0x00] = VD_TYPE_TERMINATOR; // +0x00 Volume Descriptor Type 255
  writeAsciiField(b, 0x01, 5, STANDARD_IDENTIFIER); // +0x01 Standard Identifier
  b[0x06] = 1; // +0x06 Volume Descriptor Version
  return b;
}
