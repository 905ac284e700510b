// planIso: FileTree + options -> IsoLayout, pure and deterministic. Every name, record, path
// table, the boot catalog and every extent address is worked out here, once, before a byte is
// written; emit.ts then writes the regions in ascending LBA.
//
// Volume layout (ECMA-119 §6.2, El Torito §2.0), in sectors of 2048 bytes:
//   0..15   System Area (zero)
//   16      Primary Volume Descriptor (§8.4)
//   17      Boot Record (El Torito requires sector 17) — only when booting
//   next    Joliet Supplementary Volume Descriptor (§8.5, Joliet §2)
//   next    Volume Descriptor Set Terminator (§8.3)
//   next    Boot Catalog (El Torito §2.1) — only when booting
//   then    L and M path tables of the primary tree, then of the Joliet tree (§9.4)
//   then    directory extents of the primary tree, then of the Joliet tree, in path table order
//   then    file extents, in primary-tree depth-first order (TreeFile.emitFirst ones first,
//           emitLast ones at the end);
//           both trees point at the same extent
// Empty files occupy no sectors: their record has length 0 and points where the next extent starts,
// as genisoimage does (xorriso points them at a reserved block; ECMA-119 §9.1.4 sets no rule).
//
// Not (yet) done: files > 4 GiB − 1 (multi-extent §6.5.1 / UDF bridge) are refused; the primary
// tree is not relocated past ECMA-119's 8 directory levels (§6.8.2.1) nor checked against the
// 255-byte path limit — Windows reads the Joliet tree, and xorriso/isoinfo/7z/Linux accept it.

import type { ContentSource } from '../io/content.js';
import { emitRank, type FileTree } from '../io/file-tree.js';
import { CaptureMediaError } from '../errors.js';
import {
  FIRST_VOLUME_DESCRIPTOR_LBA,
  MAX_UINT32,
  SECTOR_BYTES,
  encodeUcs2,
  sectorsFor,
} from './fields.js';
import {
  FILE_FLAG_DIRECTORY,
  FILE_FLAG_HIDDEN,
  PARENT_IDENTIFIER,
  SELF_IDENTIFIER,
  directoryExtentBytes,
  type DirectoryRecord,
} from './directory-record.js';
import { MAX_PATH_TABLE_DIRECTORIES, pathTableBytes, type PathTableRecord } from './path-table.js';
import type { VolumeDescriptor } from './volume-descriptor.js';
import {
  BOOT_INFO_TABLE_END,
  BOOT_RECORD_LBA,
  MAX_LOAD_SECTORS,
  MEDIA_NO_EMULATION,
  PLATFORM_BIOS,
  PLATFORM_EFI,
  VIRTUAL_SECTOR_BYTES,
  type BootCatalog,
  type BootEntry,
  type BootInfoTable,
} from './el-torito.js';
import { compareIsoNames, isoIdentifier, splitForSort } from './names.js';
import { buildTree, nameChildren, pathTableOrder, type DirNode, type FileNode, type IsoTreeKind, type Node } from './iso-tree.js';

export interface IsoBootBiosOptions {
  /** The boot file in the tree, e.g. ['boot', 'etfsboot.com']. */
  readonly path: readonly string[];
  /** 512-byte sectors the BIOS loads (El Torito §2.2 sector count); default 8 as oscdimg uses for etfsboot.com. */
  readonly loadSectors?: number;
  /** Patch bytes 8..63 of the boot file as mkisofs -boot-info-table does (file ≤ 1 MiB). */
  readonly bootInfoTable?: boolean;
}

export interface IsoBootUefiOptions {
  /** The FAT image in the tree, e.g. ['efi', 'microsoft', 'boot', 'efisys.bin']. */
  readonly path: readonly string[];
}

