// A disc set as one medium: `capture.iso` names the set capture1.iso, capture2.iso, … when no
// file of that exact name exists (how -MediaSize splits media, and how the console numbers a CD
// set). The files of every disc are seen as one tree; labels and El Torito entries are disc 1's,
// the bootable one. A path that exists is opened as it is.

import { access } from 'node:fs/promises';
import { CaptureMediaError } from '../errors.js';
import { discSetPath } from '../plan/paths.js';
import { openMedium, type MediumFile, type OpenedMedium } from './open-medium.js';

/** More discs than any capture media set has; a guard against a runaway numbering. */
const MAX_DISCS = 99;

const exists = (path: string) => access(path).then(
  () => true,
  () => false,
);

export async function openMediumOrSet(path: string): Promise<OpenedMedium> {
  if ((await exists(path)) || !path.toLowerCase().endsWith('.iso')) return openMedium(path);
  const discs: OpenedMedium[] = [];
  try {
    for (let n = 1; n <= MAX_DISCS && (await exists(discSetPath(path, n))); n++) discs.push(await openMedium(discSetPath(path, n)));
    if (discs.length === 0) {
      throw new CaptureMediaError('InvalidParameter', `Neither ${path} nor a disc set ${discSetPath(path, 1)}, ${discSetPath(path, 2)}, … exists.`, { target: path });
    }
  } catch (error: unknown) {
    for (const d of discs) await d.close();
    throw error;
  }
  const owner = new Map<MediumFile, OpenedMedium>();
  const seen = new Set<string>();
  const files: MediumFile[] = [];
  for (const disc of discs) {
    for (const f of disc.files) {
      const key = f.path.join('\\').toLowerCase();
      // MediaLabel.txt and our manifest are on every disc: the first copy stands for the set.
      if (seen.has(key)) continue;
      seen.add(key);
      owner.set(f, disc);
      files.push(f);
    }
  }
  const first = discs[0]!;
  return {
    path,
    fileSystem: first.fileSystem,
    labels: first.labels,
    bootEntries: first.bootEntries,
    files,
    openFile: (file, signal) => owner.get(file)!.openFile(file, signal),
    close: async () => {
      for (const d of discs) await d.close();
    },
  };
}
