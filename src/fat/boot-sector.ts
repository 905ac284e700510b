// The FAT32 boot sector: jump, OEM name, BIOS Parameter Block (BPB) and the FAT32 extended BPB.
// Microsoft "FAT: General Overview of On-Disk Format" (the FAT specification, v1.03), §3.1
// "Boot Sector and BPB" (fields common to FAT12/16/32) and §3.3 "FAT32 Structure Starting at
// Offset 36". The same sector is copied to the backup boot sector (BPB_BkBootSec, sector 6).
//
// Errata / practice: the spec's "the 0x55AA signature is at offset 510 only if bytes per sector
// is 512" — we only write 512-byte sectors. BS_VolLab must match the root directory's volume label
// entry (Windows keeps both; §3.3 notes BS_VolLab is the copy, the root entry is authoritative).

import { InvalidFormatError } from '../errors.js';
import { bootStub } from './boot-code.js';

export const BOOT_SECTOR_SIZE = 512;
/** +0x00 jump over the BPB to the boot code at 0x5A (EB 58 90), as Windows and mkfs.fat write it. */
export const FAT32_JUMP = [0xeb, 0x58, 0x90] as const;
/** §3.1: "MSWIN4.1" is the recommended OEM name; some drivers key behaviour on it. */
export const FAT32_OEM_NAME = 'MSWIN4.1';
export const FAT32_FS_TYPE = 'FAT32   ';
/** §3.3 BS_BootSig: 0x29 means the three following fields (VolID, VolLab, FilSysType) are present. */
export const EXTENDED_BOOT_SIGNATURE = 0x29;
export const BOOT_SIGNATURE = 0xaa55; // 0x55 0xAA at +0x1FE
export const MEDIA_FIXED_DISK = 0xf8;
export const BOOT_CODE_OFFSET = 0x5a;
export const BOOT_CODE_BYTES = 0x1fe - BOOT_CODE_OFFSET; // 420
export const NO_NAME_LABEL = 'NO NAME    ';

export interface Fat32BootSector {
  /** +0x00 BS_jmpBoot (3 bytes). */
  readonly jump: readonly number[];
  /** +0x03 BS_OEMName (8 bytes ASCII). */
  readonly oemName: string;
  /** +0x0B BPB_BytsPerSec. */
  readonly bytesPerSector: number;
  /** +0x0D BPB_SecPerClus: power of two, 1..128. */
  readonly sectorsPerCluster: number;
  /** +0x0E BPB_RsvdSecCnt (32 on FAT32, as Windows formats). */
  readonly reservedSectorCount: number;
  /** +0x10 BPB_NumFATs. */
  readonly fatCount: number;
  // +0x11 BPB_RootEntCnt = 0, +0x13 BPB_TotSec16 = 0, +0x16 BPB_FATSz16 = 0 on FAT32.
  /** +0x15 BPB_Media (0xF8 fixed; also the low byte of FAT[0]). */
  readonly media: number;
  /** +0x18 BPB_SecPerTrk, +0x1A BPB_NumHeads: only for INT 13h geometry. */
  readonly sectorsPerTrack: number;
  readonly headCount: number;
  /** +0x1C BPB_HiddSec: sectors before this volume (the partition's LBA). */
  readonly hiddenSectorCount: number;
  /** +0x20 BPB_TotSec32. */
  readonly totalSectorCount: number;
  /** +0x24 BPB_FATSz32: sectors per FAT. */
  readonly fatSectorCount: number;
  /** +0x28 BPB_ExtFlags: 0 = FATs mirrored at runtime. */
  readonly extFlags: number;
  /** +0x2A BPB_FSVer: 0.0. */
  readonly fsVersion: number;
  /** +0x2C BPB_RootClus (2). */
  readonly rootClusterIndex: number;
  /** +0x30 BPB_FSInfo sector (1). */
  readonly fsInfoSector: number;
  /** +0x32 BPB_BkBootSec (6). */
  readonly backupBootSector: number;
  // +0x34 BPB_Reserved, 12 bytes of zero.
  /** +0x40 BS_DrvNum (0x80). */
  readonly driveNumber: number;
  // +0x41 BS_Reserved1 = 0
  /** +0x42 BS_BootSig (0x29). */
  readonly bootSignature: number;
  /** +0x43 BS_VolID. */
  readonly volumeId: number;
  /** +0x47 BS_VolLab, 11 bytes, space padded. */
  readonly volumeLabel: string;
  /** +0x52 BS_FilSysType "FAT32   " (informational only, §3.3). */
  readonly fsType: string;
  /** +0x5A boot code, 420 bytes. */
  readonly bootCode: Uint8Array;
  // +0x1FE 0x55 0xAA
}