export interface IsoOptions {
  /** PVD volume identifier: d-characters (A-Z 0-9 _), 1..32 characters (ECMA-119 §8.4.6). */
  readonly volumeLabel: string;
  /** Joliet volume identifier: 1..16 UTF-16 units (Joliet §2: 32 bytes of UCS-2). */
  readonly jolietLabel: string;
  /** Every timestamp is derived from this (SOURCE_DATE_EPOCH); files may carry their own `modified`. */
  readonly recordedAt: Date;
  readonly systemId?: string;
  readonly volumeSetId?: string;
  readonly publisherId?: string;
  readonly dataPreparerId?: string;
  readonly applicationId?: string;
  readonly bootBios?: IsoBootBiosOptions;
  readonly bootUefi?: IsoBootUefiOptions;
}

export type { IsoTreeKind };

/** One file as placed on the medium; both trees' records point to the same extent. */
export interface IsoFile {
  /** The path in the FileTree (case and characters as given). */
  readonly path: readonly string[];
  /** Identifiers in the primary tree, e.g. ['BOOT', 'ETFSBOOT.COM;1']. */
  readonly isoPath: readonly string[];
  /** Names in the Joliet tree (what Windows shows). */
  readonly jolietPath: readonly string[];
  readonly lba: number;
  readonly sizeBytes: number;
  readonly sectorCount: number;
  readonly content: ContentSource;
  readonly recordedAt: Date;
  readonly hidden: boolean;
  /** When set, emit patches bytes 8..63 with this boot info table: the bytes on the medium differ from the source there. */
  readonly bootInfoTable?: BootInfoTable;
}

export interface IsoDirectory {
  readonly path: readonly string[];
  readonly isoPath: readonly string[];
  readonly jolietPath: readonly string[];
}

/** What one bootable catalog entry loads; `path` is the tree path of the image. */
export interface IsoBootImage {
  readonly platform: 'bios' | 'uefi';
  readonly path: readonly string[];
  readonly entry: BootEntry;
}

export type IsoRegion =
  | { readonly kind: 'volumeDescriptor'; readonly lba: number; readonly sectorCount: 1; readonly descriptor: VolumeDescriptor }
  | { readonly kind: 'bootRecord'; readonly lba: number; readonly sectorCount: 1; readonly catalogLba: number }
  | { readonly kind: 'terminator'; readonly lba: number; readonly sectorCount: 1 }
  | { readonly kind: 'bootCatalog'; readonly lba: number; readonly sectorCount: 1; readonly catalog: BootCatalog }
  | {
      readonly kind: 'pathTable';
      readonly lba: number;
      readonly sectorCount: number;
      readonly tree: IsoTreeKind;
      readonly bigEndian: boolean;
      readonly records: readonly PathTableRecord[];
    }
  | {
      readonly kind: 'directory';
      readonly lba: number;
      readonly sectorCount: number;
      readonly tree: IsoTreeKind;
      readonly path: readonly string[];
      readonly records: readonly DirectoryRecord[];
    }
  | { readonly kind: 'file'; readonly lba: number; readonly sectorCount: number; readonly file: IsoFile };

export interface IsoLayout {
  /** Every region with content, in ascending LBA; gaps (the System Area) are zero. */
  readonly regions: readonly IsoRegion[];
  readonly files: readonly IsoFile[];
  readonly directories: readonly IsoDirectory[];
  readonly bootImages: readonly IsoBootImage[];
  /** Tree paths of files whose bytes on the medium differ from the source (boot info table). */
  readonly patchedFiles: readonly (readonly string[])[];
  readonly totalSectors: number;
  readonly totalBytes: number;
}

/** mkisofs' limit for -boot-info-table files here: we buffer the file to compute its checksum. */
export const BOOT_INFO_TABLE_MAX_BYTES = 1024 * 1024;
/** oscdimg loads 8 × 512 bytes of etfsboot.com. */
export const DEFAULT_BIOS_LOAD_SECTORS = 8;

interface IsoAddresses {
  readonly pvdLba: number;
  readonly bootRecordLba: number | undefined;
  readonly svdLba: number;
  readonly terminatorLba: number;
  readonly catalogLba: number | undefined;
  readonly tables: { readonly [K in IsoTreeKind]: { readonly l: number; readonly m: number } };
  /** In the order their extents are laid out. */
  readonly fileNodes: FileNode[];
  readonly totalSectors: number;
}

