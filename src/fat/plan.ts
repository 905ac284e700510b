// planFat32Volume: a FileTree and options -> every byte position of one FAT32 volume, relative to
// the volume's first byte, worked out before anything is written. The volume knows nothing of a
// partition table: it gets a size and the one number its BPB records about where it sits
// (BPB_HiddSec). partition/fat32-disk.ts puts it behind an MBR, as go-diskfs gives a file system
// a byte range of its disk.
//
// Pure and deterministic, in named steps: validate the options, build the tree (names and sizes
// checked), walk it (sorted, short names assigned), allocate clusters (contiguous, in order: root,
// directories depth-first, then files in the same order), encode every directory's entries, build
// the boot sector and FSInfo. validateFat32Volume checks the totals and that no two extents
// overlap. Nothing here reads file contents or touches a disk.
//
// Microsoft FAT specification: §3 (BPB), §4 (FAT), §5 (FSInfo), §6 (directories, "." and ".."
// entries: ".." of a root child points at cluster 0), §7 (long names).

import { CaptureMediaError } from '../errors.js';
import type { ContentSource } from '../io/content.js';
import { emitRank, type FileTree } from '../io/file-tree.js';
import { fat32BootSector, type Fat32BootSector } from './boot-sector.js';
import {
  ATTR_ARCHIVE,
  ATTR_DIRECTORY,
  ATTR_HIDDEN,
  ATTR_VOLUME_ID,
  DIRECTORY_ENTRY_SIZE,
  encodeDirectoryEntry,
  ENTRY_E5_ESCAPE,
  ENTRY_FREE,
  toFatTimestamp,
  type DirectoryEntry,
} from './directory-entry.js';
import { type FsInfo, FSINFO_UNKNOWN } from './fsinfo.js';
import { fat32Geometry, SECTOR_BYTES, type Fat32Geometry } from './geometry.js';
import { encodeLongNameEntry, longNameEntries } from './long-name.js';
import { assignShortNames, longNameProblem, nameKey } from './short-name.js';
import { normalizeFatLabel, paddedLabel } from './volume-label.js';

/** §6 DIR_FileSize is 32 bits: the largest file FAT32 can hold is 4 GiB − 1 byte. */
export const FAT32_MAX_FILE_BYTES = 0xffffffff;
/** A directory may not exceed 65,536 32-byte entries (§6; the numeric-tail and Windows limit). */
export const FAT32_MAX_DIRECTORY_ENTRIES = 65536;
/** BPB_TotSec32 is 32 bits: a volume ends by 2 TiB. */
const MAX_VOLUME_SECTORS = 0xffffffff;

export interface Fat32VolumeOptions {
  /** Sectors the volume may use (it uses them all, up to the 32-bit limit). */
  readonly volumeSectorCount: number;
  /** BPB_HiddSec: sectors before the volume on its disk (the partition's first LBA; 0 when bare). */
  readonly hiddenSectorCount: number;
  /** FAT label, up to 11 characters (validated, upper-cased); '' for none. */
  readonly label: string;
  /** BS_VolID (u32): usually derived from the time; from options for reproducible output. */
  readonly volumeId: number;
  /** Timestamps of directories, the label entry, and files without their own `modified`. */
  readonly recordedAt: Date;
  /** Override the cluster size (tests, tool comparisons); default as Windows' format chooses. */
  readonly clusterSizeBytes?: number;
}

export interface PlannedDirectory {
  readonly path: readonly string[];
  readonly firstClusterIndex: number;
  readonly clusterCount: number;
  /** The encoded 32-byte entries ("." "..", label, LFN + 8.3 entries); the rest of the clusters are zero. */
  readonly entries: Uint8Array;
}

export interface PlannedFile {
  readonly path: readonly string[];
  readonly content: ContentSource;
  readonly sizeBytes: number;
  /** 0 for an empty file (no clusters, §6 DIR_FstClus = 0). */
  readonly firstClusterIndex: number;
  readonly clusterCount: number;
}

