// Master Boot Record: the 512-byte sector 0 of a disk with up to four primary partition entries.
// We write exactly one entry: a FAT32 (LBA) partition, active, starting at 1 MiB (LBA 2048) as
// Windows (diskpart/Disk Management since Vista) and util-linux fdisk align it.
//
// References: Microsoft "Disk Sectors on MBR Disks" / the MBR layout in the Windows Driver Kit
// (boot code 0x000-0x1B7, disk signature 0x1B8, 4 x 16-byte entries at 0x1BE, 0x55AA at 0x1FE),
// and the de-facto CHS convention of fdisk and Windows: addresses use a 255-head, 63-sector
// geometry, and any address past cylinder 1023 is written as the "beyond" triple
// (head 254, sector 63, cylinder 1023) = bytes 0xFE 0xFF 0xFF. Nothing reads CHS on LBA
// partitions (type 0x0C), but tools such as fsck/sfdisk/Windows expect it consistent.

import { InvalidFormatError } from '../errors.js';

export const MBR_SIZE = 512;
export const SECTOR_BYTES = 512;
/** Boot code area: +0x000, 440 bytes (followed by the disk signature). */
export const MBR_BOOT_CODE_BYTES = 440;
export const MBR_PARTITION_ENTRY_SIZE = 16;
export const MBR_PARTITION_TABLE_OFFSET = 0x1be;
export const MBR_SIGNATURE = 0xaa55; // bytes 0x55 0xAA at +0x1FE
/** Partition type: FAT32 with LBA addressing, what Windows writes for FAT32 volumes. */
export const PARTITION_TYPE_FAT32_LBA = 0x0c;
export const PARTITION_TYPE_FAT32_CHS = 0x0b;
export const PARTITION_STATUS_ACTIVE = 0x80;
/** 1 MiB alignment (2048 sectors of 512 bytes), as Windows and fdisk place the first partition. */
export const DEFAULT_PARTITION_START_LBA = 2048;
/** The geometry fdisk and Windows assume for LBA disks when filling CHS fields. */
export const CHS_HEADS = 255;
export const CHS_SECTORS_PER_TRACK = 63;
const CHS_MAX_CYLINDER = 1023;

/** A CHS address as stored in a partition entry (3 bytes). */
export interface Chs {
  readonly cylinder: number; // 0..1023
  readonly head: number; // 0..254
  readonly sector: number; // 1..63
}

export interface MbrPartitionEntry {
  /** +0x00 0x80 = active (bootable), 0x00 = inactive. */
  readonly status: number;
  /** +0x01 CHS of the first sector (head, sector|cyl-high<<6, cyl-low). */
  readonly firstChs: Chs;
  /** +0x04 partition type (0x0C FAT32 LBA). 0 = unused entry. */
  readonly type: number;
  /** +0x05 CHS of the last sector. */
  readonly lastChs: Chs;
  /** +0x08 LBA of the first sector (u32). */
  readonly firstLba: number;
  /** +0x0C number of sectors (u32). */
  readonly sectorCount: number;
}

export interface Mbr {
  /** +0x000 boot code, 440 bytes (zeros, or a stub that says the disk is not BIOS-bootable). */
  readonly bootCode: Uint8Array;
  /** +0x1B8 32-bit disk signature (Windows identifies MBR disks by it). */
  readonly diskSignature: number;
  /** +0x1BC two bytes, 0x0000 (0x5A5A marks copy-protected in some tools). */
  readonly reserved: number;
  /** +0x1BE four 16-byte partition entries. */
  readonly partitions: readonly MbrPartitionEntry[];
  // +0x1FE 0x55 0xAA
}

/** CHS for an LBA the way fdisk/Windows compute it; past cylinder 1023 the "beyond" triple. */
export function lbaToChs(lba: number): Chs {
  const cylinder = Math.floor(lba / (CHS_HEADS * CHS_SECTORS_PER_TRACK));
  if (cylinder > CHS_MAX_CYLINDER) return { cylinder: CHS_MAX_CYLINDER, head: 254, sector: 63 };
  const rest = lba % (CHS_HEADS * CHS_SECTORS_PER_TRACK);
  return { cylinder, head: Math.floor(rest / CHS_SECTORS_PER_TRACK), sector: (rest % CHS_SECTORS_PER_TRACK) + 1 };
}

function encodeChs(chs: Chs, out: Uint8Array, offset: number): void {
  out[offset] = chs.head;
  out[offset + 1] = (chs.sector & 0x3f) | ((chs.cylinder >> 2) & 0xc0);
  out[offset + 2] = chs.cylinder & 0xff;
}

function parseChs(bytes: Uint8Array, offset: number): Chs {
  const head = bytes[offset]!;
  const b1 = bytes[offset + 1]!;
  return { head, sector: b1 & 0x3f, cylinder: ((b1 & 0xc0) << 2) | bytes[offset + 2]! };
}

