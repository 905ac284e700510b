// Test helper: assembles small uncompressed WIMs by hand with the project's own encoders, so
// hostile shapes that no tool writes (directory cycles, '..' names, wrong hashes) can be made.

import { createHash } from 'node:crypto';
import { encodeBlobEntry, type BlobEntry } from '../../src/wim/blob-table.js';
import { encodeDentry, FILE_ATTRIBUTE_DIRECTORY, minimalDentryLength } from '../../src/wim/dentry.js';
import { encodeWimHeader, WIM_HEADER_SIZE, WIM_VERSION_DEFAULT } from '../../src/wim/header.js';
import { RESHDR_FLAG_METADATA } from '../../src/wim/resource-header.js';

export interface SynthNode {
  name: string;
  data?: Uint8Array;
  children?: SynthNode[];
  /** Store this SHA-1 in the dentry instead of the data's. */
  sha1?: string;
}

const sha1 = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');

const dentrySize = (name: string): number => minimalDentryLength(name);

/** Encode a metadata resource: 8-byte security block, root, then each directory's list + end marker. */
export function buildMetadata(root: SynthNode, patch?: (offsets: Map<SynthNode, { dentry: number; list: number }>) => Map<SynthNode, number>): Uint8Array {
  const offsets = new Map<SynthNode, { dentry: number; list: number }>();
  let at = 8;
  offsets.set(root, { dentry: at, list: 0 });
  at += dentrySize('') + 8;
  const queue: SynthNode[] = [root];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const kids = dir.children ?? [];
    offsets.get(dir)!.list = at;
    for (const kid of kids) {
      offsets.set(kid, { dentry: at, list: 0 });
      at += dentrySize(kid.name);
      if (kid.children) queue.push(kid);
    }
    at += 8;
  }
  const subdirOverride = patch?.(offsets) ?? new Map<SynthNode, number>();
  const bytes = Buffer.alloc(at);
  bytes.writeUInt32LE(8, 0);
  for (const [node, { dentry, list }] of offsets) {
    const isDir = node.children !== undefined;
    const name = node === root ? '' : node.name;
    const encoded = encodeDentry({
      lengthBytes: dentrySize(name),
      attributes: isDir ? FILE_ATTRIBUTE_DIRECTORY : 0x20,
      securityId: -1,
      subdirOffset: subdirOverride.get(node) ?? (isDir ? list : 0),
      creationTime: 133_000_000_000_000_000n,
      lastAccessTime: 133_000_000_000_000_000n,
      lastWriteTime: 133_000_000_000_000_000n,
      sha1: node.sha1 ?? (node.data && node.data.length > 0 ? sha1(node.data) : ''),
      unknown0x54: 0,
      reparseOrLinkGroup: 0n,
      name,
      shortName: '',
      trailing: new Uint8Array(0),
      streams: [],
    });
    bytes.set(encoded, dentry);
  }
  return bytes;
}

/** A complete single-image uncompressed WIM around `root`. */
export function buildWim(root: SynthNode, options: { patch?: Parameters<typeof buildMetadata>[1]; badBlobHash?: boolean } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = WIM_HEADER_SIZE;
  const entries: BlobEntry[] = [];
  const seen = new Set<string>();
  const add = (data: Uint8Array, flags: number, hash = sha1(data)): BlobEntry => {
    const entry: BlobEntry = { resource: { sizeInWimBytes: data.length, flags, offset: at, originalSizeBytes: data.length }, partNumber: 1, referenceCount: 1, sha1: hash };
    parts.push(data);
    at += data.length;
    return entry;
  };
  const visit = (node: SynthNode): void => {
    if (node.data && node.data.length > 0 && !seen.has(sha1(node.data))) {
      seen.add(sha1(node.data));
      entries.push(add(node.data, 0, options.badBlobHash ? sha1(node.data) : undefined));
      if (options.badBlobHash) {
        node.sha1 = sha1(node.data);
        node.data[0]! ^= 0xff;
      }
    }
    node.children?.forEach(visit);
  };
  visit(root);
  const metadata = buildMetadata(root, options.patch);
  entries.push(add(metadata, RESHDR_FLAG_METADATA));
  const table = Buffer.concat(entries.map(encodeBlobEntry));
  const tableHeader = { sizeInWimBytes: table.length, flags: 0, offset: at, originalSizeBytes: table.length };
  parts.push(table);
  at += table.length;
  const xml = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<WIM><TOTALBYTES>0</TOTALBYTES><IMAGE INDEX="1"><NAME>synthetic</NAME><WINDOWS><ARCH>5</ARCH></WINDOWS></IMAGE></WIM>', 'utf16le')]);
  const xmlHeader = { sizeInWimBytes: xml.length, flags: 0, offset: at, originalSizeBytes: xml.length };
  parts.push(xml);
  const none = { sizeInWimBytes: 0, flags: 0, offset: 0, originalSizeBytes: 0 };
  const header = encodeWimHeader({
    headerSizeBytes: WIM_HEADER_SIZE, version: WIM_VERSION_DEFAULT, flags: 0, chunkSizeBytes: 32768, guid: new Uint8Array(16),
    partNumber: 1, totalParts: 1, imageCount: 1, blobTable: tableHeader, xmlData: xmlHeader, bootMetadata: none, bootIndex: 1,
    integrityTable: none, compression: 'none',
  });
  return Buffer.concat([header, ...parts]);
}
