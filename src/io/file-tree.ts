// The neutral description of a medium's files that the writers (ISO, FAT32, plain copy) consume.
// It knows nothing of ConfigMgr: layout/ builds it, iso/ and fat/ plan and emit it.

import type { ContentSource } from './content.js';

export interface TreeFile {
  /** Path components from the root, as they should appear on the medium (case preserved). */
  readonly path: readonly string[];
  readonly content: ContentSource;
  /** Modification time recorded on the medium; writers fall back to their options' time. */
  readonly modified?: Date;
  /** Hidden/system/read-only attributes where the target format has them. */
  readonly hidden?: boolean;
  /**
   * Emit this file's bytes after every other file's. The media manifest uses it: its size is fixed
   * up front, but its SHA-256 lines are only known once the other files have streamed past, so a
   * one-pass writer must reach it last.
   */
  readonly emitLast?: boolean;
  /**
   * Emit this file's bytes before every other file's. The boot image uses it: it takes the first
   * extents, so a writer that can fork its sink (io/side-lane.ts) streams it in one lane while the
   * files extracted from it fill the region after it in another (docs/benchmarks.md).
   */
  readonly emitFirst?: boolean;
}

/** Sort key for the order in which writers place file contents: emitFirst, the rest, emitLast. */
export function emitRank(file: Pick<TreeFile, 'emitFirst' | 'emitLast'>): number {
  return file.emitLast === true ? 1 : file.emitFirst === true ? -1 : 0;
}

export interface FileTree {
  readonly files: readonly TreeFile[];
  /** Directories that must exist even when empty. Parents of files are implied. */
  readonly directories?: readonly (readonly string[])[];
}
