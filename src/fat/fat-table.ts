// The File Allocation Table itself: one 32-bit entry per cluster (top 4 bits reserved).
// Microsoft FAT specification §4 "FAT": FAT[0] holds BPB_Media in its low byte with all other
// bits set; FAT[1] is an end-of-chain mark whose two high bits are the "clean shutdown" (0x08000000)
// and "no hard error" (0x04000000) flags, both set on a cleanly written volume; a free cluster is 0;
// a chain ends with an EOC value ≥ 0x0FFFFFF8 (we write 0x0FFFFFFF, as Windows does).
//
// Our allocation is contiguous (planFat32), so every chain is a run c, c+1, …, end. The table is
// produced in bounded chunks from the sorted list of chain ends: even a 2 TiB volume's 256 MiB FAT
// never sits in memory whole, and the 40 GiB case (5 MiB per FAT) streams in a few chunks.

export const FAT32_ENTRY_MASK = 0x0fffffff;
export const FAT32_EOC = 0x0fffffff;
/** §4: values 0x0FFFFFF8..0x0FFFFFFF end a chain. */
export const FAT32_EOC_MIN = 0x0ffffff8;
export const FAT32_BAD_CLUSTER = 0x0ffffff7;
export const FAT32_FREE = 0;
/** Entries per generated chunk: 256 Ki entries = 1 MiB. */
export const FAT_CHUNK_ENTRIES = 256 * 1024;

export interface FatTableSpec {
  readonly media: number;
  /** Entries in the table (FATSz32 · 128); the tail past the last cluster is zero. */
  readonly entryCount: number;
  /** Clusters 2 .. 2 + usedClusterCount − 1 are in use. */
  readonly usedClusterCount: number;
  /** Ascending last clusters of every chain. */
  readonly chainEnds: readonly number[];
}

/** The FAT's bytes, in order, as chunks of at most FAT_CHUNK_ENTRIES entries. */
export function* fatTableChunks(spec: FatTableSpec, chunkEntries = FAT_CHUNK_ENTRIES): Generator<Uint8Array> {
  const usedEnd = 2 + spec.usedClusterCount; // first free cluster
  let endIndex = 0; // next chain end at or after the current cluster
  for (let start = 0; start < spec.entryCount; start += chunkEntries) {
    const count = Math.min(chunkEntries, spec.entryCount - start);
    const chunk = new Uint8Array(count * 4);
    const view = new DataView(chunk.buffer);
    for (let i = 0; i < count; i++) {
      const cluster = start + i;
      let value: number;
      if (cluster === 0) value = 0x0fffff00 | spec.media;
      else if (cluster === 1) value = FAT32_EOC;
      else if (cluster >= usedEnd) break; // free from here on: the chunk is already zero
      else {
        while (spec.chainEnds[endIndex]! < cluster) endIndex++;
        value = spec.chainEnds[endIndex] === cluster ? FAT32_EOC : cluster + 1;
      }
      view.setUint32(i * 4, value, true);
    }
    yield chunk;
  }
}
