// Linux disk discovery from util-linux `lsblk -J -b -O` (README "Safety").
//
// The parse is pure: everything lsblk does not say (active swap, which devices hold /, /boot…)
// comes in as SystemFacts, so recorded JSON from real machines is enough to test it
// (test/fixtures/disk/linux/). Running lsblk and gathering the facts is in provider.ts.
//
// lsblk JSON across versions (util-linux NEWS / lsblk(8)):
// - ≥ 2.37 prints `mountpoints` (an array, [null] when unmounted) beside the old `mountpoint`
//   string; older versions print only `mountpoint`. Both are read and merged.
// - Before ~2.33 every value was a JSON string ("size": "8004304896", "rm": "1"); later versions
//   use numbers and booleans. Values are read leniently for that reason.
// - Active swap shows as the mountpoint "[SWAP]".
// - A holder (LVM LV, dm-crypt, md RAID) is listed as a child of every device it sits on, so
//   walking `children` of a disk reaches everything that disk carries.

import { execa } from 'execa';
import { DeviceError } from '../../errors.js';
import type { DiskInfo, DiskPartitionInfo } from '../model.js';

/** The lsblk fields we read. Values are loose because older lsblk prints everything as strings. */
export interface LsblkDevice {
  readonly name?: string;
  readonly path?: string | null;
  readonly kname?: string | null;
  readonly 'maj:min'?: string | null;
  readonly size?: number | string | null;
  readonly type?: string | null;
  readonly tran?: string | null;
  readonly rm?: boolean | number | string | null;
  readonly ro?: boolean | number | string | null;
  readonly hotplug?: boolean | number | string | null;
  readonly model?: string | null;
  readonly serial?: string | null;
  readonly wwn?: string | null;
  /** util-linux ≥ 2.37. */
  readonly mountpoints?: readonly (string | null)[] | null;
  /** util-linux < 2.37 (still printed by later versions, first mountpoint only). */
  readonly mountpoint?: string | null;
  readonly fstype?: string | null;
  readonly label?: string | null;
  readonly pkname?: string | null;
  /** SCSI device state: "running", "offline", … (null for most non-SCSI devices). */
  readonly state?: string | null;
  readonly children?: readonly LsblkDevice[];
}

export interface LsblkOutput {
  readonly blockdevices: readonly LsblkDevice[];
}

/** What makes a disk a system disk beyond lsblk's own output; all inputs, so the parse stays pure. */
export interface SystemFacts {
  /** Mountpoints whose disk runs the OS (default SYSTEM_MOUNTPOINTS). */
  readonly systemMountpoints?: ReadonlySet<string>;
  /**
   * major:minor of every device backing active swap (/proc/swaps): the swap partition or device
   * itself, or for a swap file the device its file system lives on.
   */
  readonly swapMajorMinors?: ReadonlySet<string>;
  /**
   * major:minor of the devices that hold the system mountpoints according to stat(2); a second
   * opinion for namespaces where lsblk's mount table view differs from the running system's.
   */
  readonly systemMajorMinors?: ReadonlySet<string>;
  /** /sys/block/<kname>/diskseq per kernel name: bumped by the kernel each time the medium changes. */
  readonly diskSeq?: ReadonlyMap<string, number>;
}

export const SYSTEM_MOUNTPOINTS: ReadonlySet<string> = new Set(['/', '/boot', '/boot/efi', '/efi', '/usr', '/var', '[SWAP]']);

/** A DiskInfo with the Linux-only facts the identity re-check also uses. */
export interface LinuxDiskInfo extends DiskInfo {
  /** Kernel name (sda, loop3, nvme0n1). */
  readonly kname: string;
  /** The kernel's disk sequence number; a new value means a new medium (re-plugged stick, re-attached loop). */
  readonly diskSeq: number | undefined;
  /** Why isSystem is true, for messages ("/dev/vda: mounted at /"). */
  readonly systemReason: string | undefined;
}

export const LSBLK_ARGS = ['-J', '-b', '-O'] as const;

/** Run `lsblk -J -b -O` (every device, sizes in bytes, every column). */
export async function runLsblk(args: readonly string[] = LSBLK_ARGS): Promise<string> {
  const result = await execa('lsblk', [...args], { reject: false, stripFinalNewline: false });
  if (result.failed || result.exitCode !== 0) {
    throw new DeviceError(
      'DiskNotFound',
      `lsblk ${args.join(' ')} failed${result.exitCode === undefined ? '' : ` (exit ${result.exitCode})`}: ${(String(result.stderr) || (result.message ?? "")).trim()}`,
      { command: 'lsblk', args, exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) },
      { cause: result.cause ?? result },
    );
  }
  return String(result.stdout);
}

export function parseLsblkOutput(json: string): LsblkOutput {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { blockdevices?: unknown }).blockdevices)) {
    throw new TypeError('lsblk JSON has no "blockdevices" array');
  }
  return parsed as LsblkOutput;
}

/**
 * Disks (type "disk" or "loop") from `lsblk -J -b -O` output. Loop devices without a backing file
 * (size 0) are skipped; partitions and holders become DiskPartitionInfo with the mountpoints of
 * everything stacked on them.
 */
export function parseLsblk(json: string, facts: SystemFacts = {}): LinuxDiskInfo[] {
  const disks: LinuxDiskInfo[] = [];
  for (const device of parseLsblkOutput(json).blockdevices) {
    const type = text(device.type);
    if (type !== 'disk' && type !== 'loop') continue;
    const sizeBytes = num(device.size);
    if (type === 'loop' && sizeBytes === 0) continue;
    disks.push(toDiskInfo(device, facts));
  }
  return disks;
}

