// Windows disk discovery: the Storage module queries (Get-Disk, Get-Partition, Get-Volume), the
// Windows directory's drive and the page files, parsed into the platform-neutral DiskInfo.
//
// References:
//  - MSFT_Disk (Number, UniqueId, SerialNumber, FriendlyName, BusType, Size, IsSystem, IsBoot,
//    IsOffline, IsReadOnly, PartitionStyle):
//    https://learn.microsoft.com/en-us/windows-hardware/drivers/storage/msft-disk
//  - BusType numbers: the STORAGE_BUS_TYPE / VDS_STORAGE_BUS_TYPE enumerations, which MSFT_Disk.BusType uses
//    https://learn.microsoft.com/en-us/windows/win32/api/winioctl/ne-winioctl-storage_bus_type
//    https://learn.microsoft.com/en-us/windows/win32/api/vdslun/ne-vdslun-vds_storage_bus_type
//  - Why a value may arrive as a string or as a number: Get-Disk's BusType / PartitionStyle are
//    UInt16 in CIM; the Storage module's Storage.types.ps1xml adds ScriptProperties that turn them
//    into names ("USB", "MBR"). Select-Object copies the name; serialising the raw CimInstance (or a
//    host without the types file) gives the number. See the maintainer's answer in
//    https://github.com/MicrosoftDocs/windows-driver-docs/issues/3748 . We accept both.
//  - ConvertTo-Json writes a single object (not a one-element array) when the pipeline holds one
//    item, and nothing at all when it holds none: asArray() handles both.

import type { DiskInfo, DiskPartitionInfo } from '../model.js';
import { CaptureMediaError } from '../../errors.js';
import { psDiskNumber, psJsonArgument, type PowerShellSession } from './powershell-session.js';

// ---------------------------------------------------------------------------------------------
// The scripts. Constant text, plus validated disk numbers and JSON-in-base64 data only.

const DISK_FIELDS = 'Number,UniqueId,SerialNumber,FriendlyName,BusType,Size,IsSystem,IsBoot,IsOffline,IsReadOnly,PartitionStyle';
const PARTITION_FIELDS = 'DiskNumber,PartitionNumber,DriveLetter,Size,AccessPaths';
// Path (the volume GUID path) is added to the obvious field list: it is how a volume without a
// drive letter is tied to its partition (Get-Partition's AccessPaths holds the same \\?\Volume{…}\).
const VOLUME_FIELDS = 'DriveLetter,FileSystem,FileSystemLabel,Size,SizeRemaining,Path';

export const GET_DISK_SCRIPT = `Get-Disk | Select-Object ${DISK_FIELDS} | ConvertTo-Json -Depth 3`;
export const GET_PARTITION_SCRIPT = `Get-Partition | Select-Object ${PARTITION_FIELDS} | ConvertTo-Json -Depth 3`;
export const GET_VOLUME_SCRIPT = `Get-Volume | Select-Object ${VOLUME_FIELDS} | ConvertTo-Json -Depth 3`;
/** The Windows directory, e.g. C:\Windows: the disk holding it runs the OS even when IsSystem/IsBoot say otherwise (Windows To Go, odd firmware). */
export const SYSTEM_ROOT_SCRIPT = '$env:SystemRoot';
/** Page files (Win32_PageFileUsage.Name, e.g. C:\pagefile.sys): erasing their disk crashes Windows. */
export const PAGE_FILE_SCRIPT = 'Get-CimInstance -ClassName Win32_PageFileUsage | Select-Object Name | ConvertTo-Json -Depth 3';

/** One disk, fresh: used for the identity re-check just before diskpart and for the re-query after it. */
export function getDiskByNumberScript(diskNumber: number): string {
  return `Get-Disk -Number ${psDiskNumber(diskNumber)} | Select-Object ${DISK_FIELDS} | ConvertTo-Json -Depth 3`;
}

export function getPartitionsOfDiskScript(diskNumber: number): string {
  // A disk with no partitions makes Get-Partition write an error ("No MSFT_Partition objects found"): that is "none", not a failure.
  return `Get-Partition -DiskNumber ${psDiskNumber(diskNumber)} -ErrorAction SilentlyContinue | Select-Object ${PARTITION_FIELDS} | ConvertTo-Json -Depth 3`;
}

export function getVolumesOfDiskScript(diskNumber: number): string {
  return `Get-Partition -DiskNumber ${psDiskNumber(diskNumber)} -ErrorAction SilentlyContinue | Get-Volume -ErrorAction SilentlyContinue | Select-Object ${VOLUME_FIELDS} | ConvertTo-Json -Depth 3`;
}