/** One planned FAT32 volume; every offset it implies is relative to the volume's first byte. */
export interface Fat32VolumeLayout {
  /** geometry.volumeSectorCount sectors. */
  readonly volumeSizeBytes: number;
  readonly bootSector: Fat32BootSector;
  readonly fsInfo: FsInfo;
  readonly geometry: Fat32Geometry;
  /** The label as stored, unpadded ('' = none). */
  readonly label: string;
  /** In cluster order; the root (cluster 2) first. */
  readonly directories: readonly PlannedDirectory[];
  /** In cluster order; empty files (no clusters) where they fall in the walk. */
  readonly files: readonly PlannedFile[];
  /** Clusters 2 .. 2 + usedClusterCount − 1 hold directories and files; the rest are free. */
  readonly usedClusterCount: number;
  /** Last cluster of every chain, ascending: what the FAT writer marks end-of-chain. */
  readonly chainEnds: readonly number[];
}

interface DirNode {
  readonly name: string;
  readonly path: readonly string[];
  readonly children: Map<string, DirNode | FileNode>;
}
interface FileNode {
  readonly name: string;
  readonly path: readonly string[];
  readonly content: ContentSource;
  readonly modified: Date | undefined;
  readonly hidden: boolean;
  /** Where the contents go in the cluster order: emitRank of the TreeFile. */
  readonly emitRank: number;
}

function isDir(node: DirNode | FileNode): node is DirNode {
  return 'children' in node;
}

function invalid(message: string, target: string): CaptureMediaError {
  return new CaptureMediaError('InvalidParameter', message, { target });
}

function checkUint32(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw invalid(`${name} must be a 32-bit unsigned integer, not ${value}.`, name);
}

/** Build the directory tree, validating names and sizes (FileTooLargeForFat32 before anything else). */
function buildTree(tree: FileTree): DirNode {
  for (const file of tree.files) {
    if (file.content.sizeBytes > FAT32_MAX_FILE_BYTES) {
      const name = file.path.join('/');
      throw new CaptureMediaError(
        'FileTooLargeForFat32',
        `${name} is ${file.content.sizeBytes} bytes; FAT32 holds files of at most 4 GiB − 1 (${FAT32_MAX_FILE_BYTES} bytes).`,
        { target: name },
      );
    }
  }
  const root: DirNode = { name: '', path: [], children: new Map() };
  const ensureDir = (path: readonly string[]): DirNode => {
    let node = root;
    path.forEach((name, i) => {
      const sub = path.slice(0, i + 1);
      const problem = longNameProblem(name);
      if (problem) throw invalid(`${sub.join('/')}: ${problem}, which FAT32 does not allow.`, sub.join('/'));
      const existing = node.children.get(nameKey(name));
      if (existing === undefined) {
        const created: DirNode = { name, path: sub, children: new Map() };
        node.children.set(nameKey(name), created);
        node = created;
      } else if (!isDir(existing)) {
        throw invalid(`${sub.join('/')} is both a file and a directory.`, sub.join('/'));
      } else if (existing.name !== name) {
        throw invalid(`${sub.join('/')} and ${existing.path.join('/')} differ only in case, which FAT32 cannot hold.`, sub.join('/'));
      } else {
        node = existing;
      }
    });
    return node;
  };
  for (const dir of tree.directories ?? []) ensureDir(dir);
  for (const file of tree.files) {
    const joined = file.path.join('/');
    if (file.path.length === 0) throw invalid('A file has an empty path.', joined);
    const name = file.path[file.path.length - 1]!;
    const parent = ensureDir(file.path.slice(0, -1));
    const problem = longNameProblem(name);
    if (problem) throw invalid(`${joined}: ${problem}, which FAT32 does not allow.`, joined);
    const existing = parent.children.get(nameKey(name));
    if (existing !== undefined) {
      const what = isDir(existing) ? 'is both a file and a directory' : existing.name === name ? 'appears twice' : `and ${existing.path.join('/')} differ only in case`;
      throw invalid(`${joined} ${what}; FAT32 cannot hold that.`, joined);
    }
    parent.children.set(nameKey(name), {
      name,
      path: file.path,
      content: file.content,
      modified: file.modified,
      hidden: file.hidden === true,
      emitRank: emitRank(file),
    });
  }
  return root;
}

