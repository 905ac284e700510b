// Two writers at once over one output (docs/benchmarks.md, "Where the time goes"). While the boot
// image streams onto the medium, the main thread mostly waits for the disk; the files after it
// (~2,000 small files taken out of the WIM: LZX decoding and hashing, CPU work) are written in that
// time by a second writer into their own region of the same file (ByteSink.fork). The bytes are
// the ones a single pass writes, at the same offsets; only the order they reach the disk changes.

import { CaptureMediaError } from '../errors.js';
import type { ByteSink, ForkedSink } from './sink.js';

/** A file at least this large is worth a second lane beside it. */
export const SIDE_LANE_MIN_BYTES = 16 * 1024 * 1024;

/**
 * Where a side lane pays, given the sizes of the files in the order they are written: the largest
 * file (the first of equals), when it is at least SIDE_LANE_MIN_BYTES and at least one file other
 * than the last (the manifest, which needs every other file's hash) follows it. The side lane then
 * takes the files between `large` and `last`; the last is written after both lanes.
 */
export function sideLaneSplit(fileSizes: readonly number[]): { large: number; last: number } | undefined {
  let large = -1;
  fileSizes.forEach((size, index) => {
    if (large < 0 || size > fileSizes[large]!) large = index;
  });
  const last = fileSizes.length - 1;
  if (large < 0 || fileSizes[large]! < SIDE_LANE_MIN_BYTES || last - large < 2) return undefined;
  return { large, last };
}

/**
 * Run `main` (on `sink`) and `side` (on a fork of `sink` from `sideOffset`) at the same time; when
 * both are done, `sink` stands where the side lane ended, past its region. When one lane fails the
 * other is stopped (at its next chunk) and awaited, and the side lane's writes are waited for, so
 * none is in flight once this returns (the main sink's own end with its close() or abandon());
 * the first failure is thrown.
 */
export async function withSideLane(
  sink: ByteSink,
  sideOffset: number,
  lanes: {
    main: (signal: AbortSignal) => Promise<void>;
    side: (sink: ForkedSink, signal: AbortSignal) => Promise<void>;
  },
  signal: AbortSignal | undefined,
): Promise<void> {
  if (sink.fork === undefined) throw new CaptureMediaError('InternalError', 'withSideLane needs a sink that can fork');
  const fork = sink.fork(sideOffset);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  if (signal?.aborted) stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let first: unknown;
  const watch = (lane: Promise<void>): Promise<void> =>
    lane.catch((error: unknown) => {
      first ??= error;
      stop.abort();
    });
  try {
    const side = lanes.side(new PoliteSink(fork), stop.signal).then(
      () => fork.finish(),
      async (error: unknown) => {
        await fork.finish().catch(() => undefined);
        throw error;
      },
    );
    await Promise.all([watch(lanes.main(stop.signal)), watch(side)]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (first !== undefined) throw first;
  if (sink.position !== sideOffset) throw new CaptureMediaError('InternalError', `the main lane ended at ${sink.position}, not where the side lane begins (${sideOffset})`);
  await skipTo(sink, fork.position);
}

/**
 * The side lane's sink: it hands the event loop back every YIELD_AFTER_MS. Its writes are small and
 * mostly buffered (they resolve at once), so without this the side lane's decoding runs as long
 * chains of microtasks, and the main lane's read and write completions wait behind them (in a
 * profile, the boot image's stream stood still for most of the side lane's run).
 */
class PoliteSink implements ForkedSink {
  #since = performance.now();

  constructor(private readonly inner: ForkedSink) {}

  get position(): number {
    return this.inner.position;
  }

  async write(chunk: Uint8Array): Promise<void> {
    await this.inner.write(chunk);
    await this.#yieldIfDue();
  }

  async skip(count: number): Promise<void> {
    if (this.inner.skip === undefined) throw new CaptureMediaError('InternalError', 'a forked sink must be able to skip');
    await this.inner.skip(count);
  }

  finish(): Promise<void> {
    return this.inner.finish();
  }

  async #yieldIfDue(): Promise<void> {
    if (performance.now() - this.#since < YIELD_AFTER_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#since = performance.now();
  }
}

/** How long the side lane may keep the main thread before I/O completions get their turn. */
const YIELD_AFTER_MS = 1;

async function skipTo(sink: ByteSink, position: number): Promise<void> {
  if (sink.skip === undefined) throw new CaptureMediaError('InternalError', 'a sink that can fork must be able to skip');
  await sink.skip(position - sink.position);
}