/** The boot sector we write: everything but geometry-dependent fields fixed as Windows formats. */
export function fat32BootSector(fields: {
  sectorsPerCluster: number;
  reservedSectorCount: number;
  hiddenSectorCount: number;
  totalSectorCount: number;
  fatSectorCount: number;
  volumeId: number;
  volumeLabel: string;
}): Fat32BootSector {
  return {
    jump: FAT32_JUMP,
    oemName: FAT32_OEM_NAME,
    bytesPerSector: 512,
    sectorsPerCluster: fields.sectorsPerCluster,
    reservedSectorCount: fields.reservedSectorCount,
    fatCount: 2,
    media: MEDIA_FIXED_DISK,
    sectorsPerTrack: 63,
    headCount: 255,
    hiddenSectorCount: fields.hiddenSectorCount,
    totalSectorCount: fields.totalSectorCount,
    fatSectorCount: fields.fatSectorCount,
    extFlags: 0,
    fsVersion: 0,
    rootClusterIndex: 2,
    fsInfoSector: 1,
    backupBootSector: 6,
    driveNumber: 0x80,
    bootSignature: EXTENDED_BOOT_SIGNATURE,
    volumeId: fields.volumeId >>> 0,
    volumeLabel: fields.volumeLabel,
    fsType: FAT32_FS_TYPE,
    bootCode: bootStub(BOOT_CODE_OFFSET, BOOT_CODE_BYTES),
  };
}

function writeAscii(out: Uint8Array, offset: number, length: number, text: string): void {
  for (let i = 0; i < length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x20;
    out[offset + i] = c < 0x80 ? c : 0x5f;
  }
}

function readAscii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

export function encodeFat32BootSector(bs: Fat32BootSector): Uint8Array {
  const out = new Uint8Array(BOOT_SECTOR_SIZE);
  const v = new DataView(out.buffer);
  out.set(bs.jump.slice(0, 3), 0x00);
  writeAscii(out, 0x03, 8, bs.oemName);
  v.setUint16(0x0b, bs.bytesPerSector, true);
  out[0x0d] = bs.sectorsPerCluster;
  v.setUint16(0x0e, bs.reservedSectorCount, true);
  out[0x10] = bs.fatCount;
  v.setUint16(0x11, 0, true); // BPB_RootEntCnt: 0 on FAT32
  v.setUint16(0x13, 0, true); // BPB_TotSec16: 0, the count is in TotSec32
  out[0x15] = bs.media;
  v.setUint16(0x16, 0, true); // BPB_FATSz16: 0, the size is in FATSz32
  v.setUint16(0x18, bs.sectorsPerTrack, true);
  v.setUint16(0x1a, bs.headCount, true);
  v.setUint32(0x1c, bs.hiddenSectorCount >>> 0, true);
  v.setUint32(0x20, bs.totalSectorCount >>> 0, true);
  v.setUint32(0x24, bs.fatSectorCount >>> 0, true);
  v.setUint16(0x28, bs.extFlags, true);
  v.setUint16(0x2a, bs.fsVersion, true);
  v.setUint32(0x2c, bs.rootClusterIndex >>> 0, true);
  v.setUint16(0x30, bs.fsInfoSector, true);
  v.setUint16(0x32, bs.backupBootSector, true);
  out[0x40] = bs.driveNumber;
  out[0x41] = 0;
  out[0x42] = bs.bootSignature;
  v.setUint32(0x43, bs.volumeId >>> 0, true);
  writeAscii(out, 0x47, 11, bs.volumeLabel);
  writeAscii(out, 0x52, 8, bs.fsType);
  if (bs.bootCode.length > BOOT_CODE_BYTES) throw new RangeError(`boot code is ${bs.bootCode.length} bytes`);
  out.set(bs.bootCode, BOOT_CODE_OFFSET);
  v.setUint16(0x1fe, BOOT_SIGNATURE, true);
  return out;
}

