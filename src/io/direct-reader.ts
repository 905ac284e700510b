// Reading a device or image back past the page cache, for verify on every platform.
//
// openDirectReader opens with O_DIRECT so verification reads the medium, not the page cache we
// just filled. O_DIRECT needs the buffer address, file offset and length
// aligned to the logical block size; Node Buffers carry no alignment guarantee (malloc gives 16),
// so the reader reads into the slab pool's page-aligned memory (io/slab-pool.ts), in 4096-byte
// multiples at 4096-aligned offsets. Where O_DIRECT is refused with EINVAL (tmpfs and
// some FUSE/overlay file systems, or a device with a larger alignment) the reader falls back to
// ordinary reads; for a block device it first runs `blockdev --flushbufs` (BLKFLSBUF: write back
// and drop the device's cached pages), since Node has no posix_fadvise(DONTNEED). `direct` says
// which path was taken.

import { constants } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { CaptureMediaError, errnoCode } from '../errors.js';
import { majorMinorOf } from './dev-t.js';
import { DIRECT_ALIGNMENT, directOpenFlag } from './direct-flag.js';

export { DIRECT_ALIGNMENT, directOpenFlag };
import { directThenCached, pooledReads } from './pooled-reads.js';
import { takeSlab } from './slab-pool.js';


export interface DirectReader {
  readonly path: string;
  /** True when reads bypass the page cache (O_DIRECT); false on the documented fallback. */
  readonly direct: boolean;
  /** Why direct is false (for the log), undefined when it is true. */
  readonly fallbackReason: string | undefined;
  readonly sizeBytes: number;
  /** Bytes [offset, offset+length); shorter only at the end of the file or device. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Bytes [offset, offset+length) in order, the next reads in flight (io/pooled-reads.ts): what
   * verify hashes. A chunk is the consumer's until it asks for the next one. Fails (VerifyFailed)
   * if the file or device ends first.
   */
  stream(offset: number, length: number, signal?: AbortSignal): AsyncGenerator<Uint8Array>;
  close(): Promise<void>;
}

export interface DirectReaderOptions {
  /**
   * false: skip O_DIRECT and take the fallback at once (flush the device's cache, then ordinary
   * reads). For a file system or driver known to misbehave with O_DIRECT, and for the tests.
   */
  readonly direct?: boolean;
}

/** Open a device or image for verification reads that do not come from the page cache. */
export async function openDirectReader(path: string, options: DirectReaderOptions = {}): Promise<DirectReader> {
  const stats = await stat(path).catch((error: unknown) => {
    throw new CaptureMediaError('DiskNotFound', `Cannot read back ${path}: ${String(error)}`, { target: path, cause: error });
  });
  const sizeBytes = stats.isBlockDevice() ? await blockDeviceSize(stats.rdev, path) : stats.size;
  if (options.direct === false) return openBuffered(path, sizeBytes, stats.isBlockDevice(), 'O_DIRECT not requested by the caller');
  const flag = directOpenFlag();
  if (flag === 0) return openBuffered(path, sizeBytes, stats.isBlockDevice(), `no unbuffered reads on ${process.platform}`);
  try {
    const handle = await open(path, constants.O_RDONLY | flag);
    return new AlignedReader(path, handle, sizeBytes, stats.isBlockDevice());
  } catch (error: unknown) {
    if (errnoCode(error) !== 'EINVAL') throw readError(path, error);
    return openBuffered(path, sizeBytes, stats.isBlockDevice(), `O_DIRECT refused by the file system (${String(error)})`);
  }
}

async function openBuffered(path: string, sizeBytes: number, isBlockDevice: boolean, reason: string): Promise<DirectReader> {
  let why = reason;
  if (isBlockDevice) {
    // Loaded here, on the rare fallback: every ISO build and verify loads this module at start.
    const { execa } = await import('execa');
    const flushed = await execa('blockdev', ['--flushbufs', path], { reject: false });
    why += flushed.exitCode === 0 ? '; dropped the device cache with blockdev --flushbufs' : `; blockdev --flushbufs failed too (${String(flushed.stderr).trim()})`;
  } else {
    why += '; reads may come from the page cache';
  }
  const handle = await open(path, constants.O_RDONLY).catch((error: unknown) => {
    throw readError(path, error);
  });
  return new BufferedReader(path, handle, sizeBytes, why);
}

async function blockDeviceSize(rdev: number, path: string): Promise<number> {
  // stat(2) gives a block device size 0; sysfs gives it in 512-byte sectors whatever the block size.
  const sectors = await readFile(`/sys/dev/block/${majorMinorOf(rdev)}/size`, 'utf8').catch((error: unknown) => {
    throw readError(path, error);
  });
  return Number(sectors.trim()) * 512;
}

