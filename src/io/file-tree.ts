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
}

export interface FileTree {
  readonly files: readonly TreeFile[];
  /** Directories that must exist even when empty. Parents of files are implied. */
  readonly directories?: readonly (readonly string[])[];
}

export function joinTreePath(path: readonly string[], separator = '/'): string {
  return path.join(separator);
}

export function treeBytes(tree: FileTree): number {
  return tree.files.reduce((sum, file) => sum + file.content.sizeBytes, 0);
}