/**
 * Parse and validate a FAT32 boot sector (§3.1, §3.3, and §3.5 "Determination of FAT type":
 * FAT32 only when the cluster count is ≥ 65525). Hostile values are rejected before any reader
 * allocates from them.
 */
export function parseFat32BootSector(bytes: Uint8Array, offset = 0): Fat32BootSector {
  const fail = (at: number, message: string): never => {
    throw new InvalidFormatError('MediaInvalid', 'FAT32 boot sector', offset + at, message);
  };
  if (bytes.length < offset + BOOT_SECTOR_SIZE) fail(0, 'shorter than 512 bytes');
  const s = bytes.subarray(offset, offset + BOOT_SECTOR_SIZE);
  const v = new DataView(s.buffer, s.byteOffset, BOOT_SECTOR_SIZE);
  if (v.getUint16(0x1fe, true) !== BOOT_SIGNATURE) fail(0x1fe, 'no 0x55AA signature');
  if (!(s[0] === 0xeb && s[2] === 0x90) && s[0] !== 0xe9) fail(0, 'no x86 jump instruction (not a FAT boot sector)');
  const bytesPerSector = v.getUint16(0x0b, true);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) fail(0x0b, `bytes per sector ${bytesPerSector}`);
  const sectorsPerCluster = s[0x0d]!;
  if (sectorsPerCluster === 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) !== 0) {
    fail(0x0d, `sectors per cluster ${sectorsPerCluster}`);
  }
  const reservedSectorCount = v.getUint16(0x0e, true);
  if (reservedSectorCount === 0) fail(0x0e, 'no reserved sectors');
  const fatCount = s[0x10]!;
  if (fatCount < 1 || fatCount > 2) fail(0x10, `FAT count ${fatCount}`);
  if (v.getUint16(0x11, true) !== 0) fail(0x11, 'root entry count is not 0 (not FAT32)');
  if (v.getUint16(0x16, true) !== 0) fail(0x16, 'FATSz16 is not 0 (not FAT32)');
  const totalSectorCount = v.getUint32(0x20, true);
  const fatSectorCount = v.getUint32(0x24, true);
  if (fatSectorCount === 0) fail(0x24, 'FATSz32 is 0');
  const dataStart = reservedSectorCount + fatCount * fatSectorCount;
  if (totalSectorCount <= dataStart) fail(0x20, 'total sectors do not reach the data region');
  const clusterCount = Math.floor((totalSectorCount - dataStart) / sectorsPerCluster);
  if (clusterCount < 65525) fail(0x20, `${clusterCount} clusters: FAT12/16, not FAT32 (§3.5)`);
  if (fatSectorCount * (bytesPerSector / 4) < clusterCount + 2) fail(0x24, 'FAT too small for the cluster count');
  const rootClusterIndex = v.getUint32(0x2c, true);
  if (rootClusterIndex < 2 || rootClusterIndex >= clusterCount + 2) fail(0x2c, `root cluster ${rootClusterIndex}`);
  return {
    jump: [s[0]!, s[1]!, s[2]!],
    oemName: readAscii(s, 0x03, 8),
    bytesPerSector,
    sectorsPerCluster,
    reservedSectorCount,
    fatCount,
    media: s[0x15]!,
    sectorsPerTrack: v.getUint16(0x18, true),
    headCount: v.getUint16(0x1a, true),
    hiddenSectorCount: v.getUint32(0x1c, true),
    totalSectorCount,
    fatSectorCount,
    extFlags: v.getUint16(0x28, true),
    fsVersion: v.getUint16(0x2a, true),
    rootClusterIndex,
    fsInfoSector: v.getUint16(0x30, true),
    backupBootSector: v.getUint16(0x32, true),
    driveNumber: s[0x40]!,
    bootSignature: s[0x42]!,
    volumeId: v.getUint32(0x43, true),
    volumeLabel: readAscii(s, 0x47, 11),
    fsType: readAscii(s, 0x52, 8),
    bootCode: s.slice(BOOT_CODE_OFFSET, 0x1fe),
  };
}
