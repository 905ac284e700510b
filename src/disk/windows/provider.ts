// The Windows DiskProvider: lists disks through one PowerShell session and turns what a user
// typed (-Path 2, \\.\PhysicalDrive2, E:) into exactly one disk — or refuses.
//
// Target grammar (anything else is refused, never "cleaned up"):
//   disk number        2               (decimal, no sign, no leading zeros, UInt32)
//   device path        \\.\PhysicalDrive2  or  \\?\PhysicalDrive2   (case-insensitive)
//   drive letter       E   E:   E:\    (case-insensitive)
// Win32 path normalisation silently strips trailing dots and spaces and folds `..` (see
// https://learn.microsoft.com/en-us/dotnet/standard/io/file-path-formats#path-normalization),
// so "E:.", "E: ", "\\?\C:\..\" could name a different object than they appear to. We do not
// normalise a target that names a disk to be wiped: we refuse it with InvalidParameter.

import { win32 } from 'node:path';
import type { DiskInfo, DiskProvider, DiskVerdict, SafetyContext } from '../model.js';
import { CaptureMediaError } from '../../errors.js';
import type { PowerShellSession } from './powershell-session.js';
import {
  buildDiskInfos,
  getPartitionByDriveLetterScript,
  GET_PARTITION_SCRIPT,
  GET_VOLUME_SCRIPT,
  getLogicalDiskScript,
  parseLogicalDiskType,
  parsePartitions,
  parseVolumes,
  physicalDrivePath,
  queryAllDisks,
  type RawPartition,
} from './get-disk.js';
import { judgeWindowsDisk } from './safety.js';

export type WindowsTarget = { readonly kind: 'number'; readonly diskNumber: number } | { readonly kind: 'letter'; readonly driveLetter: string };

const MAX_DISK_NUMBER = 0xffff_ffff;

/** Parses a -Path value into a disk number or a drive letter; InvalidParameter for anything else. */
export function parseWindowsTarget(target: string): WindowsTarget {
  const number = /^(0|[1-9][0-9]{0,9})$/.exec(target) ?? /^\\\\[.?]\\physicaldrive(0|[1-9][0-9]{0,9})$/i.exec(target);
  if (number?.[1] !== undefined) {
    const diskNumber = Number(number[1]);
    if (diskNumber <= MAX_DISK_NUMBER) return { kind: 'number', diskNumber };
  }
  const letter = /^([A-Za-z])(?::\\?)?$/.exec(target);
  if (letter?.[1] !== undefined) return { kind: 'letter', driveLetter: letter[1].toUpperCase() };
  throw new CaptureMediaError(
    'InvalidParameter',
    `"${target}" is not a disk this tool accepts. Give a disk number (2), \\\\.\\PhysicalDrive2, or a drive letter (E:). ` +
      'Run Get-CaptureMediaDisk to see the candidates.',
    { target },
  );
}

export class WindowsDiskProvider implements DiskProvider {
  private readonly session: PowerShellSession;

  constructor(session: PowerShellSession) {
    this.session = session;
  }

  async list(): Promise<DiskInfo[]> {
    return buildDiskInfos(await queryAllDisks(this.session));
  }

  async resolve(target: string): Promise<DiskInfo> {
    const parsed = parseWindowsTarget(target);
    let diskNumber: number;
    if (parsed.kind === 'number') {
      diskNumber = parsed.diskNumber;
    } else {
      const partitions = parsePartitions(await this.session.invoke(getPartitionByDriveLetterScript(parsed.driveLetter)));
      const first = partitions[0];
      if (first === undefined) throw await this.letterWithoutPartition(parsed.driveLetter, target);
      diskNumber = first.diskNumber;
    }
    const disk = (await this.list()).find((d) => d.number === diskNumber);
    if (!disk) throw new CaptureMediaError('DiskNotFound', `There is no disk ${diskNumber} (${physicalDrivePath(diskNumber)}).`, { target });
    return disk;
  }

  /** Windows' verdict (a drive letter is no reason to refuse: diskpart's clean releases it). */
  judge(disk: DiskInfo, context: SafetyContext): DiskVerdict {
    return judgeWindowsDisk(disk, context);
  }

