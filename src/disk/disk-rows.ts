// `capture-media disks` / Get-CaptureMediaDisk: every candidate disk with the safety verdict the
// writer would give it (README "Safety"). Nothing here is Linux-specific (it takes any
// DiskProvider).

import type { ErrorId } from '../errors.js';
import { judgeDisk, type DiskProvider, type SafetyContext } from './model.js';

/** One row per disk; PascalCase keys because PowerShell turns this object into a CaptureMedia.Disk. */
export interface DiskVerdictRow {
  readonly Path: string;
  /** Windows disk number; null on Linux. */
  readonly Number: number | null;
  readonly Model: string | null;
  readonly Serial: string | null;
  readonly Bus: string;
  readonly SizeBytes: number;
  readonly Removable: boolean;
  /** Every mountpoint (or drive letter) on the disk, its partitions and what is stacked on them. */
  readonly Mounted: string[];
  readonly Usable: boolean;
  /** 'Usable' or the error id the writer would stop with. */
  readonly Verdict: ErrorId | 'Usable';
  readonly Reason: string;
}

export async function listDisksWithVerdicts(provider: DiskProvider, context: SafetyContext): Promise<DiskVerdictRow[]> {
  const disks = await provider.list();
  return disks.map((disk) => {
    // The provider's own rule when it has one (Windows), so the listing agrees with `create`.
    const verdict = provider.judge ? provider.judge(disk, context) : judgeDisk(disk, context);
    const reason = !verdict.usable && verdict.id === 'DiskIsSystem' ? withSystemReason(verdict.reason, disk) : verdict.reason;
    return {
      Path: disk.path,
      Number: disk.number ?? null,
      Model: disk.model ?? null,
      Serial: disk.serial ?? null,
      Bus: disk.busType,
      SizeBytes: disk.sizeBytes,
      Removable: disk.removable,
      Mounted: [...new Set(disk.partitions.flatMap((p) => p.mountpoints))],
      Usable: verdict.usable,
      Verdict: verdict.usable ? 'Usable' : verdict.id,
      Reason: reason,
    };
  });
}

/** Linux disks say why they are system disks ("/dev/vda is mounted at /"); add it to the reason. */
function withSystemReason(reason: string, disk: object): string {
  const detail = (disk as { systemReason?: unknown }).systemReason;
  return typeof detail === 'string' && detail !== '' && !reason.includes(detail) ? `${reason} (${detail})` : reason;
}