/** The partition carrying a drive letter. The letter travels as JSON data, never as PowerShell source. */
export function getPartitionByDriveLetterScript(driveLetter: string): string {
  const letter = validDriveLetter(driveLetter);
  return (
    `$in = ${psJsonArgument({ driveLetter: letter })}\n` +
    `Get-Partition -DriveLetter ([char]$in.driveLetter) -ErrorAction SilentlyContinue | Select-Object ${PARTITION_FIELDS} | ConvertTo-Json -Depth 3`
  );
}

/**
 * What kind of drive a letter is when no partition carries it (Win32_LogicalDisk.DriveType:
 * 0 unknown, 1 no root directory, 2 removable, 3 local, 4 network, 5 CD, 6 RAM disk —
 * https://learn.microsoft.com/en-us/windows/win32/cimwin32prov/win32-logicaldisk). A `subst`
 * drive reports 3 although it is a folder on another drive. The letter travels as JSON data.
 */
export function getLogicalDiskScript(driveLetter: string): string {
  const letter = validDriveLetter(driveLetter);
  return (
    `$in = ${psJsonArgument({ deviceId: `${letter}:` })}\n` +
    'Get-CimInstance -ClassName Win32_LogicalDisk | Where-Object { $_.DeviceID -eq $in.deviceId } | Select-Object DeviceID,DriveType,ProviderName | ConvertTo-Json -Depth 3'
  );
}

/** DriveType of a letter (undefined: no such drive). */
export function parseLogicalDiskType(text: string): number | undefined {
  const [row] = asArray('Win32_LogicalDisk', text);
  return row === undefined || typeof row.DriveType !== 'number' ? undefined : row.DriveType;
}

/** A single letter A-Z (upper-cased), or InvalidParameter. */
export function validDriveLetter(value: string): string {
  if (!/^[A-Za-z]$/.test(value)) {
    throw new CaptureMediaError('InvalidParameter', `Not a drive letter: ${JSON.stringify(value)}.`, { target: value });
  }
  return value.toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// What the queries return (after Select-Object), as parsed from JSON.

export interface RawDisk {
  readonly number: number;
  readonly uniqueId: string | undefined;
  readonly serialNumber: string | undefined;
  readonly friendlyName: string | undefined;
  /** Normalised to Get-Disk's display names ("USB", "NVMe", "SCSI", "File Backed Virtual"…). */
  readonly busType: string;
  readonly sizeBytes: number;
  readonly isSystem: boolean;
  readonly isBoot: boolean;
  readonly isOffline: boolean;
  readonly isReadOnly: boolean;
  /** "RAW" | "MBR" | "GPT" | "Unknown". */
  readonly partitionStyle: string;
}

export interface RawPartition {
  readonly diskNumber: number;
  readonly partitionNumber: number;
  /** Upper-case letter, or undefined when the partition has none (Get-Partition gives the NUL char then). */
  readonly driveLetter: string | undefined;
  readonly sizeBytes: number;
  readonly accessPaths: readonly string[];
}

export interface RawVolume {
  readonly driveLetter: string | undefined;
  readonly fileSystem: string | undefined;
  readonly fileSystemLabel: string | undefined;
  readonly sizeBytes: number;
  readonly sizeRemainingBytes: number;
  /** \\?\Volume{GUID}\ */
  readonly path: string | undefined;
}

export interface WindowsDiskFacts {
  readonly disks: readonly RawDisk[];
  readonly partitions: readonly RawPartition[];
  readonly volumes: readonly RawVolume[];
  /** $env:SystemRoot, e.g. C:\Windows. */
  readonly systemRoot: string | undefined;
  /** Win32_PageFileUsage.Name values, e.g. C:\pagefile.sys. */
  readonly pageFiles: readonly string[];
}

/**
 * MSFT_Disk.BusType values (STORAGE_BUS_TYPE order) -> the names Get-Disk shows. 14 is both
 * BusTypeVirtual and VDSBusTypeMax in the headers; Get-Disk shows virtual disks (Hyper-V
 * synthetic SCSI is reported as SCSI, VHD attached by Windows as "File Backed Virtual").
 */
export const BUS_TYPE_NAMES: readonly string[] = [
  'Unknown', // 0
  'SCSI', // 1
  'ATAPI', // 2
  'ATA', // 3
  '1394', // 4
  'SSA', // 5
  'Fibre Channel', // 6
  'USB', // 7
  'RAID', // 8
  'iSCSI', // 9
  'SAS', // 10
  'SATA', // 11
  'SD', // 12
  'MMC', // 13
  'Virtual', // 14
  'File Backed Virtual', // 15
  'Storage Spaces', // 16
  'NVMe', // 17
  'SCM', // 18
  'UFS', // 19
  'NVMeoF', // 20 (BusTypeNvmeof, newer headers)
];

/** MSFT_Disk.PartitionStyle: 0 RAW, 1 MBR, 2 GPT. */
const PARTITION_STYLE_NAMES: readonly string[] = ['RAW', 'MBR', 'GPT'];

/** Buses whose disks are removable media by nature: USB mass storage and card slots (SD, MMC). */
const REMOVABLE_BUS_TYPES = new Set(['usb', 'sd', 'mmc']);

// ---------------------------------------------------------------------------------------------
// Parsing.

function bad(query: string, message: string): CaptureMediaError {
  return new CaptureMediaError('PowerShellFailed', `Unexpected ${query} output: ${message}`, { target: query });
}

/** Parses ConvertTo-Json output into a list: '' -> [], one object -> [object], array -> array. */
export function asArray(query: string, text: string): Record<string, unknown>[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error: unknown) {
    throw new CaptureMediaError('PowerShellFailed', `${query} did not return JSON: ${trimmed.slice(0, 200)}`, { target: query, cause: error });
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  for (const item of list) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw bad(query, 'an element is not an object');
  }
  return list as Record<string, unknown>[];
}