function toDiskInfo(device: LsblkDevice, facts: SystemFacts): LinuxDiskInfo {
  const kname = text(device.kname) ?? text(device.name) ?? '';
  const path = text(device.path) ?? `/dev/${kname}`;
  const children = device.children ?? [];
  const partitions: DiskPartitionInfo[] = [];
  for (const child of children) {
    if (text(child.type) !== 'part') continue;
    partitions.push({
      path: devicePath(child),
      sizeBytes: num(child.size),
      // A partition counts as mounted when anything stacked on it (LV, crypt, RAID) is.
      mountpoints: unique(subtree(child).flatMap(mountpointsOf)),
      fileSystem: text(child.fstype),
      label: text(child.label),
    });
  }
  // judgeDisk looks at partitions only; a file system on the whole disk (a "superfloppy" stick, a
  // VM's /dev/vda) or a holder directly on it (LVM PV on the disk) would go unseen. It is listed as
  // an entry for the whole disk so that a mounted whole-disk volume is DiskMounted too.
  const wholeDiskMounts = unique([...mountpointsOf(device), ...children.filter((c) => text(c.type) !== 'part').flatMap((c) => subtree(c).flatMap(mountpointsOf))]);
  if (wholeDiskMounts.length > 0 || (text(device.fstype) !== undefined && partitions.length === 0)) {
    partitions.unshift({
      path,
      sizeBytes: num(device.size),
      mountpoints: wholeDiskMounts,
      fileSystem: text(device.fstype),
      label: text(device.label),
    });
  }
  const systemReason = systemReasonOf(device, path, facts);
  const type = text(device.type);
  return {
    path,
    number: undefined,
    sizeBytes: num(device.size),
    model: text(device.model),
    serial: text(device.serial),
    uniqueId: text(device.wwn),
    busType: type === 'loop' ? 'Loop' : busTypeOf(text(device.tran), kname),
    removable: bool(device.rm) || bool(device.hotplug),
    majorMinor: text(device['maj:min']),
    isSystem: systemReason !== undefined,
    offline: text(device.state) === 'offline',
    readOnly: bool(device.ro),
    partitions,
    kname,
    diskSeq: facts.diskSeq?.get(kname),
    systemReason,
  };
}

function systemReasonOf(disk: LsblkDevice, diskPath: string, facts: SystemFacts): string | undefined {
  const systemMounts = facts.systemMountpoints ?? SYSTEM_MOUNTPOINTS;
  for (const node of subtree(disk)) {
    const where = node === disk ? diskPath : `${devicePath(node)} on ${diskPath}`;
    for (const mountpoint of mountpointsOf(node)) {
      if (systemMounts.has(mountpoint)) return mountpoint === '[SWAP]' ? `${where} is active swap` : `${where} is mounted at ${mountpoint}`;
    }
    const majorMinor = text(node['maj:min']);
    if (majorMinor === undefined) continue;
    if (facts.swapMajorMinors?.has(majorMinor)) return `${where} holds active swap (/proc/swaps)`;
    if (facts.systemMajorMinors?.has(majorMinor)) return `${where} holds a system mountpoint`;
  }
  return undefined;
}

/** lsblk TRAN → the bus names DiskInfo uses; without TRAN (virtio, NVMe on old util-linux) by kernel name. */
export function busTypeOf(tran: string | undefined, kname: string): string {
  switch (tran?.toLowerCase()) {
    case 'usb':
      return 'USB';
    case 'sata':
      return 'SATA';
    case 'ata':
      return 'ATA';
    case 'nvme':
      return 'NVMe';
    case 'sas':
      return 'SAS';
    case 'mmc':
      return 'SD';
    case 'virtio':
      return 'Virtio';
    case 'iscsi':
      return 'iSCSI';
    case 'fc':
      return 'FibreChannel';
    case 'ieee1394':
      return '1394';
    case 'spi':
      return 'SPI';
    case undefined:
    case '':
      break;
    default:
      return tran!.toUpperCase();
  }
  if (/^vd[a-z]+$/.test(kname)) return 'Virtio';
  if (/^xvd[a-z]+$/.test(kname)) return 'Xen';
  if (/^nvme\d+n\d+$/.test(kname)) return 'NVMe';
  if (/^mmcblk\d+$/.test(kname)) return 'SD';
  if (/^loop\d+$/.test(kname)) return 'Loop';
  if (/^(zram|ram)\d+$/.test(kname)) return 'Virtual';
  if (/^nbd\d+$/.test(kname)) return 'Network';
  if (/^md\d+$/.test(kname)) return 'RAID';
  return 'Unknown';
}

/** The device and everything stacked on it, depth first. */
export function subtree(device: LsblkDevice): LsblkDevice[] {
  return [device, ...(device.children ?? []).flatMap(subtree)];
}

export function mountpointsOf(device: LsblkDevice): string[] {
  const all: string[] = [];
  if (Array.isArray(device.mountpoints)) for (const m of device.mountpoints) if (typeof m === 'string' && m !== '') all.push(m);
  if (typeof device.mountpoint === 'string' && device.mountpoint !== '') all.push(device.mountpoint);
  return unique(all);
}

export function devicePath(device: LsblkDevice): string {
  return text(device.path) ?? `/dev/${text(device.kname) ?? text(device.name) ?? ''}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** A trimmed string or undefined (lsblk pads MODEL with spaces on some versions). */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return 0;
}

function bool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.trim() === '1' || value.trim().toLowerCase() === 'true';
  return false;
}
