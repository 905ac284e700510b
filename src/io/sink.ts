// Sequential byte sinks. Writers emit in ascending offset and call write() with whatever chunk
// sizes they have; a sink may coalesce them into large writes.

import { open, type FileHandle } from 'node:fs/promises';
import { CaptureMediaError, toCaptureMediaError } from '../errors.js';

export interface ByteSink {
  /** Bytes written so far (the next write lands at this offset). */
  readonly position: number;
  write(chunk: Uint8Array): Promise<void>;
}

/** Write `count` zero bytes through a sink without allocating `count` bytes. */
export async function writeZeros(sink: ByteSink, count: number): Promise<void> {
  const zeros = ZERO_BLOCK;
  let left = count;
  while (left > 0) {
    const n = Math.min(left, zeros.length);
    await sink.write(n === zeros.length ? zeros : zeros.subarray(0, n));
    left -= n;
  }
}
const ZERO_BLOCK = new Uint8Array(1024 * 1024);

/** A sink on an open file handle, coalescing small writes into buffers of `bufferBytes`. */
export class FileSink implements ByteSink {
  #position = 0;
  #buffer: Buffer;
  #used = 0;
  #flushedTo = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly name: string,
    bufferBytes = 4 * 1024 * 1024,
    startOffset = 0,
  ) {
    this.#buffer = Buffer.allocUnsafe(bufferBytes);
    this.#position = startOffset;
    this.#flushedTo = startOffset;
  }

  static async create(path: string, flags = 'wx', mode = 0o600): Promise<FileSink> {
    const handle = await open(path, flags, mode);
    return new FileSink(handle, path);
  }

  get position(): number {
    return this.#position;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length >= this.#buffer.length) {
      await this.flush();
      await this.#writeAt(chunk);
      this.#position += chunk.length;
      return;
    }
    if (this.#used + chunk.length > this.#buffer.length) await this.flush();
    this.#buffer.set(chunk, this.#used);
    this.#used += chunk.length;
    this.#position += chunk.length;
  }

  async flush(): Promise<void> {
    if (this.#used === 0) return;
    const pending = this.#buffer.subarray(0, this.#used);
    await this.#writeAt(pending);
    this.#used = 0;
  }

  async #writeAt(bytes: Uint8Array): Promise<void> {
    let done = 0;
    try {
      while (done < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, this.#flushedTo);
        done += bytesWritten;
        this.#flushedTo += bytesWritten;
      }
    } catch (error: unknown) {
      const wrapped = toCaptureMediaError(error);
      throw new CaptureMediaError('WriteFailed', `Writing ${this.name} failed at offset ${this.#flushedTo}: ${wrapped.message}`, {
        target: this.name,
        cause: error,
      });
    }
  }

  /** Flush, fsync and close. */
  async close(sync = true): Promise<void> {
    try {
      await this.flush();
      if (sync) await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }

  /** Close without flushing (after a failure). */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