interface PathTables {
  readonly order: { readonly [K in IsoTreeKind]: DirNode[] };
  readonly bytes: { readonly [K in IsoTreeKind]: number };
}

/** Step 2: each directory's children sorted per ECMA-119 §9.3 in each tree's own identifiers; the directories depth-first. */
function sortTrees(root: DirNode): DirNode[] {
  const dirs: DirNode[] = [];
  const walk = (dir: DirNode): void => {
    dirs.push(dir);
    const all = [...dir.children.values()];
    dir.placed.primary.children = [...all].sort((a, b) => compareIsoNames(a.isoName, b.isoName));
    dir.placed.joliet.children = [...all].sort((a, b) =>
      compareIsoNames(splitForSort(a.jolietName, a.kind === 'dir'), splitForSort(b.jolietName, b.kind === 'dir')),
    );
    for (const child of all) if (child.kind === 'dir') walk(child);
  };
  walk(root);
  return dirs;
}

/** Step 3: directory extent and path table sizes, which depend on identifiers only, so they are known before any LBA. */
function sizeDirectoriesAndPathTables(root: DirNode, dirs: readonly DirNode[], options: IsoOptions): PathTables {
  const order = { primary: pathTableOrder(root, 'primary'), joliet: pathTableOrder(root, 'joliet') };
  if (order.primary.length > MAX_PATH_TABLE_DIRECTORIES) {
    throw new CaptureMediaError('InvalidParameter', `${order.primary.length} directories exceed ISO 9660's limit of ${MAX_PATH_TABLE_DIRECTORIES}`);
  }
  for (const kind of ['primary', 'joliet'] as const) {
    for (const dir of dirs) dir.placed[kind].sizeBytes = directoryExtentBytes(directoryRecords(dir, kind, options));
  }
  const bytes = {
    primary: pathTableBytes(pathTableRecords(order.primary, 'primary')),
    joliet: pathTableBytes(pathTableRecords(order.joliet, 'joliet')),
  };
  return { order, bytes };
}

/** Step 4: every sector, in ascending order: descriptors, boot catalog, path tables, directories, files. */
function assignAddresses(root: DirNode, pathTables: PathTables, booting: boolean): IsoAddresses {
  let next = FIRST_VOLUME_DESCRIPTOR_LBA;
  const pvdLba = next++;
  const bootRecordLba = booting ? next++ : undefined;
  if (bootRecordLba !== undefined && bootRecordLba !== BOOT_RECORD_LBA) throw new Error('boot record must be at sector 17');
  const svdLba = next++;
  const terminatorLba = next++;
  const catalogLba = booting ? next++ : undefined;
  const tables = { primary: { l: 0, m: 0 }, joliet: { l: 0, m: 0 } };
  for (const kind of ['primary', 'joliet'] as const) {
    tables[kind].l = next;
    next += sectorsFor(pathTables.bytes[kind]);
    tables[kind].m = next;
    next += sectorsFor(pathTables.bytes[kind]);
  }
  for (const kind of ['primary', 'joliet'] as const) {
    for (const dir of pathTables.order[kind]) {
      dir.placed[kind].lba = next;
      next += dir.placed[kind].sizeBytes / SECTOR_BYTES;
    }
  }
  const fileNodes: FileNode[] = [];
  const collect = (dir: DirNode): void => {
    for (const child of dir.placed.primary.children) {
      if (child.kind === 'file') fileNodes.push(child);
      else collect(child);
    }
  };
  collect(root);
  // Files marked emitLast (the media manifest, whose content depends on every other file's hash)
  // get the last extents, so a one-pass emitter reaches them after everything they describe;
  // emitFirst ones (the boot image) the first. The sort is stable: the rest keep tree order.
  fileNodes.sort((a, b) => emitRank(a.source) - emitRank(b.source));
  for (const node of fileNodes) {
    node.lba = next;
    next += sectorsFor(node.source.content.sizeBytes);
  }
  const totalSectors = next;
  // An empty file points where the next extent starts (as genisoimage does); one after the last
  // extent would point past the volume, so it points at the last sector instead (length 0: never read).
  for (const node of fileNodes) if (node.lba === totalSectors) node.lba = totalSectors - 1;
  if (totalSectors > MAX_UINT32) throw new CaptureMediaError('FileTooLargeForMedia', 'The content exceeds the 8 TiB an ISO 9660 volume can address.');
  return { pvdLba, bootRecordLba, svdLba, terminatorLba, catalogLba, tables, fileNodes, totalSectors };
}

