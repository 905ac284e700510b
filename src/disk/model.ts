// The platform-neutral disk model and the safety rules (README "Safety"). Platform providers (linux/,
// windows/, image files) turn their tools' output into DiskInfo; judgeDisk decides, the same way
// everywhere, whether a disk may be erased.

import type { ErrorId } from '../errors.js';

export interface DiskPartitionInfo {
  /** /dev/sdb1, or "Disk 2 Partition 1" on Windows. */
  readonly path: string;
  readonly sizeBytes: number;
  /** Where it is mounted now: Linux mountpoints, Windows drive letters ("E:") and access paths. */
  readonly mountpoints: readonly string[];
  readonly fileSystem: string | undefined;
  readonly label: string | undefined;
}

export interface DiskInfo {
  /** The path a user would pass: /dev/sdb, /dev/loop3, \\.\PhysicalDrive2. */
  readonly path: string;
  /** Windows disk number; undefined on Linux. */
  readonly number: number | undefined;
  readonly sizeBytes: number;
  readonly model: string | undefined;
  readonly serial: string | undefined;
  /** Windows UniqueId; Linux WWN or undefined. */
  readonly uniqueId: string | undefined;
  /** USB, SATA, NVMe, SCSI, SAS, SD, Loop, Virtual, File… as the platform reports it. */
  readonly busType: string;
  /** The OS's removable flag (Linux RM, Windows removable media policy). */
  readonly removable: boolean;
  /** Linux major:minor; undefined on Windows. */
  readonly majorMinor: string | undefined;
  /** Holds the running OS (/, /boot, swap; Windows IsSystem/IsBoot, the Windows directory, the page file). */
  readonly isSystem: boolean;
  readonly offline: boolean;
  readonly readOnly: boolean;
  readonly partitions: readonly DiskPartitionInfo[];
}

/** The facts re-checked immediately before the first destructive command (DiskChanged otherwise). */
export interface DiskIdentity {
  readonly path: string;
  readonly sizeBytes: number;
  readonly serial: string | undefined;
  readonly model: string | undefined;
  readonly uniqueId: string | undefined;
  readonly majorMinor: string | undefined;
  readonly number: number | undefined;
}

export function identityOf(disk: DiskInfo): DiskIdentity {
  return {
    path: disk.path,
    sizeBytes: disk.sizeBytes,
    serial: disk.serial,
    model: disk.model,
    uniqueId: disk.uniqueId,
    majorMinor: disk.majorMinor,
    number: disk.number,
  };
}

/** Names the first identity field that differs, or undefined when they match. */
export function identityDifference(before: DiskIdentity, after: DiskIdentity): string | undefined {
  for (const key of Object.keys(before) as (keyof DiskIdentity)[]) {
    if (before[key] !== after[key]) return `${key} was ${String(before[key])}, is now ${String(after[key])}`;
  }
  return undefined;
}

export type DiskVerdict =
  | { readonly usable: true; readonly reason: string }
  | { readonly usable: false; readonly id: ErrorId; readonly reason: string };

export interface SafetyContext {
  /** Disks (by path) that hold the source, temp folder, output or log: never erased. */
  readonly disksInUse: ReadonlyMap<string, string>;
  /** Bytes the media needs (the volume we would write). */
  readonly requiredBytes: number;
  readonly allowFixedDisk: boolean;
  /** -NoFormat copies onto a mounted volume, so being mounted is expected then. */
  readonly noFormat?: boolean;
  /**
   * The wipe itself releases mounted volumes (Windows: diskpart `clean` removes the partitions and
   * their drive letters, and every USB stick has one), so a mount is no reason to refuse there.
   */
  readonly mountsReleasedByWipe?: boolean;
}

const REMOVABLE_BUSES = new Set(['usb', 'sd', 'mmc', 'loop', 'file']);

/** The safety rules (README "Safety"), in the order an admin needs to hear them: the most serious reason first. */
export function judgeDisk(disk: DiskInfo, context: SafetyContext): DiskVerdict {
  if (disk.isSystem) {
    return { usable: false, id: 'DiskIsSystem', reason: `${disk.path} holds the running operating system.` };
  }
  const inUse = context.disksInUse.get(disk.path);
  if (inUse !== undefined) {
    return { usable: false, id: 'DiskInUseBySource', reason: `${disk.path} holds ${inUse}.` };
  }
  if (disk.offline) return { usable: false, id: 'DiskOffline', reason: `${disk.path} is offline; bring it online first (Set-Disk -IsOffline $false).` };
  if (disk.readOnly) return { usable: false, id: 'DiskOffline', reason: `${disk.path} is read-only (write-protect switch or policy).` };
  const removable = disk.removable || REMOVABLE_BUSES.has(disk.busType.toLowerCase());
  if (!removable && !context.allowFixedDisk) {
    return {
      usable: false,
      id: 'DiskNotRemovable',
      reason: `${disk.path} is a fixed ${disk.busType} disk, not a removable or USB drive. Pass -AllowFixedDisk if you really mean it.`,
    };
  }
  if (disk.sizeBytes === 0) {
    // A card reader with no card in it is still a disk: Windows lists each empty slot with Size 0
    // (and a drive letter), lsblk shows size 0. It is refused whatever the media needs — the
    // disks listing judges with requiredBytes 0, where "0 < 0" would call it usable.
    return {
      usable: false,
      id: 'DiskTooSmall',
      reason: `${disk.path} reports a size of 0 bytes: there is no medium in it (a card reader without a card?). Insert the card or pick another disk.`,
    };
  }
  if (disk.sizeBytes < context.requiredBytes) {
    return { usable: false, id: 'DiskTooSmall', reason: `${disk.path} holds ${disk.sizeBytes} bytes; the media needs ${context.requiredBytes}.` };
  }
  const mounted = disk.partitions.flatMap((p) => p.mountpoints);
  if (mounted.length > 0 && !context.noFormat && !context.mountsReleasedByWipe) {
    return {
      usable: false,
      id: 'DiskMounted',
      reason: `${disk.path} has mounted partitions (${mounted.join(', ')}); unmount them first so nothing is writing to the disk.`,
    };
  }
  return { usable: true, reason: `${disk.busType} disk, ${disk.sizeBytes} bytes${disk.model ? `, ${disk.model}` : ''}.` };
}

/** How a platform finds and re-reads disks; the Windows provider and the Linux provider implement it. */
export interface DiskProvider {
  list(): Promise<DiskInfo[]>;
  /** Resolve what the user typed (a path, a disk number, a drive letter) to one disk. DiskNotFound otherwise. */
  resolve(target: string): Promise<DiskInfo>;
  /** The disk path holding a file or folder, if it is on a local disk. */
  diskOfPath(path: string): Promise<string | undefined>;
  /**
   * Disks that are the same storage as something in use under another name (Linux: a second loop
   * device on a mounted image file, a multipath member, a dm/md member): disk path -> what is on
   * it. `uses` are [path, description] pairs; every mounted file system counts as in use too.
   */
  disksSharingStorage?(uses: readonly (readonly [string, string])[]): Promise<Map<string, string>>;
  /** What storage a disk writes to (Linux: storage.ts keys); two targets sharing one are one drive. */
  storageKeysOfDisk?(disk: DiskInfo): Promise<ReadonlySet<string>>;
  /**
   * The platform's verdict, when it is not plain judgeDisk (Windows: judgeWindowsDisk, because
   * diskpart's clean releases drive letters). The disks listing uses it so that it says what
   * `create` would say for the same disk.
   */
  judge?(disk: DiskInfo, context: SafetyContext): DiskVerdict;
}