/** An entry for one active partition of `type` covering [firstLba, firstLba + sectorCount). */
export function partitionEntry(firstLba: number, sectorCount: number, type = PARTITION_TYPE_FAT32_LBA): MbrPartitionEntry {
  return {
    status: PARTITION_STATUS_ACTIVE,
    firstChs: lbaToChs(firstLba),
    type,
    lastChs: lbaToChs(firstLba + sectorCount - 1),
    firstLba,
    sectorCount,
  };
}

const EMPTY_ENTRY: MbrPartitionEntry = {
  status: 0,
  firstChs: { cylinder: 0, head: 0, sector: 0 },
  type: 0,
  lastChs: { cylinder: 0, head: 0, sector: 0 },
  firstLba: 0,
  sectorCount: 0,
};

export function encodeMbr(mbr: Mbr): Uint8Array {
  if (mbr.bootCode.length > MBR_BOOT_CODE_BYTES) throw new RangeError(`MBR boot code is ${mbr.bootCode.length} bytes`);
  if (mbr.partitions.length > 4) throw new RangeError(`an MBR holds 4 partitions, not ${mbr.partitions.length}`);
  const out = new Uint8Array(MBR_SIZE);
  const view = new DataView(out.buffer);
  out.set(mbr.bootCode, 0);
  view.setUint32(0x1b8, mbr.diskSignature >>> 0, true);
  view.setUint16(0x1bc, mbr.reserved, true);
  for (let i = 0; i < 4; i++) {
    const entry = mbr.partitions[i] ?? EMPTY_ENTRY;
    const at = MBR_PARTITION_TABLE_OFFSET + i * MBR_PARTITION_ENTRY_SIZE;
    out[at] = entry.status;
    encodeChs(entry.firstChs, out, at + 0x01);
    out[at + 0x04] = entry.type;
    encodeChs(entry.lastChs, out, at + 0x05);
    view.setUint32(at + 0x08, entry.firstLba, true);
    view.setUint32(at + 0x0c, entry.sectorCount, true);
  }
  view.setUint16(0x1fe, MBR_SIGNATURE, true);
  return out;
}

/**
 * Parse sector 0 as an MBR. Checks the 0x55AA signature, status bytes and that used entries do
 * not overlap; `diskSectorCount` (when known) bounds every entry.
 */
export function parseMbr(bytes: Uint8Array, offset = 0, diskSectorCount?: number): Mbr {
  if (bytes.length < offset + MBR_SIZE) throw new InvalidFormatError('MediaInvalid', 'MBR', offset, 'shorter than 512 bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, MBR_SIZE);
  const sector = bytes.subarray(offset, offset + MBR_SIZE);
  if (view.getUint16(0x1fe, true) !== MBR_SIGNATURE) {
    throw new InvalidFormatError('MediaInvalid', 'MBR', offset + 0x1fe, 'no 0x55AA boot signature');
  }
  const partitions: MbrPartitionEntry[] = [];
  for (let i = 0; i < 4; i++) {
    const at = MBR_PARTITION_TABLE_OFFSET + i * MBR_PARTITION_ENTRY_SIZE;
    const status = sector[at]!;
    if (status !== 0 && status !== PARTITION_STATUS_ACTIVE) {
      throw new InvalidFormatError('MediaInvalid', 'MBR partition entry', offset + at, `status byte 0x${status.toString(16)}`);
    }
    const entry: MbrPartitionEntry = {
      status,
      firstChs: parseChs(sector, at + 0x01),
      type: sector[at + 0x04]!,
      lastChs: parseChs(sector, at + 0x05),
      firstLba: view.getUint32(at + 0x08, true),
      sectorCount: view.getUint32(at + 0x0c, true),
    };
    if (entry.type !== 0 && diskSectorCount !== undefined && entry.firstLba + entry.sectorCount > diskSectorCount) {
      throw new InvalidFormatError('MediaInvalid', 'MBR partition entry', offset + at, 'extends past the end of the disk');
    }
    partitions.push(entry);
  }
  const used = partitions.filter((p) => p.type !== 0 && p.sectorCount > 0).sort((a, b) => a.firstLba - b.firstLba);
  for (let i = 1; i < used.length; i++) {
    if (used[i]!.firstLba < used[i - 1]!.firstLba + used[i - 1]!.sectorCount) {
      throw new InvalidFormatError('MediaInvalid', 'MBR', offset + MBR_PARTITION_TABLE_OFFSET, 'partitions overlap');
    }
  }
  return {
    bootCode: sector.slice(0, MBR_BOOT_CODE_BYTES),
    diskSignature: view.getUint32(0x1b8, true),
    reserved: view.getUint16(0x1bc, true),
    partitions,
  };
}
