// A read-only reader for the small FAT12/FAT16 volumes that El Torito UEFI boot images are
// (Windows' efisys.bin is a 1.44 MB FAT12 floppy image holding \EFI\BOOT\BOOTX64.EFI), held in
// memory: list every file by its 8.3 path and give its bytes. reader.ts reads FAT32 only; this one
// exists so that `verify` can report who signed the loader inside the El Torito image.
//
// Microsoft FAT specification: §3.1 BPB (BytsPerSec +0x0B, SecPerClus +0x0D, RsvdSecCnt +0x0E,
// NumFATs +0x10, RootEntCnt +0x11, TotSec16 +0x13, FATSz16 +0x16, TotSec32 +0x20), §3.5 FAT type
// from the cluster count (< 4085 FAT12, < 65525 FAT16), §4 FAT entries (12-bit packed / 16-bit),
// §6 directory entries (the fixed root region on FAT12/16). Long names are not assembled: boot
// images use 8.3 names, and the UEFI removable-media path (\EFI\BOOT\BOOTX64.EFI) is one.
//
// Hostile input: geometry is validated against the image size before use; each cluster chain is
// bounded by the cluster count and one visited bitmap (a loop or shared cluster is an error);
// directories nest at most MAX_DEPTH deep and hold at most MAX_ENTRIES entries in all.

import { InvalidFormatError } from '../errors.js';
import { ATTR_DIRECTORY, ATTR_LONG_NAME, ATTR_VOLUME_ID, DIRECTORY_ENTRY_SIZE, ENTRY_END, ENTRY_FREE, parseDirectoryEntry, shortNameToString } from './directory-entry.js';

const FAT12_MAX_CLUSTERS = 4085;
const FAT16_MAX_CLUSTERS = 65525;
const MAX_DEPTH = 8;
const MAX_ENTRIES = 65536;

export interface SmallFatFile {
  /** 8.3 names from the root, as stored (upper case). */
  readonly path: readonly string[];
  readonly sizeBytes: number;
  /** The file's bytes (copied out of the image). */
  readBytes(): Uint8Array;
}

export interface SmallFatVolume {
  readonly fatBits: 12 | 16;
  readonly files: readonly SmallFatFile[];
}

const invalid = (structure: string, offset: number, message: string) => new InvalidFormatError('MediaInvalid', structure, offset, message);