/** Step 6: the files as the emitter sees them, with the boot info table where one was asked for. */
function planFiles(addresses: IsoAddresses, bootInfo: ReadonlyMap<FileNode, BootInfoTable>, options: IsoOptions): IsoFile[] {
  return addresses.fileNodes.map((node) => {
    const table = bootInfo.get(node);
    const base = {
      path: node.path,
      isoPath: [...node.parent.isoPath, isoIdentifier(node.isoName)],
      jolietPath: [...node.parent.jolietPath, node.jolietName],
      lba: node.lba,
      sizeBytes: node.source.content.sizeBytes,
      sectorCount: sectorsFor(node.source.content.sizeBytes),
      content: node.source.content,
      recordedAt: node.source.modified ?? options.recordedAt,
      hidden: node.source.hidden === true,
    };
    return table === undefined ? base : { ...base, bootInfoTable: table };
  });
}

/** Step 7: every region of the volume, each record built once, in ascending LBA. */
function buildRegions(
  root: DirNode,
  pathTables: PathTables,
  addresses: IsoAddresses,
  catalog: BootCatalog | undefined,
  files: readonly IsoFile[],
  options: IsoOptions,
): IsoRegion[] {
  const { tables, totalSectors } = addresses;
  const regions: IsoRegion[] = [];
  const vd = (joliet: boolean): VolumeDescriptor => {
    const kind: IsoTreeKind = joliet ? 'joliet' : 'primary';
    const text = joliet ? (s: string) => s : toACharacters;
    return {
      joliet,
      systemId: text(options.systemId ?? ''),
      volumeId: joliet ? options.jolietLabel : options.volumeLabel,
      volumeSpaceSectors: totalSectors,
      pathTableBytes: pathTables.bytes[kind],
      lPathTableLba: tables[kind].l,
      mPathTableLba: tables[kind].m,
      root: { ...dirRecord(root, kind, options), identifier: SELF_IDENTIFIER },
      volumeSetId: text(options.volumeSetId ?? ''),
      publisherId: text(options.publisherId ?? ''),
      dataPreparerId: text(options.dataPreparerId ?? ''),
      applicationId: text(options.applicationId ?? ''),
      createdAt: options.recordedAt,
      modifiedAt: options.recordedAt,
    };
  };
  regions.push({ kind: 'volumeDescriptor', lba: addresses.pvdLba, sectorCount: 1, descriptor: vd(false) });
  if (addresses.bootRecordLba !== undefined && addresses.catalogLba !== undefined) {
    regions.push({ kind: 'bootRecord', lba: addresses.bootRecordLba, sectorCount: 1, catalogLba: addresses.catalogLba });
  }
  regions.push({ kind: 'volumeDescriptor', lba: addresses.svdLba, sectorCount: 1, descriptor: vd(true) });
  regions.push({ kind: 'terminator', lba: addresses.terminatorLba, sectorCount: 1 });
  if (addresses.catalogLba !== undefined && catalog !== undefined) {
    regions.push({ kind: 'bootCatalog', lba: addresses.catalogLba, sectorCount: 1, catalog });
  }
  for (const kind of ['primary', 'joliet'] as const) {
    const records = pathTableRecords(pathTables.order[kind], kind);
    const sectorCount = sectorsFor(pathTables.bytes[kind]);
    regions.push({ kind: 'pathTable', lba: tables[kind].l, sectorCount, tree: kind, bigEndian: false, records });
    regions.push({ kind: 'pathTable', lba: tables[kind].m, sectorCount, tree: kind, bigEndian: true, records });
  }
  for (const kind of ['primary', 'joliet'] as const) {
    for (const dir of pathTables.order[kind]) {
      regions.push({
        kind: 'directory',
        lba: dir.placed[kind].lba,
        sectorCount: dir.placed[kind].sizeBytes / SECTOR_BYTES,
        tree: kind,
        path: dir.path,
        records: directoryRecords(dir, kind, options),
      });
    }
  }
  for (const file of files) if (file.sectorCount > 0) regions.push({ kind: 'file', lba: file.lba, sectorCount: file.sectorCount, file });
  return regions;
}

