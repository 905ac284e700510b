// The FAT32 FSInfo sector (sector BPB_FSInfo = 1, and its backup at 7): hints for the free
// cluster count and the next free cluster, so a driver need not scan the FAT at mount.
// Microsoft FAT specification §5 "FAT32 FSInfo Sector Structure and Backup Boot Sector".
// Both values are hints; 0xFFFFFFFF means unknown. We write exact values (fsck.fat checks them).

import { InvalidFormatError } from '../errors.js';

export const FSINFO_SIZE = 512;
/** +0x000 FSI_LeadSig "RRaA". */
export const FSINFO_LEAD_SIGNATURE = 0x41615252;
/** +0x1E4 FSI_StrucSig "rrAa". */
export const FSINFO_STRUCT_SIGNATURE = 0x61417272;
/** +0x1FC FSI_TrailSig: 00 00 55 AA. */
export const FSINFO_TRAIL_SIGNATURE = 0xaa550000;
export const FSINFO_UNKNOWN = 0xffffffff;

export interface FsInfo {
  // +0x000 lead signature, +0x004 480 reserved bytes (zero), +0x1E4 struct signature
  /** +0x1E8 FSI_Free_Count: free clusters, or 0xFFFFFFFF if unknown. */
  readonly freeClusterCount: number;
  /** +0x1EC FSI_Nxt_Free: where to start looking for a free cluster, or 0xFFFFFFFF. */
  readonly nextFreeClusterIndex: number;
  // +0x1F0 12 reserved bytes (zero), +0x1FC trail signature
}

export function encodeFsInfo(info: FsInfo): Uint8Array {
  const out = new Uint8Array(FSINFO_SIZE);
  const v = new DataView(out.buffer);
  v.setUint32(0x000, FSINFO_LEAD_SIGNATURE, true);
  v.setUint32(0x1e4, FSINFO_STRUCT_SIGNATURE, true);
  v.setUint32(0x1e8, info.freeClusterCount >>> 0, true);
  v.setUint32(0x1ec, info.nextFreeClusterIndex >>> 0, true);
  v.setUint32(0x1fc, FSINFO_TRAIL_SIGNATURE, true);
  return out;
}

export function parseFsInfo(bytes: Uint8Array, offset = 0): FsInfo {
  if (bytes.length < offset + FSINFO_SIZE) throw new InvalidFormatError('MediaInvalid', 'FSInfo', offset, 'shorter than 512 bytes');
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, FSINFO_SIZE);
  const check = (at: number, expected: number, name: string): void => {
    if (v.getUint32(at, true) !== expected) {
      throw new InvalidFormatError('MediaInvalid', 'FSInfo', offset + at, `bad ${name} 0x${v.getUint32(at, true).toString(16)}`);
    }
  };
  check(0x000, FSINFO_LEAD_SIGNATURE, 'lead signature');
  check(0x1e4, FSINFO_STRUCT_SIGNATURE, 'struct signature');
  check(0x1fc, FSINFO_TRAIL_SIGNATURE, 'trail signature');
  return { freeClusterCount: v.getUint32(0x1e8, true), nextFreeClusterIndex: v.getUint32(0x1ec, true) };
}
