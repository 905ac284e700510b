// Opening a WIM: header, blob table and XML read and validated up front; an image's metadata is
// read when the image is opened; file content is streamed chunk by chunk and SHA-1-checked.
// Supports what Windows and wimlib write for boot images: uncompressed, XPRESS and LZX WIMs,
// non-solid, single-part, not pipable (the rest is refused with WimUnsupportedCompression or WimInvalid).

import { createHash } from 'node:crypto';
import { createStreamHash } from '../io/stream-hash.js';
import { mkdir, open, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CaptureMediaError, IntegrityError, InvalidFormatError, throwIfAborted } from '../errors.js';
import type { ContentSource } from '../io/content.js';
import { parseBlobTable, type BlobEntry, type BlobTable } from './blob-table.js';
import { parseWimHeader, WIM_HEADER_SIZE, type WimCompression, type WimHeader } from './header.js';
import { parseMetadata, type ImageNode, type WimEntry } from './metadata.js';
import { memoryByteSource, openFileByteSource, ResourceReader, type ByteSource } from './resource-reader.js';
import { validateResourceHeader } from './resource-header.js';
import { parseXmlInfo, type WimImageInfo } from './xml-info.js';

/** In-memory caps for whole-resource reads (they also bound allocation on hostile input). */
const MAX_BLOB_TABLE_BYTES = 256 * 1024 * 1024;
const MAX_XML_BYTES = 64 * 1024 * 1024;
const MAX_METADATA_BYTES = 512 * 1024 * 1024;

export interface WimFile {
  readonly path: string;
  readonly sizeBytes: number;
  /** 1-based index of the bootable image, 0 when none is marked. */
  readonly bootIndex: number;
  readonly images: readonly WimImageInfo[];
  readonly compression: WimCompression;
  readonly chunkSizeBytes: number;
  openImage(index: number): Promise<WimImage>;
  close(): Promise<void>;
}

export interface WimImage {
  readonly info: WimImageInfo;
  /** Case-insensitive; `\` or `/` separators; a leading separator is optional. */
  lookup(path: string): WimEntry | undefined;
  /** The entries of a directory in on-disk order; [] when it does not exist or is a file. */
  list(dirPath: string): WimEntry[];
  /** Every entry below a directory (depth first, parents before children), not the directory itself. */
  walk(dirPath?: string): Iterable<WimEntry>;
  /** The file's bytes; the SHA-1 is checked at the end (ContentHashMismatch). */
  contentSource(entry: WimEntry): ContentSource;
  /** A stream of one file's bytes; throws BootFilesMissing when the path is not a file. */
  extractFile(path: string, signal?: AbortSignal): Readable;
  /** Write a directory's tree below destDir (created if needed). */
  extractTree(dirPath: string, destDir: string, signal?: AbortSignal): Promise<{ files: number; bytes: number }>;
}

function splitPath(path: string): string[] {
  return path.split(/[\\/]+/).filter((part) => part !== '');
}

class Image implements WimImage {
  constructor(
    readonly info: WimImageInfo,
    private readonly root: ImageNode,
    private readonly wim: Wim,
  ) {}

  private node(path: string): ImageNode | undefined {
    let node: ImageNode | undefined = this.root;
    for (const part of splitPath(path)) {
      node = node.byName.get(part.toUpperCase());
      if (node === undefined) return undefined;
    }
    return node;
  }

  lookup(path: string): WimEntry | undefined {
    return this.node(path)?.entry;
  }

  list(dirPath: string): WimEntry[] {
    const node = this.node(dirPath);
    return node === undefined ? [] : node.children.map((c) => c.entry);
  }

  *walk(dirPath = ''): Iterable<WimEntry> {
    const start = this.node(dirPath);
    if (start === undefined) return;
    const stack: ImageNode[] = [...start.children].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      yield node.entry;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }

  contentSource(entry: WimEntry): ContentSource {
    if (entry.isDirectory) throw new CaptureMediaError('InvalidParameter', `${entry.path} is a directory`, { target: entry.path });
    return this.wim.blobSource(entry.sha1, entry.sizeBytes, entry.path);
  }

  extractFile(path: string, signal?: AbortSignal): Readable {
    const entry = this.lookup(path);
    if (entry === undefined || entry.isDirectory) {
      throw new CaptureMediaError('BootFilesMissing', `${path} is not a file in image ${this.info.index} of ${this.wim.path}`, { target: path });
    }
    return Readable.from(this.contentSource(entry).stream(signal), { objectMode: false });
  }

  async extractTree(dirPath: string, destDir: string, signal?: AbortSignal): Promise<{ files: number; bytes: number }> {
    const start = this.node(dirPath);
    if (start === undefined || !start.entry.isDirectory) {
      throw new CaptureMediaError('BootFilesMissing', `${dirPath} is not a directory in image ${this.info.index} of ${this.wim.path}`, { target: dirPath });
    }
    await mkdir(destDir, { recursive: true });
    const prefix = splitPath(start.entry.path).length;
    let files = 0;
    let bytes = 0;
    for (const entry of this.walk(dirPath)) {
      throwIfAborted(signal);
      // Names were checked when the metadata was parsed (no separators, '.', '..'), so the
      // joined path cannot leave destDir.
      const target = join(destDir, ...splitPath(entry.path).slice(prefix));
      if (entry.isDirectory) {
        await mkdir(target, { recursive: true });
        continue;
      }
      const handle = await open(target, 'w');
      try {
        for await (const chunk of this.contentSource(entry).stream(signal)) {
          await handle.write(chunk);
        }
      } finally {
        await handle.close();
      }
      await utimes(target, entry.modified, entry.modified);
      files++;
      bytes += entry.sizeBytes;
    }
    return { files, bytes };
  }
}