export function readSmallFatVolume(image: Uint8Array): SmallFatVolume {
  if (image.length < 512) throw invalid('FAT boot sector', 0, `the image has ${image.length} bytes`);
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const bytesPerSector = view.getUint16(0x0b, true);
  const sectorsPerCluster = image[0x0d]!;
  const reserved = view.getUint16(0x0e, true);
  const fatCount = image[0x10]!;
  const rootEntries = view.getUint16(0x11, true);
  const totalSectors = view.getUint16(0x13, true) || view.getUint32(0x20, true);
  const fatSectors = view.getUint16(0x16, true);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector) || sectorsPerCluster === 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) !== 0) {
    throw invalid('FAT boot sector', 0x0b, `impossible geometry: ${bytesPerSector} bytes per sector, ${sectorsPerCluster} sectors per cluster`);
  }
  if (reserved === 0 || fatCount === 0 || fatSectors === 0 || rootEntries === 0) {
    throw invalid('FAT boot sector', 0x0e, 'not a FAT12/FAT16 volume (no reserved sectors, FAT or fixed root directory)');
  }
  const rootSectors = Math.ceil((rootEntries * DIRECTORY_ENTRY_SIZE) / bytesPerSector);
  const fatStart = reserved * bytesPerSector;
  const rootStart = fatStart + fatCount * fatSectors * bytesPerSector;
  const dataStart = rootStart + rootSectors * bytesPerSector;
  const volumeBytes = Math.min(totalSectors * bytesPerSector, image.length);
  if (dataStart >= volumeBytes) throw invalid('FAT boot sector', 0x13, `the FATs and root directory (${dataStart} bytes) do not fit the volume (${volumeBytes} bytes)`);
  const clusterBytes = bytesPerSector * sectorsPerCluster;
  const clusterCount = Math.floor((volumeBytes - dataStart) / clusterBytes);
  if (clusterCount >= FAT16_MAX_CLUSTERS) throw invalid('FAT boot sector', 0x13, `${clusterCount} clusters: a FAT32 volume, not a FAT12/FAT16 one`);
  const fatBits: 12 | 16 = clusterCount < FAT12_MAX_CLUSTERS ? 12 : 16;
  const endOfChain = fatBits === 12 ? 0xff8 : 0xfff8;

  const fatEntry = (cluster: number): number => {
    if (fatBits === 16) return view.getUint16(fatStart + cluster * 2, true);
    const at = fatStart + Math.floor((cluster * 3) / 2);
    const pair = view.getUint16(at, true);
    return cluster % 2 === 0 ? pair & 0xfff : pair >> 4;
  };
  const seen = new Uint8Array(clusterCount + 2);
  /** The byte ranges of a chain, in order. */
  const chain = (first: number, structure: string): [number, number][] => {
    const runs: [number, number][] = [];
    let cluster = first;
    while (cluster < endOfChain) {
      if (cluster < 2 || cluster >= clusterCount + 2) throw invalid(structure, fatStart, `cluster ${cluster} is outside the volume (2..${clusterCount + 1})`);
      if (seen[cluster]) throw invalid(structure, fatStart, `cluster ${cluster} is reached twice (a loop or a shared cluster)`);
      seen[cluster] = 1;
      const start = dataStart + (cluster - 2) * clusterBytes;
      runs.push([start, start + clusterBytes]);
      cluster = fatEntry(cluster);
    }
    return runs;
  };

  const files: SmallFatFile[] = [];
  let entries = 0;
  const walk = (directory: Uint8Array, path: readonly string[], depth: number): void => {
    for (let at = 0; at + DIRECTORY_ENTRY_SIZE <= directory.length; at += DIRECTORY_ENTRY_SIZE) {
      const first = directory[at]!;
      if (first === ENTRY_END) return;
      if (first === ENTRY_FREE) continue;
      if (++entries > MAX_ENTRIES) throw invalid('directory', at, `more than ${MAX_ENTRIES} entries`);
      const entry = parseDirectoryEntry(directory, at);
      if ((entry.attributes & ATTR_LONG_NAME) === ATTR_LONG_NAME || entry.attributes & ATTR_VOLUME_ID) continue;
      const name = shortNameToString(entry.name);
      if (name === '.' || name === '..') continue;
      if (entry.attributes & ATTR_DIRECTORY) {
        if (depth >= MAX_DEPTH) throw invalid('directory', at, `directories nest deeper than ${MAX_DEPTH}`);
        const runs = chain(entry.firstClusterIndex, `directory ${[...path, name].join('\\')}`);
        walk(concat(image, runs, Number.MAX_SAFE_INTEGER), [...path, name], depth + 1);
      } else {
        const runs = entry.sizeBytes === 0 ? [] : chain(entry.firstClusterIndex, `file ${[...path, name].join('\\')}`);
        if (runs.length * clusterBytes < entry.sizeBytes) {
          throw invalid(`file ${[...path, name].join('\\')}`, at, `${entry.sizeBytes} bytes do not fit its ${runs.length} clusters`);
        }
        files.push({ path: [...path, name], sizeBytes: entry.sizeBytes, readBytes: () => concat(image, runs, entry.sizeBytes) });
      }
    }
  };
  if (rootStart + rootEntries * DIRECTORY_ENTRY_SIZE > image.length) throw invalid('root directory', rootStart, 'runs past the end of the image');
  walk(image.subarray(rootStart, rootStart + rootEntries * DIRECTORY_ENTRY_SIZE), [], 0);
  return { fatBits, files };
}

function concat(image: Uint8Array, runs: readonly [number, number][], limit: number): Uint8Array {
  const total = Math.min(limit, runs.reduce((n, [a, b]) => n + (b - a), 0));
  const out = new Uint8Array(total);
  let at = 0;
  for (const [a, b] of runs) {
    if (at >= total) break;
    if (b > image.length) throw invalid('cluster', a, 'runs past the end of the image');
    const piece = image.subarray(a, Math.min(b, a + (total - at)));
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
