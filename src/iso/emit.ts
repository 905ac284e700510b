// emitIso: write a planned IsoLayout to a sink in one sequential pass, in ascending LBA. Each
// region is a small write step (descriptor, catalog, path table, directory, file); file contents
// are streamed from their ContentSource exactly once and padded to the 2048-byte sector, so memory
// does not grow with file size. The one exception is a BIOS boot file with a boot info table
// (≤ 1 MiB, checked by plan): it is buffered to compute the mkisofs checksum before writing.

import { CaptureMediaError, throwIfAborted } from '../errors.js';
import { checkedStream } from '../io/content.js';
import { ReadAhead } from '../io/read-ahead.js';
import { writeZeros, type ByteSink } from '../io/sink.js';
import { encodeDirectoryExtent } from './directory-record.js';
import { encodeBootCatalog, encodeBootRecord, patchBootInfoTable } from './el-torito.js';
import { SECTOR_BYTES } from './fields.js';
import { encodePathTable } from './path-table.js';
import { validateLayout, type IsoFile, type IsoLayout, type IsoRegion } from './plan.js';
import { encodeTerminator, encodeVolumeDescriptor } from './volume-descriptor.js';

export interface EmitIsoOptions {
  readonly signal?: AbortSignal;
  /** Called with the byte count of every write (sampled into progress by the caller). */
  readonly onBytes?: (n: number) => void;
}

export async function emitIso(layout: IsoLayout, sink: ByteSink, options: EmitIsoOptions = {}): Promise<void> {
  validateLayout(layout);
  const out = new CountingWriter(sink, options.onBytes);
  const files = layout.regions.flatMap((region) => (region.kind === 'file' ? [region.file] : []));
  const readAhead = new ReadAhead(files.map((f) => f.content));
  let fileIndex = 0;
  for (const region of layout.regions) {
    throwIfAborted(options.signal);
    // Gaps (the System Area, sectors 0..15) are zero.
    await out.zeros(region.lba * SECTOR_BYTES - out.written);
    if (region.kind === 'file') {
      readAhead.at(fileIndex++);
      await writeFile(region.file, out, options.signal);
    } else {
      await out.write(encodeRegion(region));
    }
    await out.zeros(padTo(region, out.written));
  }
  await out.zeros(layout.totalBytes - out.written);
  if (out.written !== layout.totalBytes) {
    throw new CaptureMediaError('InternalError', `ISO emit wrote ${out.written} bytes, the layout says ${layout.totalBytes}`);
  }
}

function encodeRegion(region: Exclude<IsoRegion, { kind: 'file' }>): Uint8Array {
  switch (region.kind) {
    case 'volumeDescriptor':
      return encodeVolumeDescriptor(region.descriptor);
    case 'bootRecord':
      return encodeBootRecord(region.catalogLba);
    case 'terminator':
      return encodeTerminator();
    case 'bootCatalog':
      return encodeBootCatalog(region.catalog);
    case 'pathTable':
      return encodePathTable(region.records, region.bigEndian);
    case 'directory':
      return encodeDirectoryExtent(region.records);
  }
}

/** Zero bytes from `written` to the end of the region; fails if the region overflowed its sectors. */
function padTo(region: IsoRegion, written: number): number {
  const end = (region.lba + region.sectorCount) * SECTOR_BYTES;
  if (written > end) throw new CaptureMediaError('InternalError', `ISO ${region.kind} at sector ${region.lba} overflows its ${region.sectorCount} sectors`);
  return end - written;
}

async function writeFile(file: IsoFile, out: CountingWriter, signal: AbortSignal | undefined): Promise<void> {
  const name = file.path.join('/');
  if (file.bootInfoTable !== undefined) {
    const bytes = new Uint8Array(file.sizeBytes);
    let at = 0;
    for await (const chunk of checkedStream(file.content, name, signal)) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    patchBootInfoTable(bytes, file.bootInfoTable);
    await out.write(bytes);
    return;
  }
  for await (const chunk of checkedStream(file.content, name, signal)) {
    throwIfAborted(signal);
    await out.write(chunk);
  }
}

/** Counts bytes relative to where the sink stood when the emit began (a sink may start at an offset). */
class CountingWriter {
  readonly #start: number;

  constructor(
    private readonly sink: ByteSink,
    private readonly onBytes: ((n: number) => void) | undefined,
  ) {
    this.#start = sink.position;
  }

  get written(): number {
    return this.sink.position - this.#start;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    await this.sink.write(chunk);
    this.onBytes?.(chunk.length);
  }

  async zeros(count: number): Promise<void> {
    if (count < 0) throw new CaptureMediaError('InternalError', `ISO emit is ${-count} bytes past where the next region starts`);
    if (count === 0) return;
    await writeZeros(this.sink, count);
    this.onBytes?.(count);
  }
}