function str(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // USB bridges pad serial numbers and names with spaces; Windows shows them trimmed.
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function num(query: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
    throw bad(query, `${field} is ${JSON.stringify(value)}, not a whole number`);
  }
  return value;
}

function bool(query: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw bad(query, `${field} is ${JSON.stringify(value)}, not true/false`);
  return value;
}

function enumName(names: readonly string[], value: unknown, query: string, field: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isInteger(value)) return names[value] ?? `Unknown (${value})`;
  if (value === null || value === undefined) return 'Unknown';
  throw bad(query, `${field} is ${JSON.stringify(value)}`);
}

/**
 * A [char] drive letter as ConvertTo-Json writes it: "E", the NUL character "\u0000" for "none",
 * or (seen with some serialisers) the UTF-16 code as a number. Null/empty = none.
 */
function driveLetterOf(value: unknown): string | undefined {
  let c: string | undefined;
  if (typeof value === 'string') c = value;
  else if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 0x10000) c = String.fromCharCode(value);
  if (c === undefined || !/^[A-Za-z]$/.test(c)) return undefined;
  return c.toUpperCase();
}

export function parseDisks(text: string): RawDisk[] {
  const q = 'Get-Disk';
  return asArray(q, text).map((o) => ({
    number: num(q, 'Number', o.Number),
    uniqueId: str(o.UniqueId),
    serialNumber: str(o.SerialNumber),
    friendlyName: str(o.FriendlyName),
    busType: enumName(BUS_TYPE_NAMES, o.BusType, q, 'BusType'),
    // A card reader with no card reports Size 0; null is treated the same way (nothing to write to).
    sizeBytes: o.Size === null || o.Size === undefined ? 0 : num(q, 'Size', o.Size),
    isSystem: bool(q, 'IsSystem', o.IsSystem),
    isBoot: bool(q, 'IsBoot', o.IsBoot),
    isOffline: bool(q, 'IsOffline', o.IsOffline),
    isReadOnly: bool(q, 'IsReadOnly', o.IsReadOnly),
    partitionStyle: enumName(PARTITION_STYLE_NAMES, o.PartitionStyle, q, 'PartitionStyle'),
  }));
}

export function parsePartitions(text: string): RawPartition[] {
  const q = 'Get-Partition';
  return asArray(q, text).map((o) => {
    const paths = o.AccessPaths;
    const accessPaths = Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : typeof paths === 'string' ? [paths] : [];
    return {
      diskNumber: num(q, 'DiskNumber', o.DiskNumber),
      partitionNumber: num(q, 'PartitionNumber', o.PartitionNumber),
      driveLetter: driveLetterOf(o.DriveLetter),
      sizeBytes: num(q, 'Size', o.Size ?? 0),
      accessPaths,
    };
  });
}

export function parseVolumes(text: string): RawVolume[] {
  const q = 'Get-Volume';
  return asArray(q, text).map((o) => ({
    driveLetter: driveLetterOf(o.DriveLetter),
    fileSystem: str(o.FileSystem),
    fileSystemLabel: str(o.FileSystemLabel),
    sizeBytes: num(q, 'Size', o.Size ?? 0),
    sizeRemainingBytes: num(q, 'SizeRemaining', o.SizeRemaining ?? 0),
    path: str(o.Path),
  }));
}

