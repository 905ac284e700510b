// An image's metadata resource (Microsoft "Windows Imaging File Format" §"Metadata resource";
// wimlib docs "Metadata resources"): a security data block, then the root dentry and, through
// each directory's subdir offset, the dentries of the whole tree.
//   Security block: +0x00 u32 total length (the dentries start at the next 8-byte boundary)
//                   +0x04 u32 number of descriptors, then that many u64 sizes, then descriptors.
// Hostile input is refused rather than repaired: directory cycles, names that are empty, '.',
// '..' or contain a separator or NUL (they could escape the extraction directory), and data
// streams whose blob is missing from the blob table.

import { InvalidFormatError } from '../errors.js';
import {
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  filetimeToDate,
  parseDentry,
  unnamedStreamHash,
} from './dentry.js';

export interface WimEntry {
  name: string;
  /** Backslash-joined from the image root, no leading separator ('' for the root). */
  path: string;
  isDirectory: boolean;
  sizeBytes: number;
  /** SHA-1 of the content, lowercase hex; '' for empty files and directories. */
  sha1: string;
  modified: Date;
  attributes: number;
}

export interface ImageNode {
  readonly entry: WimEntry;
  /** Children in on-disk order (directories only). */
  readonly children: ImageNode[];
  /** Upper-cased name -> first child with that name (Windows names are case-insensitive). */
  readonly byName: Map<string, ImageNode>;
}

export interface SecurityBlock {
  /** +0x00 */ totalLengthBytes: number;
  /** +0x04 */ descriptorCount: number;
}

export function parseSecurityBlock(bytes: Uint8Array): SecurityBlock {
  if (bytes.length < 8) throw new InvalidFormatError('WimInvalid', 'security block', 0, 'metadata resource too small');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let totalLengthBytes = view.getUint32(0, true);
  const descriptorCount = view.getUint32(4, true);
  // Some writers leave 0 for an empty block; the 8-byte header is still there.
  if (totalLengthBytes === 0) totalLengthBytes = 8;
  if (totalLengthBytes < 8 + descriptorCount * 8 || totalLengthBytes > bytes.length) {
    throw new InvalidFormatError('WimInvalid', 'security block', 0, `length ${totalLengthBytes} with ${descriptorCount} descriptors does not fit`);
  }
  return { totalLengthBytes, descriptorCount };
}

export type BlobSizeLookup = (sha1: string) => number | undefined;

function checkName(name: string, offset: number): void {
  if (name === '' || name === '.' || name === '..' || /[\\/\0]/.test(name)) {
    throw new InvalidFormatError('WimInvalid', 'dentry', offset, `unsafe file name ${JSON.stringify(name)}`);
  }
}

/** Build the image tree; every data stream's size comes from the blob table. */
export function parseMetadata(bytes: Uint8Array, blobSize: BlobSizeLookup): ImageNode {
  const security = parseSecurityBlock(bytes);
  const rootOffset = Math.ceil(security.totalLengthBytes / 8) * 8;
  const rootDentry = parseDentry(bytes, rootOffset);
  if (rootDentry === undefined) throw new InvalidFormatError('WimInvalid', 'dentry', rootOffset, 'the image has no root directory');
  if ((rootDentry.attributes & FILE_ATTRIBUTE_DIRECTORY) === 0) {
    throw new InvalidFormatError('WimInvalid', 'dentry', rootOffset, 'the root is not a directory');
  }
  const makeNode = (d: NonNullable<ReturnType<typeof parseDentry>>, path: string): ImageNode => {
    const isDirectory = (d.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
    // Reparse points (symbolic links, junctions) carry reparse data, not file content: listed
    // with no content rather than extracted as a file holding the raw reparse buffer.
    const sha1 = isDirectory || (d.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0 ? '' : unnamedStreamHash(d);
    let sizeBytes = 0;
    if (sha1 !== '') {
      const size = blobSize(sha1);
      if (size === undefined) throw new InvalidFormatError('WimInvalid', 'dentry', d.offset, `the content of ${path} (SHA-1 ${sha1}) is not in the blob table`);
      sizeBytes = size;
    }
    return {
      entry: { name: d.name, path, isDirectory, sizeBytes, sha1, modified: filetimeToDate(d.lastWriteTime), attributes: d.attributes },
      children: [],
      byName: new Map(),
    };
  };
  const root = makeNode(rootDentry, '');
  const visited = new Set<number>();
  // Legitimate dentries never overlap, so there cannot be more of them than fit in the resource;
  // the cap stops crafted, overlapping sibling lists from costing quadratic time.
  const maxDentries = Math.floor(bytes.length / 0x66) + 1;
  let dentryCount = 0;
  const stack: Array<{ node: ImageNode; subdirOffset: number }> = [{ node: root, subdirOffset: rootDentry.subdirOffset }];
  while (stack.length > 0) {
    const { node, subdirOffset } = stack.pop()!;
    if (subdirOffset === 0) continue;
    // A directory list reached twice means a cycle or shared lists: either way, hostile.
    if (visited.has(subdirOffset)) throw new InvalidFormatError('WimInvalid', 'dentry', subdirOffset, 'directory cycle');
    visited.add(subdirOffset);
    let offset = subdirOffset;
    for (;;) {
      const d = parseDentry(bytes, offset);
      if (d === undefined) break;
      if (++dentryCount > maxDentries) throw new InvalidFormatError('WimInvalid', 'dentry', offset, 'overlapping directory entries');
      checkName(d.name, d.offset);
      const path = node.entry.path === '' ? d.name : `${node.entry.path}\\${d.name}`;
      const childNode = makeNode(d, path);
      node.children.push(childNode);
      const key = d.name.toUpperCase();
      if (!node.byName.has(key)) node.byName.set(key, childNode);
      if (childNode.entry.isDirectory) stack.push({ node: childNode, subdirOffset: d.subdirOffset });
      if (d.nextOffset <= offset) throw new InvalidFormatError('WimInvalid', 'dentry', offset, 'does not advance');
      offset = d.nextOffset;
    }
  }
  return root;
}
