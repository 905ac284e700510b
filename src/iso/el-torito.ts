// El Torito Bootable CD-ROM Format Specification 1.0 (Phoenix/IBM, 1995):
//  - the Boot Record Volume Descriptor (§2.0), which must sit at sector 17 and points to
//  - the Boot Catalog (§2.1–§2.4): 32-byte entries in one sector — a Validation Entry, the
//    Initial/Default Entry, then Section Headers each followed by Section Entries;
//  - the boot information table that mkisofs' -boot-info-table patches into bytes 8..63 of a
//    no-emulation BIOS boot file (not in the spec; mkisofs/genisoimage documentation).
// Platform ids: 0x00 80x86 (BIOS), 0xEF EFI (added in later revisions; what oscdimg and xorriso use).
// Layout as Windows media are made (oscdimg -bootdata:2#p0,e,b…#pEF,e,b…): the default entry is
// BIOS, then one final section header for platform 0xEF with the UEFI entry. A UEFI-only catalog
// has the UEFI image as its default entry and the validation entry says platform 0xEF.

import { InvalidFormatError } from '../errors.js';
import { SECTOR_BYTES, assertRange, decodeAscii, readLe16, readLe32, writeAsciiField, writeLe16, writeLe32 } from './fields.js';
import { STANDARD_IDENTIFIER, VD_TYPE_BOOT_RECORD, VOLUME_DESCRIPTOR_SIZE } from './volume-descriptor.js';

/** El Torito §2.0: the Boot Record Volume Descriptor is at sector 0x11. */
export const BOOT_RECORD_LBA = 17;
/** §2.0 Boot System Identifier, padded with zeros to 32 bytes. */
export const EL_TORITO_SYSTEM_ID = 'EL TORITO SPECIFICATION';
export const BOOT_CATALOG_ENTRY_SIZE = 32;

export const PLATFORM_BIOS = 0x00;
export const PLATFORM_EFI = 0xef;
/** §2.2 Boot Indicator. */
export const BOOTABLE = 0x88;
export const NOT_BOOTABLE = 0x00;
/** §2.2 Boot media type 0: no emulation. */
export const MEDIA_NO_EMULATION = 0;
/** §2.3 Header Indicator: 0x90 more headers follow, 0x91 final header. */
export const SECTION_HEADER_MORE = 0x90;
export const SECTION_HEADER_FINAL = 0x91;
/** §2.1: key bytes at the end of the validation entry. */
const KEY_55 = 0x55;
const KEY_AA = 0xaa;
/** §2.2: the sector count counts "virtual" 512-byte sectors. */
export const VIRTUAL_SECTOR_BYTES = 512;
/** §2.2: sector count is 16 bits; xorriso writes 0 for an image larger than that (libisofs). */
export const MAX_LOAD_SECTORS = 0xffff;

/** §2.0 Boot Record Volume Descriptor. */
export function encodeBootRecord(catalogLba: number): Uint8Array {
  const b = new Uint8Array(VOLUME_DESCRIPTOR_SIZE);
  b[0x00] = VD_TYPE_BOOT_RECORD; // +0x00 Boot Record Indicator 0
  writeAsciiField(b, 0x01, 5, STANDARD_IDENTIFIER); // +0x01 ISO-9660 Identifier "CD001"
  b[0x06] = 1; // +0x06 Version
  b.set(new TextEncoder().encode(EL_TORITO_SYSTEM_ID), 0x07); // +0x07 Boot System Identifier (zero padded)
  // +0x27 Boot Identifier (32 bytes): unused, zero.
  writeLe32(b, 0x47, catalogLba); // +0x47 Absolute pointer to the first sector of the Boot Catalog
  return b;
}

export function parseBootRecord(sector: Uint8Array): { catalogLba: number } | undefined {
  assertRange('boot record', 0, sector, VOLUME_DESCRIPTOR_SIZE);
  const id = decodeAscii(sector.subarray(0x07, 0x07 + EL_TORITO_SYSTEM_ID.length));
  if (sector[0] !== VD_TYPE_BOOT_RECORD || id !== EL_TORITO_SYSTEM_ID) return undefined;
  return { catalogLba: readLe32(sector, 0x47) };
}

