// Read-ahead for one-pass writers: while file i is written, the files after it are told they
// come next (ContentSource.prefetch), so that their reads are in flight while the main thread
// decompresses and hashes file i (docs/benchmarks.md). Measured on the 0.5 GiB bench sample: the ~2,000
// small files taken out of boot.wim each waited ~150 µs for their one read (a thread-pool round
// trip on this VM, the data already in the page cache), 0.3 s of the build in all.

import type { ContentSource } from './content.js';

/**
 * Bytes of hinted files (their sizes on the medium) that may be read ahead at once: a dozen or
 * so small files, enough to keep the thread pool's reads ahead of the decoding. It bounds the
 * memory the read-ahead adds (the 150 MB peak-RSS goal in docs/benchmarks.md): at 4 MiB the verified
 * ISO build peaked ~12 MB higher, at 1 MiB no higher than without read-ahead, and no slower.
 */
export const READ_AHEAD_BYTES = 1024 * 1024;

export class ReadAhead {
  /** Index of the first source not hinted yet. */
  #next = 0;
  /** Bytes of hinted sources not yet reached by `at()`. */
  #pendingBytes = 0;
  readonly #hinted = new Set<number>();

  constructor(
    private readonly sources: readonly ContentSource[],
    private readonly budgetBytes = READ_AHEAD_BYTES,
  ) {}

  /** The writer is about to stream sources[index]: hint the ones after it, within the budget. */
  at(index: number): void {
    for (const hinted of this.#hinted) {
      if (hinted > index) continue;
      this.#hinted.delete(hinted);
      this.#pendingBytes -= this.sources[hinted]!.sizeBytes;
    }
    this.#next = Math.max(this.#next, index + 1);
    while (this.#next < this.sources.length) {
      const source = this.sources[this.#next]!;
      if (source.prefetch !== undefined) {
        if (this.#pendingBytes + source.sizeBytes > this.budgetBytes) return;
        this.#pendingBytes += source.sizeBytes;
        this.#hinted.add(this.#next);
        source.prefetch();
      }
      this.#next++;
    }
  }
}