/** Children in the order they are stored: case-insensitive name, then ordinal (deterministic). */
function sortedChildren(dir: DirNode): (DirNode | FileNode)[] {
  return [...dir.children.values()].sort((a, b) => {
    const ka = nameKey(a.name);
    const kb = nameKey(b.name);
    return ka < kb ? -1 : ka > kb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

function entryCount(dir: DirNode, isRoot: boolean, hasLabel: boolean, shortNames: ShortNames): number {
  let count = isRoot ? (hasLabel ? 1 : 0) : 2;
  for (const child of dir.children.values()) {
    const short = shortNames.get(child)!;
    count += 1 + (short.needsLongName ? Math.ceil(child.name.length / 13) : 0);
  }
  return count;
}

type ShortNames = Map<DirNode | FileNode, ReturnType<typeof assignShortNames>[number]>;

interface Walk {
  /** Depth-first, sorted; the root first. */
  readonly directories: DirNode[];
  /** In the order their contents are laid out. */
  readonly files: FileNode[];
  readonly shortNames: ShortNames;
  readonly parentOf: Map<DirNode, DirNode>;
}

interface Allocation {
  readonly firstCluster: Map<DirNode | FileNode, number>;
  readonly clusterCounts: Map<DirNode | FileNode, number>;
  readonly chainEnds: number[];
  readonly usedClusterCount: number;
}

/** Step 1: the options that are not about the files, checked before anything else. */
function validateVolumeOptions(options: Fat32VolumeOptions): string {
  const label = normalizeFatLabel(options.label);
  if (!Number.isSafeInteger(options.volumeSectorCount) || options.volumeSectorCount < 0) {
    throw invalid(`The volume size ${options.volumeSectorCount} is not a whole number of sectors.`, 'volumeSectorCount');
  }
  checkUint32(options.hiddenSectorCount, 'hiddenSectorCount');
  checkUint32(options.volumeId, 'volumeId');
  if (!Number.isFinite(options.recordedAt.getTime())) throw invalid('recordedAt is not a valid date.', 'recordedAt');
  return label;
}

/** Step 3: directories depth-first in sorted order, files in the same order, short names assigned. */
function walkTree(root: DirNode): Walk {
  const directories: DirNode[] = [];
  const files: FileNode[] = [];
  const shortNames: ShortNames = new Map();
  const parentOf = new Map<DirNode, DirNode>();
  const walk = (dir: DirNode): void => {
    directories.push(dir);
    const children = sortedChildren(dir);
    const shorts = assignShortNames(children.map((c) => c.name));
    children.forEach((child, i) => shortNames.set(child, shorts[i]!));
    for (const child of children) {
      if (isDir(child)) {
        parentOf.set(child, dir);
        walk(child);
      } else files.push(child);
    }
  };
  walk(root);
  // Files marked emitLast (the media manifest, whose content depends on every other file's hash)
  // get the last clusters, so the one-pass emitter reaches them after everything they describe;
  // emitFirst ones (the boot image) the first clusters. Stable: the rest keep tree order.
  files.sort((a, b) => a.emitRank - b.emitRank);
  return { directories, files, shortNames, parentOf };
}

/** Step 4: clusters contiguously from cluster 2, directories first; DiskTooSmall when they do not fit. */
function allocateClusters(walked: Walk, root: DirNode, hasLabel: boolean, geometry: Fat32Geometry): Allocation {
  const clusterBytes = geometry.clusterSizeBytes;
  let next = 2;
  const firstCluster = new Map<DirNode | FileNode, number>();
  const clusterCounts = new Map<DirNode | FileNode, number>();
  const chainEnds: number[] = [];
  const allocate = (node: DirNode | FileNode, count: number): void => {
    if (count === 0) {
      firstCluster.set(node, 0);
      clusterCounts.set(node, 0);
      return;
    }
    firstCluster.set(node, next);
    clusterCounts.set(node, count);
    next += count;
    chainEnds.push(next - 1);
  };
  for (const dir of walked.directories) {
    const count = entryCount(dir, dir === root, hasLabel, walked.shortNames);
    if (count > FAT32_MAX_DIRECTORY_ENTRIES) {
      throw invalid(`The directory /${dir.path.join('/')} needs ${count} entries; FAT32 allows ${FAT32_MAX_DIRECTORY_ENTRIES}.`, dir.path.join('/'));
    }
    allocate(dir, Math.max(1, Math.ceil((count * DIRECTORY_ENTRY_SIZE) / clusterBytes)));
  }
  for (const file of walked.files) allocate(file, Math.ceil(file.content.sizeBytes / clusterBytes));
  const usedClusterCount = next - 2;
  if (usedClusterCount > geometry.clusterCount) {
    throw new CaptureMediaError(
      'DiskTooSmall',
      `The files need ${usedClusterCount} clusters of ${clusterBytes} bytes (${usedClusterCount * clusterBytes} bytes); the FAT32 volume has ${geometry.clusterCount}.`,
    );
  }
  return { firstCluster, clusterCounts, chainEnds, usedClusterCount };
}

/** Step 5: every directory's 32-byte entries ("." "..", the label, LFN + 8.3 entries). */
function encodeDirectories(walked: Walk, root: DirNode, allocation: Allocation, label: string, recordedAt: Date): PlannedDirectory[] {
  const { firstCluster, clusterCounts } = allocation;
  const recorded = toFatTimestamp(recordedAt);
  const stamp = (when: ReturnType<typeof toFatTimestamp>) => ({
    createdTimeTenth: when.tenth,
    createdTime: when.time,
    createdDate: when.date,
    accessedDate: when.date,
    writeTime: when.time,
    writeDate: when.date,
  });
  const dotName = (dots: 1 | 2): Uint8Array => new Uint8Array(11).fill(0x20).fill(0x2e, 0, dots);
  return walked.directories.map((dir) => {
    const entries: Uint8Array[] = [];
    const push = (entry: DirectoryEntry): void => {
      entries.push(encodeDirectoryEntry(entry));
    };
    const own = firstCluster.get(dir)!;
    if (dir === root) {
      if (label.length > 0) {
        push({
          name: new TextEncoder().encode(paddedLabel(label)),
          attributes: ATTR_VOLUME_ID,
          ntReserved: 0,
          ...stamp(recorded),
          firstClusterIndex: 0,
          sizeBytes: 0,
        });
      }
    } else {
      const parent = walked.parentOf.get(dir)!;
      // §6.1: "." points at the directory itself, ".." at the parent, and 0 when the parent is the root.
      push({ name: dotName(1), attributes: ATTR_DIRECTORY, ntReserved: 0, ...stamp(recorded), firstClusterIndex: own, sizeBytes: 0 });
      push({
        name: dotName(2),
        attributes: ATTR_DIRECTORY,
        ntReserved: 0,
        ...stamp(recorded),
        firstClusterIndex: parent === root ? 0 : firstCluster.get(parent)!,
        sizeBytes: 0,
      });
    }
    for (const child of sortedChildren(dir)) {
      const short = walked.shortNames.get(child)!;
      if (short.needsLongName) {
        for (const lfn of longNameEntries(child.name, short.name)) entries.push(encodeLongNameEntry(lfn));
      }
      const name = short.name.slice();
      if (name[0] === ENTRY_FREE) name[0] = ENTRY_E5_ESCAPE; // never: our short names are ASCII
      const dirChild = isDir(child);
      push({
        name,
        attributes: dirChild ? ATTR_DIRECTORY : ATTR_ARCHIVE | (child.hidden ? ATTR_HIDDEN : 0),
        ntReserved: short.ntReserved,
        ...stamp(dirChild ? recorded : toFatTimestamp(child.modified ?? recordedAt)),
        firstClusterIndex: firstCluster.get(child)!,
        sizeBytes: dirChild ? 0 : child.content.sizeBytes,
      });
    }
    const bytes = new Uint8Array(entries.length * DIRECTORY_ENTRY_SIZE);
    entries.forEach((e, i) => bytes.set(e, i * DIRECTORY_ENTRY_SIZE));
    return { path: dir.path, firstClusterIndex: own, clusterCount: clusterCounts.get(dir)!, entries: bytes };
  });
}

/** Step 6: §3 boot sector and §5 FSInfo. */
function bootRecords(options: Fat32VolumeOptions, geometry: Fat32Geometry, label: string, usedClusterCount: number): { bootSector: Fat32BootSector; fsInfo: FsInfo } {
  const bootSector = fat32BootSector({
    sectorsPerCluster: geometry.sectorsPerCluster,
    reservedSectorCount: geometry.reservedSectorCount,
    hiddenSectorCount: options.hiddenSectorCount,
    totalSectorCount: geometry.volumeSectorCount,
    fatSectorCount: geometry.fatSectorCount,
    volumeId: options.volumeId,
    volumeLabel: paddedLabel(label),
  });
  const freeClusterCount = geometry.clusterCount - usedClusterCount;
  // §5 calls FSI_Nxt_Free "where to start looking for free clusters"; Linux and mtools read it as
  // the last allocated cluster and search after it. The last used cluster (what mkfs.fat writes:
  // 2 on an empty volume) serves both readings.
  const fsInfo: FsInfo = {
    freeClusterCount,
    nextFreeClusterIndex: freeClusterCount > 0 ? 1 + usedClusterCount : FSINFO_UNKNOWN,
  };
  return { bootSector, fsInfo };
}

export function planFat32Volume(tree: FileTree, options: Fat32VolumeOptions): Fat32VolumeLayout {
  const label = validateVolumeOptions(options);
  const root = buildTree(tree);
  const geometry = fat32Geometry(Math.min(options.volumeSectorCount, MAX_VOLUME_SECTORS), options.clusterSizeBytes);
  const walked = walkTree(root);
  const allocation = allocateClusters(walked, root, label.length > 0, geometry);
  const directories = encodeDirectories(walked, root, allocation, label, options.recordedAt);
  const files: PlannedFile[] = walked.files.map((file) => ({
    path: file.path,
    content: file.content,
    sizeBytes: file.content.sizeBytes,
    firstClusterIndex: allocation.firstCluster.get(file)!,
    clusterCount: allocation.clusterCounts.get(file)!,
  }));
  const layout: Fat32VolumeLayout = {
    volumeSizeBytes: geometry.volumeSectorCount * SECTOR_BYTES,
    ...bootRecords(options, geometry, label, allocation.usedClusterCount),
    geometry,
    label,
    directories,
    files,
    usedClusterCount: allocation.usedClusterCount,
    chainEnds: allocation.chainEnds,
  };
  validateFat32Volume(layout);
  return layout;
}

/** Totals and overlaps, checked before any I/O (a failure here is a bug: InternalError). */
export function validateFat32Volume(layout: Fat32VolumeLayout): void {
  const fail = (message: string): never => {
    throw new CaptureMediaError('InternalError', `FAT32 layout check failed: ${message}`);
  };
  const g = layout.geometry;
  if (g.dataStartSector + g.clusterCount * g.sectorsPerCluster > g.volumeSectorCount) fail('the data region extends past the volume');
  if (g.fatSectorCount * (SECTOR_BYTES / 4) < g.clusterCount + 2) fail('the FAT does not cover every cluster');
  let expected = 2;
  const extents = [...layout.directories, ...layout.files].filter((x) => x.clusterCount > 0);
  const ends: number[] = [];
  for (const extent of extents) {
    if (extent.firstClusterIndex !== expected) fail(`an extent starts at cluster ${extent.firstClusterIndex}, expected ${expected}`);
    expected += extent.clusterCount;
    ends.push(expected - 1);
  }
  for (const f of layout.files) {
    if (f.clusterCount !== Math.ceil(f.sizeBytes / g.clusterSizeBytes)) fail(`${f.path.join('/')} has the wrong cluster count`);
  }
  for (const d of layout.directories) {
    if (d.entries.length > d.clusterCount * g.clusterSizeBytes) fail(`/${d.path.join('/')} entries overflow its clusters`);
  }
  if (expected - 2 !== layout.usedClusterCount) fail('the used cluster count does not add up');
  if (expected - 2 > g.clusterCount) fail('more clusters used than the volume has');
  if (ends.length !== layout.chainEnds.length || ends.some((e, i) => e !== layout.chainEnds[i])) fail('chain ends disagree');
  if (layout.fsInfo.freeClusterCount !== g.clusterCount - layout.usedClusterCount) fail('FSInfo free count');
}