export function planIso(tree: FileTree, options: IsoOptions): IsoLayout {
  // Step 1: options, the tree, and each entry's ISO 9660 and Joliet names.
  checkOptions(options);
  const root = buildTree(tree);
  nameChildren(root);
  const dirs = sortTrees(root);
  const pathTables = sizeDirectoriesAndPathTables(root, dirs, options);
  const addresses = assignAddresses(root, pathTables, options.bootBios !== undefined || options.bootUefi !== undefined);

  // Step 5: the boot catalog, built once, from the placed boot files.
  const boot = planBoot(root, options);
  const bootInfo = new Map<FileNode, BootInfoTable>();
  if (boot.biosNode !== undefined && options.bootBios?.bootInfoTable === true) {
    const size = boot.biosNode.source.content.sizeBytes;
    bootInfo.set(boot.biosNode, { pvdLba: addresses.pvdLba, fileLba: boot.biosNode.lba, fileLengthBytes: size });
  }
  const files = planFiles(addresses, bootInfo, options);

  const layout: IsoLayout = {
    regions: buildRegions(root, pathTables, addresses, boot.catalog, files, options),
    files,
    directories: dirs.filter((d) => d !== root).map((d) => ({ path: d.path, isoPath: d.isoPath, jolietPath: d.jolietPath })),
    bootImages: boot.images.map(({ platform, node, entry }) => ({ platform, path: node.path, entry })),
    patchedFiles: [...bootInfo.keys()].map((node) => node.path),
    totalSectors: addresses.totalSectors,
    totalBytes: addresses.totalSectors * SECTOR_BYTES,
  };
  validateLayout(layout);
  return layout;
}

/** Check the plan before any I/O: regions ascending, inside the volume, not overlapping; totals agree. */
export function validateLayout(layout: IsoLayout): void {
  const fail = (message: string): never => {
    throw new CaptureMediaError('InternalError', `ISO layout is inconsistent: ${message}`);
  };
  if (layout.totalBytes !== layout.totalSectors * SECTOR_BYTES) fail('total bytes and sectors disagree');
  let end = FIRST_VOLUME_DESCRIPTOR_LBA;
  for (const region of layout.regions) {
    if (!Number.isInteger(region.lba) || region.sectorCount < 1) fail(`${region.kind} has no sectors`);
    if (region.lba < end) fail(`${region.kind} at ${region.lba} overlaps the region ending at ${end}`);
    end = region.lba + region.sectorCount;
  }
  if (end > layout.totalSectors) fail(`regions end at ${end}, past the volume's ${layout.totalSectors} sectors`);
  const first = layout.regions[0];
  if (first?.kind !== 'volumeDescriptor' || first.lba !== FIRST_VOLUME_DESCRIPTOR_LBA) fail('the PVD is not at sector 16');
  let fileBytes = 0;
  for (const file of layout.files) {
    if (file.sizeBytes > MAX_UINT32) fail(`${file.path.join('/')} exceeds a single extent`);
    if (file.sectorCount !== sectorsFor(file.sizeBytes)) fail(`${file.path.join('/')} sector count`);
    fileBytes += file.sectorCount;
  }
  const fileSectors = layout.regions.reduce((sum, r) => sum + (r.kind === 'file' ? r.sectorCount : 0), 0);
  if (fileSectors !== fileBytes) fail('file sectors do not match the file regions');
  for (const image of layout.bootImages) {
    const file = layout.files.find((f) => samePath(f.path, image.path));
    if (file === undefined || file.lba !== image.entry.loadLba) fail(`boot image ${image.path.join('/')} is not where the catalog points`);
  }
}