  /**
   * The error for a drive letter that no partition carries (DiskNotFound either way), saying
   * what the letter is when Get-Volume knows. An empty card-reader slot keeps its letter: Get-Volume
   * lists it as a 0-byte volume with no file system while the reader's disk has no partition at
   * all (recorded: test/fixtures/disk/windows/laptop-card-reader.*). Telling the user "no medium"
   * beats "network or subst drive". The full Get-Volume listing is a constant script: the letter
   * is matched here, never sent to PowerShell.
   */
  private async letterWithoutPartition(driveLetter: string, target: string): Promise<CaptureMediaError> {
    const volume = parseVolumes(await this.session.invoke(GET_VOLUME_SCRIPT)).find((v) => v.driveLetter === driveLetter);
    if (volume !== undefined && volume.sizeBytes === 0) {
      return new CaptureMediaError(
        'DiskNotFound',
        `Drive ${driveLetter}: has no medium in it (Windows reports it as a 0-byte volume on no disk partition: a card reader without a card?). ` +
          'Insert the card and try again, or give the disk number (Get-CaptureMediaDisk lists the disks).',
        { target },
      );
    }
    return new CaptureMediaError('DiskNotFound', `No local disk partition has the drive letter ${driveLetter}: (a network or subst drive is not a disk).`, { target });
  }

  /**
   * The disk holding `path`, by the longest matching partition access path: drive roots (E:\) and
   * folder mount points (C:\mnt\usb\) both appear in Get-Partition's AccessPaths, so a folder on
   * a USB stick mounted under C:\ is attributed to the stick, not to C:. UNC paths, network and CD
   * drives are not on a local disk (undefined). Relative paths, device paths and subst drives are
   * refused: guessing would leave the source unprotected.
   */
  async diskOfPath(path: string): Promise<string | undefined> {
    if (/^(?:\\\\\?\\UNC\\|\\\\(?![.?]\\))/i.test(path)) return undefined;
    const m = /^(?:\\\\\?\\)?([A-Za-z]:[\\/].*)$/s.exec(path);
    if (!m?.[1]) {
      throw new CaptureMediaError('InvalidParameter', `Cannot tell which disk holds "${path}": give an absolute path such as C:\\out.`, { target: path });
    }
    const normalized = win32.normalize(m[1]);
    const partitions = parsePartitions(await this.session.invoke(GET_PARTITION_SCRIPT));
    const best = longestAccessPathMatch(normalized, partitions);
    if (best !== undefined) return physicalDrivePath(best.diskNumber);
    // No partition holds the letter. A network drive (4), CD (5) or a letter that does not exist
    // is not on a disk we could erase. A `subst` drive (reported as a local disk, 3) IS a folder
    // on some partition — possibly the very stick — and we cannot see which from here: refuse.
    const letter = normalized.charAt(0).toUpperCase();
    const driveType = parseLogicalDiskType(await this.session.invoke(getLogicalDiskScript(letter)));
    if (driveType === undefined || driveType === 4 || driveType === 5) return undefined;
    throw new CaptureMediaError(
      'InvalidParameter',
      `${letter}: is not the drive letter of a disk partition (a subst drive?), so the disk holding "${path}" cannot be protected. Give the real path instead.`,
      { target: path },
    );
  }
}

function longestAccessPathMatch(path: string, partitions: readonly RawPartition[]): RawPartition | undefined {
  const lower = path.toLowerCase();
  const withSlash = lower.endsWith('\\') ? lower : `${lower}\\`;
  let best: RawPartition | undefined;
  let bestLength = -1;
  for (const p of partitions) {
    const roots = [...p.accessPaths, ...(p.driveLetter ? [`${p.driveLetter}:\\`] : [])];
    for (const root of roots) {
      const r = root.toLowerCase();
      if (!/^[a-z]:\\/.test(r)) continue; // volume GUID paths do not prefix drive-letter paths
      const rootWithSlash = r.endsWith('\\') ? r : `${r}\\`;
      if (withSlash.startsWith(rootWithSlash) && rootWithSlash.length > bestLength) {
        best = p;
        bestLength = rootWithSlash.length;
      }
    }
  }
  return best;
}