/** One bootable image in the catalog (§2.2 default entry / §2.4 section entry). */
export interface BootEntry {
  /** Platform of the section the entry is in (validation entry for the default entry). */
  readonly platformId: number;
  /** +0x00 Boot Indicator (0x88 bootable). */
  readonly bootable: boolean;
  /** +0x01 Boot media type (0 = no emulation). */
  readonly mediaType: number;
  /** +0x02 Load Segment (0 means the traditional 0x7C0). */
  readonly loadSegment: number;
  /** +0x04 System Type (partition type byte; 0 for no emulation). */
  readonly systemType: number;
  /** +0x06 Sector Count: 512-byte virtual sectors loaded (0 = whole image, as xorriso does past 0xFFFF). */
  readonly sectorCount: number;
  /** +0x08 Load RBA: the 2048-byte sector where the image starts. */
  readonly loadLba: number;
}

export interface BootCatalog {
  /** §2.1 Validation Entry platform id. */
  readonly validationPlatformId: number;
  /** §2.1 ID string (24 bytes; manufacturer / developer). */
  readonly idString: string;
  /** The default entry first, then one entry per following section (each its own section). */
  readonly entries: readonly BootEntry[];
}

export function encodeBootCatalog(catalog: BootCatalog): Uint8Array {
  const b = new Uint8Array(SECTOR_BYTES);
  if (catalog.entries.length === 0) throw new RangeError('a boot catalog needs at least the default entry');
  if ((catalog.entries.length - 1) * 2 + 2 > SECTOR_BYTES / BOOT_CATALOG_ENTRY_SIZE) throw new RangeError('too many boot entries');
  // §2.1 Validation Entry.
  b[0x00] = 1; // +0x00 Header ID 1
  b[0x01] = catalog.validationPlatformId; // +0x01 Platform ID
  // +0x02 reserved (2 bytes)
  writeAsciiFieldZero(b, 0x04, 24, catalog.idString); // +0x04 ID string
  b[0x1e] = KEY_55; // +0x1E key byte 0x55
  b[0x1f] = KEY_AA; // +0x1F key byte 0xAA
  writeLe16(b, 0x1c, validationChecksum(b)); // +0x1C checksum: the 16 words sum to zero
  // §2.2 Initial/Default Entry.
  encodeEntry(catalog.entries[0]!, b, 0x20);
  // §2.3 Section Headers, one per further entry, each followed by its §2.4 Section Entry.
  let offset = 0x40;
  for (let i = 1; i < catalog.entries.length; i++) {
    const entry = catalog.entries[i]!;
    b[offset + 0x00] = i === catalog.entries.length - 1 ? SECTION_HEADER_FINAL : SECTION_HEADER_MORE; // +0x00 Header Indicator
    b[offset + 0x01] = entry.platformId; // +0x01 Platform ID
    writeLe16(b, offset + 0x02, 1); // +0x02 Number of section entries following this header
    // +0x04 ID string (28 bytes): zero.
    encodeEntry(entry, b, offset + 0x20);
    // +0x0C Selection criteria type 0 (none) and +0x0D vendor criteria: zero (section entry only).
    offset += 0x40;
  }
  return b;
}

function encodeEntry(entry: BootEntry, b: Uint8Array, offset: number): void {
  b[offset + 0x00] = entry.bootable ? BOOTABLE : NOT_BOOTABLE; // +0x00 Boot Indicator
  b[offset + 0x01] = entry.mediaType; // +0x01 Boot media type
  writeLe16(b, offset + 0x02, entry.loadSegment); // +0x02 Load Segment
  b[offset + 0x04] = entry.systemType; // +0x04 System Type
  // +0x05 unused
  writeLe16(b, offset + 0x06, entry.sectorCount); // +0x06 Sector Count
  writeLe32(b, offset + 0x08, entry.loadLba); // +0x08 Load RBA
  // +0x0C unused (default) / selection criteria (section entry): zero.
}

function writeAsciiFieldZero(b: Uint8Array, offset: number, length: number, value: string): void {
  writeAsciiField(b, offset, length, value);
  for (let i = value.length; i < length; i++) b[offset + i] = 0;
}

/** §2.1: the sum of all sixteen little-endian words of the validation entry is zero. */
function validationChecksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 32; i += 2) if (i !== 0x1c) sum = (sum + readLe16(b, i)) & 0xffff;
  return (0x10000 - sum) & 0xffff;
}