// ---------------------------------------------------------------------------------------------

function checkOptions(options: IsoOptions): void {
  if (!/^[A-Z0-9_]{1,32}$/u.test(options.volumeLabel)) {
    throw new CaptureMediaError('LabelInvalid', `The ISO volume label must be 1-32 characters A-Z, 0-9 or _ (ECMA-119 d-characters): "${options.volumeLabel}"`, {
      target: options.volumeLabel,
    });
  }
  // eslint-disable-next-line no-control-regex
  if (options.jolietLabel.length < 1 || options.jolietLabel.length > 16 || /[\u0000-\u001f*/:;?\\]/u.test(options.jolietLabel)) {
    throw new CaptureMediaError('LabelInvalid', `The Joliet volume label must be 1-16 characters without control characters or * / : ; ? \\: "${options.jolietLabel}"`, {
      target: options.jolietLabel,
    });
  }
  if (Number.isNaN(options.recordedAt.getTime())) throw new CaptureMediaError('InvalidParameter', 'recordedAt is not a valid date');
  const load = options.bootBios?.loadSectors;
  if (load !== undefined && (!Number.isInteger(load) || load < 1 || load > MAX_LOAD_SECTORS)) {
    throw new CaptureMediaError('InvalidParameter', `BIOS boot load size must be 1..${MAX_LOAD_SECTORS} sectors of 512 bytes, not ${load}`);
  }
}
function identifierBytes(node: Node, kind: IsoTreeKind): Uint8Array {
  return kind === 'primary' ? new TextEncoder().encode(isoIdentifier(node.isoName)) : encodeUcs2(node.jolietName);
}

function pathTableRecords(order: readonly DirNode[], kind: IsoTreeKind): PathTableRecord[] {
  return order.map((dir, i) => ({
    extentLba: dir.placed[kind].lba,
    parentNumber: i === 0 ? 1 : dir.placed[kind].parent!.placed[kind].number,
    identifier: i === 0 ? SELF_IDENTIFIER : identifierBytes(dir, kind),
  }));
}

function dirRecord(dir: DirNode, kind: IsoTreeKind, options: IsoOptions): Omit<DirectoryRecord, 'identifier'> {
  return { extentLba: dir.placed[kind].lba, dataLengthBytes: dir.placed[kind].sizeBytes, recordedAt: options.recordedAt, flags: FILE_FLAG_DIRECTORY };
}

/** §6.8.2.2: "." then "..", then the children in §9.3 order. */
function directoryRecords(dir: DirNode, kind: IsoTreeKind, options: IsoOptions): DirectoryRecord[] {
  const parent = dir.placed[kind].parent ?? dir;
  const records: DirectoryRecord[] = [
    { ...dirRecord(dir, kind, options), identifier: SELF_IDENTIFIER },
    { ...dirRecord(parent, kind, options), identifier: PARENT_IDENTIFIER },
  ];
  for (const child of dir.placed[kind].children) {
    if (child.kind === 'dir') {
      records.push({ ...dirRecord(child, kind, options), identifier: identifierBytes(child, kind) });
    } else {
      const file = child.source;
      records.push({
        extentLba: child.lba,
        dataLengthBytes: file.content.sizeBytes,
        recordedAt: file.modified ?? options.recordedAt,
        flags: file.hidden === true ? FILE_FLAG_HIDDEN : 0,
        identifier: identifierBytes(child, kind),
      });
    }
  }
  return records;
}

