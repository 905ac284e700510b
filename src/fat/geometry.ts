// Where the regions of a FAT32 volume go: cluster size, reserved sectors, FAT size, data start.
// Microsoft FAT specification §3.5 "Determination of FAT type when mounting the volume" (FAT32
// iff the cluster count is ≥ 65525) and §3.6 / §4 (FAT entries are 32 bits with the top 4
// reserved, so at most 0x0FFFFFF5 - 1 data clusters); cluster sizes from Microsoft's "Default
// cluster size for NTFS, FAT, and exFAT" table for FAT32.
//
// FAT size: the spec's BPB_FATSz32 formula (§3.5 note) may over-allocate by a sector or so. We take
// the smallest FAT that covers every cluster (fatSectors·128 ≥ clusterCount + 2), which is what
// mkfs.fat computes, so the comparison test can hold us to its BPB field by field.

import { CaptureMediaError } from '../errors.js';

export const SECTOR_BYTES = 512;
/** Reserved sectors on FAT32, as Windows' format writes: boot, FSInfo, spare, backup at 6.. */
export const FAT32_RESERVED_SECTORS = 32;
export const FAT_COUNT = 2;
/** §3.5: fewer clusters than this is FAT16 (or FAT12), whatever the BPB says. */
export const FAT32_MIN_CLUSTERS = 65525;
/** §4: cluster numbers 2..0x0FFFFFF6 (0x0FFFFFF7 is BAD); the count of usable data clusters. */
export const FAT32_MAX_CLUSTERS = 0x0ffffff5;
const FAT_ENTRY_BYTES = 4;
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** Windows' default FAT32 cluster size for a volume of `volumeBytes` (Microsoft's table). */
export function defaultClusterSizeBytes(volumeBytes: number): number {
  if (volumeBytes <= 64 * MIB) return 512;
  if (volumeBytes <= 128 * MIB) return 1024;
  if (volumeBytes <= 256 * MIB) return 2048;
  if (volumeBytes <= 8 * GIB) return 4096;
  if (volumeBytes <= 16 * GIB) return 8192;
  if (volumeBytes <= 32 * GIB) return 16384;
  return 32768;
}

export interface Fat32Geometry {
  /** BPB_TotSec32: sectors in the volume. */
  readonly volumeSectorCount: number;
  readonly sectorsPerCluster: number;
  readonly clusterSizeBytes: number;
  readonly reservedSectorCount: number;
  readonly fatCount: number;
  /** BPB_FATSz32. */
  readonly fatSectorCount: number;
  /** First sector of cluster 2, relative to the volume. */
  readonly dataStartSector: number;
  /** Data clusters: numbered 2 .. clusterCount + 1. */
  readonly clusterCount: number;
}

function layoutFor(volumeSectorCount: number, sectorsPerCluster: number): Fat32Geometry {
  const reserved = FAT32_RESERVED_SECTORS;
  const clustersWith = (fatSectors: number): number =>
    Math.max(0, Math.floor((volumeSectorCount - reserved - FAT_COUNT * fatSectors) / sectorsPerCluster));
  const entriesPerSector = SECTOR_BYTES / FAT_ENTRY_BYTES;
  // An upper bound (the FATs take no room), then shrink while a smaller FAT still covers.
  let fatSectors = Math.ceil((clustersWith(0) + 2) / entriesPerSector);
  while (fatSectors > 1 && (fatSectors - 1) * entriesPerSector >= clustersWith(fatSectors - 1) + 2) fatSectors--;
  const clusterCount = clustersWith(fatSectors);
  return {
    volumeSectorCount,
    sectorsPerCluster,
    clusterSizeBytes: sectorsPerCluster * SECTOR_BYTES,
    reservedSectorCount: reserved,
    fatCount: FAT_COUNT,
    fatSectorCount: fatSectors,
    dataStartSector: reserved + FAT_COUNT * fatSectors,
    clusterCount,
  };
}

/**
 * The geometry for a volume of `volumeSectorCount` sectors. Starts from Windows' default cluster
 * size (or `clusterSizeBytes` when given) and, for small volumes, halves it until the volume has
 * the 65525 clusters FAT32 needs, as mkfs.fat does; a volume too small even at 512-byte
 * clusters (about 33 MiB) is DiskTooSmall.
 */
export function fat32Geometry(volumeSectorCount: number, clusterSizeBytes?: number): Fat32Geometry {
  const wanted = clusterSizeBytes ?? defaultClusterSizeBytes(volumeSectorCount * SECTOR_BYTES);
  if (!Number.isInteger(wanted) || wanted < SECTOR_BYTES || wanted > 64 * 1024 || (wanted & (wanted - 1)) !== 0) {
    throw new CaptureMediaError('InvalidParameter', `FAT32 cluster size ${wanted} is not a power of two from 512 to 65536 bytes.`);
  }
  let sectorsPerCluster = wanted / SECTOR_BYTES;
  for (;;) {
    const geometry = layoutFor(volumeSectorCount, sectorsPerCluster);
    if (geometry.clusterCount > FAT32_MAX_CLUSTERS && sectorsPerCluster < 128) {
      sectorsPerCluster *= 2;
      continue;
    }
    if (geometry.clusterCount >= FAT32_MIN_CLUSTERS) return geometry;
    if (clusterSizeBytes !== undefined || sectorsPerCluster === 1) {
      throw new CaptureMediaError(
        'DiskTooSmall',
        `A FAT32 volume needs at least ${FAT32_MIN_CLUSTERS} clusters; ${volumeSectorCount * SECTOR_BYTES} bytes give ${geometry.clusterCount} of ${sectorsPerCluster * SECTOR_BYTES} bytes.`,
      );
    }
    sectorsPerCluster /= 2;
  }
}