/** Parse a catalog sector; `offset` is its byte offset in the image (for error messages). */
export function parseBootCatalog(b: Uint8Array, offset: number): BootCatalog {
  assertRange('boot catalog', 0, b, SECTOR_BYTES);
  if (b[0x00] !== 1 || b[0x1e] !== KEY_55 || b[0x1f] !== KEY_AA) {
    throw new InvalidFormatError('MediaInvalid', 'El Torito validation entry', offset, 'header id or key bytes are wrong');
  }
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum = (sum + readLe16(b, i)) & 0xffff;
  if (sum !== 0) throw new InvalidFormatError('MediaInvalid', 'El Torito validation entry', offset + 0x1c, 'checksum does not sum to zero');
  const validationPlatformId = b[0x01]!;
  const idString = decodeAscii(b.subarray(0x04, 0x1c)).replace(/[\0 ]+$/u, '');
  const entries: BootEntry[] = [parseEntry(b, 0x20, validationPlatformId)];
  // §2.3: walk section headers until the final one (or an unused slot); never past the sector.
  let at = 0x40;
  while (at + BOOT_CATALOG_ENTRY_SIZE <= SECTOR_BYTES) {
    const indicator = b[at]!;
    if (indicator !== SECTION_HEADER_MORE && indicator !== SECTION_HEADER_FINAL) break;
    const platformId = b[at + 0x01]!;
    const count = readLe16(b, at + 0x02);
    at += BOOT_CATALOG_ENTRY_SIZE;
    for (let i = 0; i < count && at + BOOT_CATALOG_ENTRY_SIZE <= SECTOR_BYTES; i++) {
      // §2.5 extension entries (indicator 0x44) belong to the entry before them: skip.
      while (b[at] === 0x44 && at + BOOT_CATALOG_ENTRY_SIZE <= SECTOR_BYTES) at += BOOT_CATALOG_ENTRY_SIZE;
      if (at + BOOT_CATALOG_ENTRY_SIZE > SECTOR_BYTES) break;
      entries.push(parseEntry(b, at, platformId));
      at += BOOT_CATALOG_ENTRY_SIZE;
    }
    if (indicator === SECTION_HEADER_FINAL) break;
  }
  return { validationPlatformId, idString, entries };
}

function parseEntry(b: Uint8Array, offset: number, platformId: number): BootEntry {
  return {
    platformId,
    bootable: b[offset] === BOOTABLE,
    mediaType: b[offset + 0x01]! & 0x0f,
    loadSegment: readLe16(b, offset + 0x02),
    systemType: b[offset + 0x04]!,
    sectorCount: readLe16(b, offset + 0x06),
    loadLba: readLe32(b, offset + 0x08),
  };
}

/**
 * mkisofs -boot-info-table: bytes 8..63 of the boot file become
 * +0x08 LBA of the PVD, +0x0C LBA of the boot file, +0x10 boot file length in bytes,
 * +0x14 32-bit checksum (sum of the little-endian 32-bit words from byte 64 to the end, the last
 * partial word zero-padded), +0x18..+0x3F reserved (zero). All little-endian.
 */
export const BOOT_INFO_TABLE_OFFSET = 8;
export const BOOT_INFO_TABLE_END = 64;

export interface BootInfoTable {
  readonly pvdLba: number;
  readonly fileLba: number;
  readonly fileLengthBytes: number;
}

export function patchBootInfoTable(file: Uint8Array, table: BootInfoTable): void {
  if (file.length < BOOT_INFO_TABLE_END) throw new RangeError('a boot file with a boot info table must be at least 64 bytes');
  let checksum = 0;
  for (let i = BOOT_INFO_TABLE_END; i < file.length; i += 4) {
    const word = file[i]! | ((file[i + 1] ?? 0) << 8) | ((file[i + 2] ?? 0) << 16) | ((file[i + 3] ?? 0) << 24);
    checksum = (checksum + (word >>> 0)) >>> 0;
  }
  file.fill(0, BOOT_INFO_TABLE_OFFSET, BOOT_INFO_TABLE_END);
  writeLe32(file, 0x08, table.pvdLba);
  writeLe32(file, 0x0c, table.fileLba);
  writeLe32(file, 0x10, table.fileLengthBytes);
  writeLe32(file, 0x14, checksum);
}

export function readBootInfoTable(file: Uint8Array): BootInfoTable & { checksum: number } {
  assertRange('boot info table', 0, file, BOOT_INFO_TABLE_END);
  return { pvdLba: readLe32(file, 0x08), fileLba: readLe32(file, 0x0c), fileLengthBytes: readLe32(file, 0x10), checksum: readLe32(file, 0x14) };
}