function readError(path: string, error: unknown): CaptureMediaError {
  const code = errnoCode(error);
  if (code === 'EACCES' || code === 'EPERM') return new CaptureMediaError('PermissionDenied', `Reading ${path} was denied; run as root.`, { target: path, cause: error });
  return new CaptureMediaError('VerifyFailed', `Reading back ${path} failed: ${String(error)}`, { target: path, cause: error });
}

class AlignedReader implements DirectReader {
  #direct = true;
  #fallbackReason: string | undefined;
  #fallback: DirectReader | undefined;
  /** Reads run one at a time, so a switch to the fallback happens between two reads. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly sizeBytes: number,
    private readonly isBlockDevice: boolean,
  ) {}

  get direct(): boolean {
    return this.#direct;
  }

  get fallbackReason(): string | undefined {
    return this.#fallbackReason;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const next = this.#queue.then(() => this.#read(offset, length));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || !Number.isSafeInteger(offset + length)) throw new RangeError(`read(${offset}, ${length})`);
    if (this.#fallback) return this.#fallback.read(offset, length);
    const end = Math.min(offset + length, this.sizeBytes);
    const out = new Uint8Array(Math.max(0, end - offset));
    // Read whole aligned blocks covering [offset, end) into a pooled (page-aligned) slab and copy
    // out the wanted part.
    const slab = takeSlab();
    try {
      let blockStart = Math.floor(offset / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT;
      while (blockStart < end) {
        const want = Math.min(slab.bytes.length, Math.ceil((end - blockStart) / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT);
        let got: number;
        try {
          ({ bytesRead: got } = await this.handle.read(slab.bytes, 0, want, blockStart));
        } catch (error: unknown) {
          if (errnoCode(error) !== 'EINVAL') throw readError(this.path, error);
          return (await this.#fallBack(error)).read(offset, length);
        }
        if (got === 0) break;
        const from = Math.max(offset, blockStart);
        const to = Math.min(end, blockStart + got);
        out.set(slab.bytes.subarray(from - blockStart, to - blockStart), from - offset);
        blockStart += got;
        if (got < want) break;
      }
    } finally {
      slab.release();
    }
    return out;
  }

  async *stream(offset: number, length: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    if (this.#fallback) {
      yield* this.#fallback.stream(offset, length, signal);
      return;
    }
    const direct = pooledReads(this.handle, length, { startOffset: offset, alignment: DIRECT_ALIGNMENT, signal, shortFile: (at) => endedEarly(this.path, offset + at), readError: (error) => error as Error });
    const cached = async (error: unknown): Promise<(from: number) => AsyncIterable<Uint8Array>> => {
      const fallback = await this.#fallBack(error);
      return (from) => fallback.stream(offset + from, length - from, signal);
    };
    try {
      yield* directThenCached(direct, cached);
    } catch (error: unknown) {
      throw error instanceof CaptureMediaError ? error : readError(this.path, error);
    }
  }

  /** The device wants more alignment than we give: switch to the documented fallback, once. */
  async #fallBack(error: unknown): Promise<DirectReader> {
    if (this.#fallback === undefined) {
      await this.handle.close().catch(() => undefined);
      this.#fallback = await openBuffered(this.path, this.sizeBytes, this.isBlockDevice, `O_DIRECT read refused (${String(error)})`);
      this.#direct = false;
      this.#fallbackReason = this.#fallback.fallbackReason;
    }
    return this.#fallback;
  }

  async close(): Promise<void> {
    await this.#queue;
    if (this.#fallback) await this.#fallback.close();
    else await this.handle.close();
  }
}

function endedEarly(path: string, at: number): CaptureMediaError {
  return new CaptureMediaError('VerifyFailed', `${path} ends at byte ${at}, before the data the medium says is there: the medium is truncated.`, { target: path });
}

class BufferedReader implements DirectReader {
  readonly direct = false;

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly sizeBytes: number,
    readonly fallbackReason: string,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.sizeBytes);
    const out = new Uint8Array(Math.max(0, end - offset));
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await this.handle.read(out, done, out.length - done, offset + done).catch((error: unknown) => {
        throw readError(this.path, error);
      });
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === out.length ? out : out.subarray(0, done);
  }

  stream(offset: number, length: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    return pooledReads(this.handle, length, {
      startOffset: offset,
      signal,
      shortFile: (at) => endedEarly(this.path, offset + at),
      readError: (error) => readError(this.path, error),
    });
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
