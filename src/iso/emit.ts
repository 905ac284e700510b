// emitIso: write a planned IsoLayout to a sink in one pass, in ascending LBA. Each region is a small
// write step (descriptor, catalog, path table, directory, file); file contents are streamed from
// their ContentSource exactly once and padded to the 2048-byte sector, so memory does not grow
// with file size. When the sink can fork, the regions after the largest file (but the last file,
// the manifest) are written by a side lane at the same time (io/side-lane.ts): the same bytes at
// the same offsets, in another order. The one exception is a BIOS boot file with a boot info table
// (≤ 1 MiB, checked by plan): it is buffered to compute the mkisofs checksum before writing.

import { CaptureMediaError, throwIfAborted } from '../errors.js';
import { checkedStream } from '../io/content.js';
import { ReadAhead } from '../io/read-ahead.js';
import { sideLaneSplit, withSideLane } from '../io/side-lane.js';
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
  const origin = sink.position;
  const writer = (to: ByteSink): CountingWriter => new CountingWriter(to, origin, options.onBytes);
  const regions = layout.regions;
  const split = sideLaneRegions(regions, sink);
  if (split === undefined) {
    await emitRegions(regions, writer(sink), options.signal);
  } else {
    // The large file in the main lane, the files after it (but the last, the manifest, which
    // needs every other file's hash) in a side lane at the same time; then the rest.
    const sideStart = regions[split.large + 1]!.lba * SECTOR_BYTES;
    const tailStart = regions[split.lastFile]!.lba * SECTOR_BYTES;
    await withSideLane(
      sink,
      origin + sideStart,
      {
        main: (signal) => emitRegions(regions.slice(0, split.large + 1), writer(sink), signal, sideStart),
        side: (fork, signal) => emitRegions(regions.slice(split.large + 1, split.lastFile), writer(fork), signal, tailStart),
      },
      options.signal,
    );
    await emitRegions(regions.slice(split.lastFile), writer(sink), options.signal);
  }
  const out = writer(sink);
  await out.zeros(layout.totalBytes - out.written);
  if (out.written !== layout.totalBytes) {
    throw new CaptureMediaError('InternalError', `ISO emit wrote ${out.written} bytes, the layout says ${layout.totalBytes}`);
  }
}

/** The side lane's split in region indexes (io/side-lane.ts sideLaneSplit over the file regions). */
function sideLaneRegions(regions: readonly IsoRegion[], sink: ByteSink): { large: number; lastFile: number } | undefined {
  if (sink.fork === undefined) return undefined;
  const fileRegions = regions.flatMap((region, index) => (region.kind === 'file' ? [{ index, sizeBytes: region.file.sizeBytes }] : []));
  const split = sideLaneSplit(fileRegions.map((f) => f.sizeBytes));
  return split === undefined ? undefined : { large: fileRegions[split.large]!.index, lastFile: fileRegions[split.last]!.index };
}

/** Regions in ascending LBA, each preceded by the zeros of its gap; then zeros up to `endOffset` when given. */
async function emitRegions(regions: readonly IsoRegion[], out: CountingWriter, signal: AbortSignal | undefined, endOffset?: number): Promise<void> {
  const files = regions.flatMap((region) => (region.kind === 'file' ? [region.file] : []));
  const readAhead = new ReadAhead(files.map((f) => f.content));
  let fileIndex = 0;
  for (const region of regions) {
    throwIfAborted(signal);
    // Gaps (the System Area, sectors 0..15) are zero.
    await out.zeros(region.lba * SECTOR_BYTES - out.written);
    if (region.kind === 'file') {
      readAhead.at(fileIndex++);
      await writeFile(region.file, out, signal);
    } else {
      await out.write(encodeRegion(region));
    }
    await out.zeros(padTo(region, out.written));
  }
  if (endOffset !== undefined) await out.zeros(endOffset - out.written);
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
  constructor(
    private readonly sink: ByteSink,
    /** The sink position of the ISO's first byte. */
    private readonly origin: number,
    private readonly onBytes: ((n: number) => void) | undefined,
  ) {}

  get written(): number {
    return this.sink.position - this.origin;
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
