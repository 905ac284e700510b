// Byte sources for media files. A writer (ISO, FAT32) knows only sizes up front and pulls each
// file's bytes exactly once, in order, while it emits; where the bytes come from (a file on disk,
// a blob decompressed out of a WIM, a FileLib blob being SHA-256-checked) is hidden behind this.

import { streamFile } from './pooled-reads.js';
import { SLAB_BYTES } from './slab-pool.js';
import { CaptureMediaError } from '../errors.js';

/** One file's content: its exact size, and a stream of its bytes that may be opened once per pass. */
export interface ContentSource {
  readonly sizeBytes: number;
  /**
   * Yields the bytes in order; the total must equal sizeBytes or the consumer throws. A chunk is
   * the consumer's until it asks for the next one: a source may then reuse its buffer, so a
   * consumer that keeps bytes longer copies them.
   */
  stream(signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /**
   * Optional: the SHA-256 (uppercase hex) that stream() itself checks the bytes against, failing at
   * the end of the stream on a mismatch. A stream that completes has therefore delivered exactly
   * these bytes, so a consumer that needs the hash (the media manifest) can take it from here
   * instead of hashing the same bytes a second time.
   */
  readonly checkedSha256?: string;
  /**
   * Optional hint that stream() will be called soon (io/read-ahead.ts sends it): a source may
   * start reading its bytes now and keep them, at most sizeBytes, until then (a small file in a
   * WIM reads its compressed bytes). A hinted source must still stream correctly, and report its
   * own errors, if the hint is never followed up, or followed up much later.
   */
  prefetch?(): void;
}

/** Read size for streaming files: large reads keep the syscall count low (docs/benchmarks.md). */
export const STREAM_CHUNK_BYTES = SLAB_BYTES;

/** Content held in memory (generated files such as MediaLabel.txt). */
export function bufferSource(bytes: Uint8Array): ContentSource {
  return {
    sizeBytes: bytes.length,
    async *stream() {
      yield bytes;
    },
  };
}

/** Content of a file on disk, read ahead into pooled slabs, past the OS cache where allowed (io/pooled-reads.ts). */
export function fileSource(path: string, sizeBytes: number): ContentSource {
  return {
    sizeBytes,
    stream(signal?: AbortSignal) {
      return streamFile(path, sizeBytes, {
        signal,
        refuse: (kind) => new CaptureMediaError('WriteFailed', `${path} is ${kind}, not a file; it cannot be read as content.`, { target: path }),
        shortFile: (position) => new CaptureMediaError('WriteFailed', `${path} is shorter than expected: ${position} of ${sizeBytes} bytes`, { target: path }),
        ioError: (error) => new CaptureMediaError('WriteFailed', `Reading ${path} failed: ${String(error)}`, { target: path, cause: error }),
      });
    },
  };
}

/** Drain a source, checking that it delivers exactly the size it announced. */
export async function* checkedStream(source: ContentSource, name: string, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const chunk of source.stream(signal)) {
    total += chunk.length;
    if (total > source.sizeBytes) break;
    yield chunk;
  }
  if (total !== source.sizeBytes) {
    throw new CaptureMediaError('WriteFailed', `${name}: the source delivered ${total} bytes, ${source.sizeBytes} were expected`, {
      target: name,
    });
  }
}

/**
 * All the bytes of a stream expected to hold `sizeBytes`, copied into one buffer as they come (a
 * chunk is its source's again once the next one is asked for). A stream that runs on past
 * `sizeBytes` is cut there; one that ends short gives what it gave.
 */
export async function readWhole(chunks: AsyncIterable<Uint8Array>, sizeBytes: number): Promise<Buffer> {
  const out = Buffer.alloc(sizeBytes);
  let at = 0;
  for await (const chunk of chunks) {
    if (at + chunk.length > sizeBytes) break;
    out.set(chunk, at);
    at += chunk.length;
  }
  return out.subarray(0, at);
}
