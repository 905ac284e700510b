// The in-memory tree the ISO planner works on, kept apart from the on-disk records: one node per
// file or directory of the FileTree, with both trees' names (names.ts) and, per tree, the sorted
// children (ECMA-119 §9.3), the directory's extent and its path table number (§6.9.1).

import type { FileTree, TreeFile } from '../io/file-tree.js';
import { CaptureMediaError } from '../errors.js';
import { MAX_UINT32 } from './fields.js';
import { assignIsoNames, assignJolietNames, compareOrdinal, isoIdentifier, type IsoName } from './names.js';

export type IsoTreeKind = 'primary' | 'joliet';

export interface DirNode {
  readonly kind: 'dir';
  readonly name: string;
  readonly path: readonly string[];
  readonly children: Map<string, Node>;
  isoName: IsoName;
  jolietName: string;
  isoPath: readonly string[];
  jolietPath: readonly string[];
  /** Per tree: the sorted child list, the extent and its size, the path table number. */
  readonly placed: Record<IsoTreeKind, { children: Node[]; lba: number; sizeBytes: number; number: number; parent: DirNode | undefined }>;
}

export interface FileNode {
  readonly kind: 'file';
  readonly name: string;
  readonly path: readonly string[];
  readonly source: TreeFile;
  readonly parent: DirNode;
  isoName: IsoName;
  jolietName: string;
  lba: number;
}

export type Node = DirNode | FileNode;

export function newDir(name: string, path: readonly string[]): DirNode {
  const empty = (): { children: Node[]; lba: number; sizeBytes: number; number: number; parent: DirNode | undefined } => ({
    children: [],
    lba: 0,
    sizeBytes: 0,
    number: 0,
    parent: undefined,
  });
  return {
    kind: 'dir',
    name,
    path,
    children: new Map(),
    isoName: { base: '', ext: undefined },
    jolietName: '',
    isoPath: [],
    jolietPath: [],
    placed: { primary: empty(), joliet: empty() },
  };
}

export function buildTree(tree: FileTree): DirNode {
  const root = newDir('', []);
  const ensureDir = (path: readonly string[]): DirNode => {
    let dir = root;
    for (let i = 0; i < path.length; i++) {
      const name = path[i]!;
      checkComponent(name, path);
      const existing = dir.children.get(name);
      if (existing?.kind === 'file') {
        throw new CaptureMediaError('InvalidParameter', `"${path.slice(0, i + 1).join('/')}" is both a file and a directory`, { target: path.join('/') });
      }
      let child = existing;
      if (child === undefined) {
        child = newDir(name, path.slice(0, i + 1));
        dir.children.set(name, child);
      }
      dir = child;
    }
    return dir;
  };
  for (const path of tree.directories ?? []) ensureDir(path);
  for (const file of tree.files) {
    const target = file.path.join('/');
    if (file.path.length === 0) throw new CaptureMediaError('InvalidParameter', 'A file has an empty path');
    const size = file.content.sizeBytes;
    if (!Number.isSafeInteger(size) || size < 0) throw new CaptureMediaError('InvalidParameter', `${target}: invalid size ${size}`, { target });
    if (size > MAX_UINT32) {
      throw new CaptureMediaError(
        'FileTooLargeForMedia',
        `${target} is ${size} bytes; an ISO 9660 file extent holds at most ${MAX_UINT32} bytes (4 GiB − 1) and multi-extent files are not supported yet`,
        { target },
      );
    }
    const dir = ensureDir(file.path.slice(0, -1));
    const name = file.path[file.path.length - 1]!;
    checkComponent(name, file.path);
    if (dir.children.has(name)) throw new CaptureMediaError('InvalidParameter', `"${target}" appears twice in the file tree`, { target });
    dir.children.set(name, { kind: 'file', name, path: file.path, source: file, parent: dir, isoName: { base: '', ext: '' }, jolietName: '', lba: 0 });
  }
  return root;
}

function checkComponent(name: string, path: readonly string[]): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0')) {
    throw new CaptureMediaError('InvalidParameter', `Invalid path component "${name}" in ${path.join('/')}`, { target: path.join('/') });
  }
}

/** Assign both trees' names to every node, siblings in ordinal order of their original names. */
export function nameChildren(dir: DirNode): void {
  const ordered = [...dir.children.values()].sort((a, b) => compareOrdinal(a.name, b.name));
  const isoNames = assignIsoNames(ordered.map((n) => ({ name: n.name, isDirectory: n.kind === 'dir' })));
  const jolietNames = assignJolietNames(ordered.map((n) => n.name));
  ordered.forEach((node, i) => {
    node.isoName = isoNames[i]!;
    node.jolietName = jolietNames[i]!;
    if (node.kind === 'dir') {
      node.isoPath = [...dir.isoPath, isoIdentifier(node.isoName)];
      node.jolietPath = [...dir.jolietPath, node.jolietName];
      nameChildren(node);
    }
  });
}

/** ECMA-119 §6.9.1: by level, then parent number, then identifier (the children lists are sorted). */
export function pathTableOrder(root: DirNode, kind: IsoTreeKind): DirNode[] {
  const order: DirNode[] = [root];
  root.placed[kind].number = 1;
  root.placed[kind].parent = root;
  for (let i = 0; i < order.length; i++) {
    const dir = order[i]!;
    for (const child of dir.placed[kind].children) {
      if (child.kind !== 'dir') continue;
      order.push(child);
      child.placed[kind].number = order.length;
      child.placed[kind].parent = dir;
    }
  }
  return order;
}