export function parsePageFiles(text: string): string[] {
  return asArray('Win32_PageFileUsage', text)
    .map((o) => str(o.Name))
    .filter((n): n is string => n !== undefined);
}

export function parseSystemRoot(text: string): string | undefined {
  return str(text.replace(/^\uFEFF/, ''));
}

/** The drive letter at the start of C:\…, \\?\C:\…; undefined for anything else. */
export function driveLetterOfPath(path: string): string | undefined {
  const m = /^(?:\\\\\?\\)?([A-Za-z]):(?:[\\/]|$)/.exec(path);
  return m?.[1]?.toUpperCase();
}

export function physicalDrivePath(diskNumber: number): string {
  return `\\\\.\\PhysicalDrive${diskNumber}`;
}

function isVolumeGuidPath(p: string): boolean {
  return /^\\\\\?\\Volume\{[0-9a-fA-F-]+\}\\?$/.test(p);
}

function partitionInfo(p: RawPartition, volumes: readonly RawVolume[]): DiskPartitionInfo {
  const volume =
    volumes.find((v) => v.path !== undefined && p.accessPaths.some((a) => a.toLowerCase() === v.path?.toLowerCase())) ??
    (p.driveLetter ? volumes.find((v) => v.driveLetter === p.driveLetter) : undefined);
  const mountpoints: string[] = [];
  if (p.driveLetter) mountpoints.push(`${p.driveLetter}:`);
  for (const a of p.accessPaths) {
    if (isVolumeGuidPath(a)) continue;
    if (p.driveLetter && a.toUpperCase() === `${p.driveLetter}:\\`) continue;
    mountpoints.push(a); // a folder mount point (C:\mnt\usb\)
  }
  return {
    path: `Disk ${p.diskNumber} Partition ${p.partitionNumber}`,
    sizeBytes: p.sizeBytes,
    mountpoints,
    fileSystem: volume?.fileSystem,
    label: volume?.fileSystemLabel,
  };
}

/** Joins the query results into DiskInfo, one per Get-Disk row, in disk-number order. */
export function buildDiskInfos(facts: WindowsDiskFacts): DiskInfo[] {
  const osLetters = new Set<string>();
  for (const p of [facts.systemRoot, ...facts.pageFiles]) {
    const letter = p === undefined ? undefined : driveLetterOfPath(p);
    if (letter) osLetters.add(letter);
  }
  return [...facts.disks]
    .sort((a, b) => a.number - b.number)
    .map((d) => {
      const parts = facts.partitions.filter((p) => p.diskNumber === d.number).sort((a, b) => a.partitionNumber - b.partitionNumber);
      const holdsOs = parts.some((p) => p.driveLetter !== undefined && osLetters.has(p.driveLetter));
      return {
        path: physicalDrivePath(d.number),
        number: d.number,
        sizeBytes: d.sizeBytes,
        model: d.friendlyName,
        serial: d.serialNumber,
        uniqueId: d.uniqueId,
        busType: d.busType,
        removable: REMOVABLE_BUS_TYPES.has(d.busType.toLowerCase()),
        majorMinor: undefined,
        isSystem: d.isSystem || d.isBoot || holdsOs,
        offline: d.isOffline,
        readOnly: d.isReadOnly,
        partitions: parts.map((p) => partitionInfo(p, facts.volumes)),
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Running the queries.

/** Everything list() needs, in five invocations of the one session. */
export async function queryAllDisks(session: PowerShellSession): Promise<WindowsDiskFacts> {
  const disks = parseDisks(await session.invoke(GET_DISK_SCRIPT));
  const partitions = parsePartitions(await session.invoke(GET_PARTITION_SCRIPT));
  const volumes = parseVolumes(await session.invoke(GET_VOLUME_SCRIPT));
  const systemRoot = parseSystemRoot(await session.invoke(SYSTEM_ROOT_SCRIPT));
  const pageFiles = parsePageFiles(await session.invoke(PAGE_FILE_SCRIPT));
  return { disks, partitions, volumes, systemRoot, pageFiles };
}

/** One disk's row from a fresh Get-Disk -Number N; undefined when the disk is gone. */
export async function queryDisk(session: PowerShellSession, diskNumber: number): Promise<RawDisk | undefined> {
  // -ErrorAction is not used here on purpose: a vanished disk must not look like an empty answer
  // from a healthy query, so the caller gets the PowerShell error (DiskChanged upstream).
  const rows = parseDisks(await session.invoke(getDiskByNumberScript(diskNumber)));
  return rows.find((r) => r.number === diskNumber);
}