interface PlannedBoot {
  readonly catalog: BootCatalog | undefined;
  readonly biosNode: FileNode | undefined;
  readonly images: readonly { platform: 'bios' | 'uefi'; node: FileNode; entry: BootEntry }[];
}

/** El Torito §2.1–§2.4, laid out as oscdimg does for Windows media (see el-torito.ts). */
function planBoot(root: DirNode, options: IsoOptions): PlannedBoot {
  const images: { platform: 'bios' | 'uefi'; node: FileNode; entry: BootEntry }[] = [];
  let biosNode: FileNode | undefined;
  if (options.bootBios !== undefined) {
    biosNode = findBootFile(root, options.bootBios.path, 'BIOS');
    const size = biosNode.source.content.sizeBytes;
    if (options.bootBios.bootInfoTable === true && (size < BOOT_INFO_TABLE_END || size > BOOT_INFO_TABLE_MAX_BYTES)) {
      throw new CaptureMediaError(
        'InvalidParameter',
        `${biosNode.path.join('/')} is ${size} bytes; a boot info table needs a boot file of ${BOOT_INFO_TABLE_END} bytes to 1 MiB`,
        { target: biosNode.path.join('/') },
      );
    }
    images.push({
      platform: 'bios',
      node: biosNode,
      entry: {
        platformId: PLATFORM_BIOS,
        bootable: true,
        mediaType: MEDIA_NO_EMULATION,
        loadSegment: 0, // 0 = the traditional 0x7C0 (El Torito §2.2)
        systemType: 0,
        sectorCount: options.bootBios.loadSectors ?? DEFAULT_BIOS_LOAD_SECTORS,
        loadLba: biosNode.lba,
      },
    });
  }
  if (options.bootUefi !== undefined) {
    const node = findBootFile(root, options.bootUefi.path, 'UEFI');
    // The whole FAT image, in 512-byte sectors, as oscdimg and xorriso write; past 0xFFFF xorriso writes 0
    // ("El Torito cannot represent load sizes higher than 65535") and firmware reads the whole image.
    const sectors = Math.ceil(node.source.content.sizeBytes / VIRTUAL_SECTOR_BYTES);
    images.push({
      platform: 'uefi',
      node,
      entry: {
        platformId: PLATFORM_EFI,
        bootable: true,
        mediaType: MEDIA_NO_EMULATION,
        loadSegment: 0,
        systemType: 0,
        sectorCount: sectors > MAX_LOAD_SECTORS ? 0 : sectors,
        loadLba: node.lba,
      },
    });
  }
  if (images.length === 0) return { catalog: undefined, biosNode, images };
  return {
    catalog: { validationPlatformId: images[0]!.entry.platformId, idString: '', entries: images.map((i) => i.entry) },
    biosNode,
    images,
  };
}

function findBootFile(root: DirNode, path: readonly string[], what: string): FileNode {
  // Exact match first; then case-insensitive, since layout/ may spell Windows paths either way.
  let node: Node | undefined = root;
  for (const name of path) {
    if (node?.kind !== 'dir') break;
    const parent: DirNode = node;
    node = parent.children.get(name) ?? [...parent.children.values()].find((c) => c.name.toLowerCase() === name.toLowerCase());
  }
  if (node?.kind !== 'file' || path.length === 0) {
    throw new CaptureMediaError('BootFilesMissing', `The ${what} boot file ${path.join('/')} is not in the media tree`, { target: path.join('/') });
  }
  if (node.source.content.sizeBytes === 0) {
    throw new CaptureMediaError('BootFilesMissing', `The ${what} boot file ${path.join('/')} is empty`, { target: path.join('/') });
  }
  return node;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** ECMA-119 §7.4.1 a-characters for the PVD's text fields: upper case, others → "_". */
function toACharacters(text: string): string {
  let out = '';
  for (const ch of text.toUpperCase()) out += /^[A-Z0-9 !"%&'()*+,\-./:;<=>?_]$/u.test(ch) ? ch : '_';
  return out;
}
