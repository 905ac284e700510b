// Splitting the media over several discs when -MediaSize is set (README "What is on the media"):
// disc 1 holds every file needed to boot plus sources\boot.wim and is the only bootable disc; the
// rest are filled in path order, first fit. Capacity is estimated per file here and confirmed by
// the ISO planner.

import { CaptureMediaError } from '../errors.js';
import type { TreeFile } from '../io/file-tree.js';
import { SECTOR_BYTES } from '../iso/fields.js';
import { mediaKey } from './media-tree.js';

/** System area, volume descriptors, path tables, root directories and the boot catalog, generously. */
export const ISO_FIXED_OVERHEAD_BYTES = 64 * SECTOR_BYTES;
/** A file's two directory records (primary + Joliet) with a long name, rounded up. */
const PER_FILE_OVERHEAD_BYTES = 256;
/** A directory's own extents in both trees plus its path table entries. */
const PER_DIRECTORY_OVERHEAD_BYTES = 2 * SECTOR_BYTES + 64;

export function estimatedFileBytes(file: TreeFile): number {
  return Math.ceil(file.content.sizeBytes / SECTOR_BYTES) * SECTOR_BYTES + PER_FILE_OVERHEAD_BYTES;
}

function directoriesOf(files: readonly TreeFile[]): Set<string> {
  const dirs = new Set<string>();
  for (const f of files) for (let i = 1; i < f.path.length; i += 1) dirs.add(mediaKey(f.path.slice(0, i)));
  return dirs;
}

export function estimatedDiscBytes(files: readonly TreeFile[], reservedBytes: number): number {
  return (
    ISO_FIXED_OVERHEAD_BYTES +
    reservedBytes +
    files.reduce((s, f) => s + estimatedFileBytes(f), 0) +
    directoriesOf(files).size * PER_DIRECTORY_OVERHEAD_BYTES
  );
}

/**
 * Assign files to discs. `perDiscFiles` are put on every disc (MediaLabel.txt); `reservedBytes`
 * covers what is added after the split (the manifest). Returns the files of each disc, disc 1 first.
 */
export function splitIntoDiscs(
  files: readonly TreeFile[],
  bootSet: ReadonlySet<string>,
  capacityBytes: number,
  reservedBytes: number,
): TreeFile[][] {
  const perDisc = (list: readonly TreeFile[]) => estimatedDiscBytes(list, reservedBytes);
  for (const f of files) {
    if (estimatedDiscBytes([f], reservedBytes) > capacityBytes) {
      throw new CaptureMediaError(
        'FileTooLargeForMedia',
        `${f.path.join('\\')} (${f.content.sizeBytes} bytes) does not fit on one disc of ${capacityBytes} bytes. Choose a larger -MediaSize (Size4GB, Size8GB) or SizeUnlimited.`,
        { target: f.path.join('\\') },
      );
    }
  }
  const boot = files.filter((f) => bootSet.has(mediaKey(f.path)));
  if (perDisc(boot) > capacityBytes) {
    throw new CaptureMediaError(
      'FileTooLargeForMedia',
      `The files needed to boot (${boot.map((f) => f.path.join('\\')).join(', ')}) need ${perDisc(boot)} bytes, more than one disc of ${capacityBytes} bytes; they must all be on disc 1. Choose a larger -MediaSize.`,
      { target: 'disc 1' },
    );
  }
  const rest = files.filter((f) => !bootSet.has(mediaKey(f.path))).sort((a, b) => mediaKey(a.path).localeCompare(mediaKey(b.path)));
  const discs: TreeFile[][] = [boot];
  for (const f of rest) {
    const current = discs[discs.length - 1]!;
    if (perDisc([...current, f]) <= capacityBytes) current.push(f);
    else discs.push([f]);
  }
  return discs;
}