class Wim implements WimFile {
  private readonly reader: ResourceReader;

  constructor(
    readonly path: string,
    private readonly source: ByteSource,
    private readonly header: WimHeader,
    private readonly blobTable: BlobTable,
    readonly images: readonly WimImageInfo[],
  ) {
    this.reader = new ResourceReader(source, header.compression, header.chunkSizeBytes, path);
  }

  get sizeBytes(): number {
    return this.source.sizeBytes;
  }
  get bootIndex(): number {
    return this.header.bootIndex;
  }
  get compression(): WimCompression {
    return this.header.compression;
  }
  get chunkSizeBytes(): number {
    return this.header.chunkSizeBytes;
  }

  async openImage(index: number): Promise<WimImage> {
    const info = this.images[index - 1];
    const metadata = this.blobTable.metadata[index - 1];
    if (info === undefined || metadata === undefined || !Number.isInteger(index)) {
      throw new CaptureMediaError('InvalidParameter', `${this.path} has no image ${index} (it has ${this.images.length})`, { target: this.path });
    }
    const bytes = await this.reader.readAll(metadata.resource, MAX_METADATA_BYTES, 'metadata resource');
    verifySha1(bytes, metadata.sha1, `metadata of image ${index}`, this.path);
    const root = parseMetadata(bytes, (sha1) => this.blobTable.blobs.get(sha1)?.resource.originalSizeBytes);
    return new Image(info, root, this);
  }

  blobSource(sha1: string, sizeBytes: number, name: string): ContentSource {
    if (sha1 === '') {
      return { sizeBytes: 0, async *stream() {} };
    }
    const blob: BlobEntry | undefined = this.blobTable.blobs.get(sha1);
    if (blob === undefined) throw new InvalidFormatError('WimInvalid', 'blob table', 0, `no blob with SHA-1 ${sha1} (${name})`, { target: this.path });
    const reader = this.reader;
    const wimPath = this.path;
    // Read ahead when the writer hints this file comes soon (io/read-ahead.ts). A failed read is
    // forgotten here: stream() then reads again and reports the error where it belongs.
    let ahead: Promise<Buffer | undefined> | undefined;
    return {
      sizeBytes,
      prefetch() {
        ahead ??= reader.readSmall(blob.resource).catch(() => undefined);
      },
      async *stream(signal?: AbortSignal) {
        const stored = await ahead;
        ahead = undefined;
        const hash = createStreamHash('sha1', sizeBytes);
        for await (const chunk of reader.chunks(blob.resource, signal, stored)) {
          await hash.update(chunk);
          yield chunk;
        }
        const actual = await hash.digest();
        if (actual !== sha1) {
          throw new IntegrityError('ContentHashMismatch', sha1, actual, `SHA-1 of ${name} in ${wimPath} does not match the blob table`, { target: wimPath });
        }
      },
    };
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

function verifySha1(bytes: Uint8Array, expected: string, what: string, path: string): void {
  const actual = createHash('sha1').update(bytes).digest('hex');
  if (actual !== expected) throw new IntegrityError('ContentHashMismatch', expected, actual, `SHA-1 of the ${what} in ${path} does not match`, { target: path });
}

/** Open a WIM held by any byte source (file or memory). The source is closed on failure. */
export async function openWimSource(source: ByteSource, path: string): Promise<WimFile> {
  try {
    const headerBytes = new Uint8Array(Math.min(WIM_HEADER_SIZE, source.sizeBytes));
    await source.readAt(headerBytes, headerBytes.length, 0);
    const header = parseWimHeader(headerBytes, path);
    validateResourceHeader(header.blobTable, source.sizeBytes, 'WIM header (blob table)', 0x30);
    validateResourceHeader(header.xmlData, source.sizeBytes, 'WIM header (XML data)', 0x48);
    const reader = new ResourceReader(source, header.compression, header.chunkSizeBytes, path);
    const tableBytes = await reader.readAll(header.blobTable, Math.min(MAX_BLOB_TABLE_BYTES, source.sizeBytes), 'blob table');
    const blobTable = parseBlobTable(tableBytes, source.sizeBytes, path);
    if (blobTable.metadata.length !== header.imageCount) {
      throw new InvalidFormatError('WimInvalid', 'blob table', 0, `${blobTable.metadata.length} metadata resources for ${header.imageCount} images`, { target: path });
    }
    const xmlBytes = await reader.readAll(header.xmlData, MAX_XML_BYTES, 'XML data');
    const xml = parseXmlInfo(xmlBytes, header.imageCount, path);
    return new Wim(path, source, header, blobTable, xml.images);
  } catch (error: unknown) {
    await source.close();
    throw error;
  }
}

export async function openWim(path: string): Promise<WimFile> {
  return openWimSource(await openFileByteSource(path), path);
}

/** Open a WIM held in memory (tests, fuzzing). */
export function openWimBytes(bytes: Uint8Array, name = '<memory>'): Promise<WimFile> {
  return openWimSource(memoryByteSource(bytes), name);
}
