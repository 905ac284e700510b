// Writing a whole block device (or a raw image file) and reading it back past the page cache.
//
// Write (DESIGN.md §6 "re-check the identity immediately before the first destructive command"):
// openDeviceForWrite re-resolves the disk, compares identityOf() with the identity the user
// confirmed, opens the device O_WRONLY|O_EXCL, and checks once more that the node it opened is the
// disk it checked (the device node or the medium can change between check and open). On Linux,
// O_EXCL on a block device claims it exclusively (open(2), "O_EXCL … block devices"): EBUSY when a
// partition is mounted, it is active swap, or LVM/md/another program holds it.
// The sink is io/sink.ts's FileSink (coalesced ≥ 1 MiB writes, skip, writeAt for writing sector 0
// last as etcher-sdk does), bounded by the disk size, plus finish(): fsync, close, then ask the
// kernel to re-read the partition table (blockdev --rereadpt = BLKRRPART; else partx -u, which
// updates partitions with BLKPG; else partprobe). A failed re-read is a warning, not a failure: the
// bytes are on the disk and re-plugging the stick shows them.
//
// Read-back (verify): openDirectReader opens with O_DIRECT so verification reads the medium, not
// the page cache we just filled. O_DIRECT needs the buffer address, file offset and length
// aligned to the logical block size; Node Buffers carry no alignment guarantee (malloc gives 16),
// so the reader reads into WebAssembly.Memory, whose backing store V8 reserves page-aligned, in
// 4096-byte multiples at 4096-aligned offsets. Where O_DIRECT is refused with EINVAL (tmpfs and
// some FUSE/overlay file systems, or a device with a larger alignment) the reader falls back to
// ordinary reads; for a block device it first runs `blockdev --flushbufs` (BLKFLSBUF: write back
// and drop the device's cached pages), since Node has no posix_fadvise(DONTNEED). `direct` says
// which path was taken.

import { constants } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { execa } from 'execa';
import { CaptureMediaError, errnoCode } from '../../errors.js';
import { FileSink, type ByteSink } from '../../io/sink.js';
import { majorMinorOf } from './dev-t.js';
import { identityDifference, identityOf, type DiskIdentity, type DiskInfo, type DiskProvider } from '../model.js';

/** Writes are coalesced into chunks of this size (etcher-sdk writes 1 MiB+; larger is no faster on USB 3). */
export const DEVICE_WRITE_CHUNK_BYTES = 4 * 1024 * 1024;
/** O_DIRECT alignment: 4096 covers 512e and 4Kn devices and every page-cache-backed file system. */
export const DIRECT_ALIGNMENT = 4096;
const DIRECT_READ_CHUNK_BYTES = 1024 * 1024;

export interface FinishResult {
  /** Things that did not stop the job but the admin should hear (the partition table re-read failed). */
  readonly warnings: string[];
  /** The tool that made the kernel re-read the partition table; undefined for image files or when all failed. */
  readonly rereadBy: 'blockdev' | 'partx' | 'partprobe' | undefined;
}

export interface DeviceSink extends ByteSink {
  readonly path: string;
  /** The size of the device or, for an image, undefined (it grows). */
  readonly capacityBytes: number | undefined;
  skip(count: number): Promise<void>;
  writeAt(offset: number, bytes: Uint8Array): Promise<void>;
  /** Flush, fsync, close; for devices, re-read the partition table. */
  finish(): Promise<FinishResult>;
  /** Close without flushing (after a failure or cancel). */
  abandon(): Promise<void>;
}

export interface OpenDeviceOptions {
  readonly bufferBytes?: number;
  /** The tools run by finish(); tests replace them. */
  readonly rereadCommands?: readonly (readonly [tool: 'blockdev' | 'partx' | 'partprobe', args: readonly string[]])[];
}

/**
 * Open a whole disk for writing after re-checking that it is still the disk the user confirmed.
 * DiskChanged names the field that differs; DiskMounted when the kernel refuses exclusive access.
 */
export async function openDeviceForWrite(
  disk: DiskInfo,
  expected: DiskIdentity,
  provider: DiskProvider,
  options: OpenDeviceOptions = {},
): Promise<DeviceSink> {
  const before = await recheck(disk, expected, provider, 'before opening');
  let handle: FileHandle;
  try {
    handle = await open(before.path, constants.O_WRONLY | constants.O_EXCL);
  } catch (error: unknown) {
    throw openError(before.path, error);
  }
  try {
    // What we opened must be what we checked: the same device number, and the disk unchanged.
    const opened = await handle.stat();
    if (!opened.isBlockDevice()) throw new CaptureMediaError('DiskChanged', `${before.path} is no longer a block device.`, { target: before.path });
    const after = await recheck(disk, expected, provider, 'after opening');
    const openedMajorMinor = majorMinorOf(opened.rdev);
    if (after.majorMinor !== undefined && openedMajorMinor !== after.majorMinor) {
      throw new CaptureMediaError('DiskChanged', `${before.path} changed while it was opened: majorMinor was ${after.majorMinor}, the opened node is ${openedMajorMinor}.`, {
        target: before.path,
      });
    }
  } catch (error: unknown) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  const commands = options.rereadCommands ?? [
    ['blockdev', ['--rereadpt', before.path]],
    ['partx', ['-u', before.path]],
    ['partprobe', [before.path]],
  ];
  return new BoundedSink(new FileSink(handle, before.path, chunkBytes(options.bufferBytes)), before.path, before.sizeBytes, async () =>
    rereadPartitionTable(before.path, commands),
  );
}

/**
 * A raw disk image file (UsbImage): the same sink, without identity checks or exclusive access.
 * `flags` 'wx' refuses an existing file (the caller writes to a temporary name and renames).
 */
export async function openImageForWrite(path: string, options: { flags?: string; bufferBytes?: number } = {}): Promise<DeviceSink> {
  let handle: FileHandle;
  try {
    handle = await open(path, options.flags ?? 'wx', 0o644);
  } catch (error: unknown) {
    const code = errnoCode(error);
    if (code === 'EACCES' || code === 'EPERM') throw new CaptureMediaError('PermissionDenied', `Cannot create ${path}: access denied.`, { target: path, cause: error });
    if (code === 'EEXIST') throw new CaptureMediaError('OutputExists', `${path} already exists.`, { target: path, cause: error });
    throw new CaptureMediaError('WriteFailed', `Cannot create ${path}: ${String(error)}`, { target: path, cause: error });
  }
  return new BoundedSink(new FileSink(handle, path, chunkBytes(options.bufferBytes)), path, undefined, async () => ({
    warnings: [],
    rereadBy: undefined,
  }));
}

/** Never below 1 MiB: small writes to a USB stick cost a flash erase-block cycle each. */
function chunkBytes(requested: number | undefined): number {
  return Math.max(1024 * 1024, requested ?? DEVICE_WRITE_CHUNK_BYTES);
}

async function recheck(disk: DiskInfo, expected: DiskIdentity, provider: DiskProvider, when: string): Promise<DiskInfo> {
  let fresh: DiskInfo;
  try {
    fresh = await provider.resolve(expected.path);
  } catch (error: unknown) {
    if (error instanceof CaptureMediaError && (error.id === 'DiskNotFound' || error.id === 'InvalidParameter')) {
      throw new CaptureMediaError('DiskChanged', `${expected.path} is gone or no longer a whole disk (${error.message})`, { target: expected.path, cause: error });
    }
    throw error;
  }
  const difference = identityDifference(expected, identityOf(fresh));
  if (difference !== undefined) {
    throw new CaptureMediaError('DiskChanged', `${expected.path} changed since it was checked (${when}): ${difference}. Nothing was written.`, {
      target: expected.path,
    });
  }
  // Linux also knows the kernel's disk sequence number, bumped on every new medium: it catches a
  // same-size stick swapped in, or a loop device re-attached to another file of the same size.
  const seqBefore = diskSeqOf(disk);
  const seqNow = diskSeqOf(fresh);
  if (seqBefore !== undefined && seqNow !== undefined && seqBefore !== seqNow) {
    throw new CaptureMediaError('DiskChanged', `${expected.path} changed since it was checked (${when}): diskSeq was ${seqBefore}, is now ${seqNow} (a different medium). Nothing was written.`, {
      target: expected.path,
    });
  }
  // Defence in depth: the provider's facts may have changed (a partition mounted as / meanwhile).
  if (fresh.isSystem) throw new CaptureMediaError('DiskIsSystem', `${fresh.path} now holds the running operating system.`, { target: fresh.path });
  return fresh;
}

function diskSeqOf(disk: DiskInfo): number | undefined {
  const value = (disk as { diskSeq?: unknown }).diskSeq;
  return typeof value === 'number' ? value : undefined;
}

function openError(path: string, error: unknown): CaptureMediaError {
  switch (errnoCode(error)) {
    case 'EBUSY':
      return new CaptureMediaError(
        'DiskMounted',
        `${path} is in use (a partition is mounted or is swap, or LVM, RAID or another program holds it); the kernel refused exclusive access.`,
        { target: path, cause: error },
      );
    case 'EACCES':
    case 'EPERM':
      return new CaptureMediaError('PermissionDenied', `Opening ${path} for writing was denied; run as root.`, { target: path, cause: error });
    case 'ENOENT':
    case 'ENXIO':
    case 'ENODEV':
      return new CaptureMediaError('DiskChanged', `${path} disappeared before it could be opened.`, { target: path, cause: error });
    case 'EROFS':
      return new CaptureMediaError('DiskOffline', `${path} is read-only.`, { target: path, cause: error });
    default:
      return new CaptureMediaError('WriteFailed', `Opening ${path} for writing failed: ${String(error)}`, { target: path, cause: error });
  }
}

/** FileSink, refusing to go past the end of a device (a short write there would be silent truncation). */
class BoundedSink implements DeviceSink {
  constructor(
    private readonly inner: FileSink,
    readonly path: string,
    readonly capacityBytes: number | undefined,
    private readonly afterClose: () => Promise<FinishResult>,
  ) {}

  get position(): number {
    return this.inner.position;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#check(this.inner.position + chunk.length);
    await this.inner.write(chunk);
  }

  async skip(count: number): Promise<void> {
    this.#check(this.inner.position + count);
    await this.inner.skip(count);
  }

  async writeAt(offset: number, bytes: Uint8Array): Promise<void> {
    await this.inner.writeAt(offset, bytes);
  }

  async finish(): Promise<FinishResult> {
    await this.inner.close(true);
    return this.afterClose();
  }

  async abandon(): Promise<void> {
    await this.inner.abandon();
  }

  #check(end: number): void {
    if (this.capacityBytes !== undefined && end > this.capacityBytes) {
      throw new CaptureMediaError('WriteFailed', `Writing ${this.path} would pass its end: ${end} > ${this.capacityBytes} bytes.`, { target: this.path });
    }
  }
}

async function rereadPartitionTable(
  path: string,
  commands: readonly (readonly [tool: 'blockdev' | 'partx' | 'partprobe', args: readonly string[]])[],
): Promise<FinishResult> {
  const failures: string[] = [];
  for (const [tool, args] of commands) {
    const result = await execa(tool, [...args], { reject: false });
    if (!result.failed && result.exitCode === 0) return { warnings: [], rereadBy: tool };
    failures.push(`${tool} ${args.join(' ')}: ${(String(result.stderr) || (result.message ?? "")).trim()}`);
  }
  return {
    warnings: [`The kernel did not re-read the partition table of ${path}; unplug and re-insert the drive to see the new volume. (${failures.join('; ')})`],
    rereadBy: undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Read-back

export interface DirectReader {
  readonly path: string;
  /** True when reads bypass the page cache (O_DIRECT); false on the documented fallback. */
  readonly direct: boolean;
  /** Why direct is false (for the log), undefined when it is true. */
  readonly fallbackReason: string | undefined;
  readonly sizeBytes: number;
  /** Bytes [offset, offset+length); shorter only at the end of the file or device. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface DirectReaderOptions {
  /**
   * false: skip O_DIRECT and take the fallback at once (flush the device's cache, then ordinary
   * reads). For a file system or driver known to misbehave with O_DIRECT, and for the tests.
   */
  readonly direct?: boolean;
  /**
   * An aligned buffer (allocAligned) to read through instead of allocating one: a caller that
   * reads many files one after the other (a folder's verify) shares one.
   */
  readonly buffer?: Uint8Array;
}

/**
 * The open() flag for reads that bypass the OS cache. Node exports O_DIRECT only where the OS
 * defines it; on Windows libuv maps its own UV_FS_O_DIRECT, 0x02000000, to
 * FILE_FLAG_NO_BUFFERING (deps/uv/include/uv/win.h), with the same alignment rules. macOS has
 * neither: 0 there, so reads are buffered and say so.
 */
export function directOpenFlag(platform: NodeJS.Platform = process.platform): number {
  if (platform === 'win32') return 0x02000000;
  return constants.O_DIRECT ?? 0;
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
    return new AlignedReader(path, handle, sizeBytes, stats.isBlockDevice(), options.buffer);
  } catch (error: unknown) {
    if (errnoCode(error) !== 'EINVAL') throw readError(path, error);
    return openBuffered(path, sizeBytes, stats.isBlockDevice(), `O_DIRECT refused by the file system (${String(error)})`);
  }
}

async function openBuffered(path: string, sizeBytes: number, isBlockDevice: boolean, reason: string): Promise<DirectReader> {
  let why = reason;
  if (isBlockDevice) {
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

/** Page-aligned memory: WebAssembly pages are 64 KiB and V8 maps wasm memory at page boundaries. */
export function allocAligned(bytes: number = DIRECT_READ_CHUNK_BYTES): Uint8Array {
  const pages = Math.ceil(bytes / 65536);
  return new Uint8Array(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, bytes);
}

class AlignedReader implements DirectReader {
  #direct = true;
  #fallbackReason: string | undefined;
  #fallback: DirectReader | undefined;
  readonly #buffer: Uint8Array;
  /** Reads share one aligned buffer, so they run one at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly sizeBytes: number,
    private readonly isBlockDevice: boolean,
    buffer: Uint8Array | undefined,
  ) {
    this.#buffer = buffer ?? allocAligned();
  }

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
    // Read whole aligned blocks covering [offset, end) and copy out the wanted part.
    let blockStart = Math.floor(offset / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT;
    while (blockStart < end) {
      const want = Math.min(this.#buffer.length, Math.ceil((end - blockStart) / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT);
      let got: number;
      try {
        ({ bytesRead: got } = await this.handle.read(this.#buffer, 0, want, blockStart));
      } catch (error: unknown) {
        if (errnoCode(error) !== 'EINVAL') throw readError(this.path, error);
        // The device wants more alignment than we give: switch to the documented fallback.
        await this.handle.close().catch(() => undefined);
        this.#fallback = await openBuffered(this.path, this.sizeBytes, this.isBlockDevice, `O_DIRECT read refused (${String(error)})`);
        this.#direct = false;
        this.#fallbackReason = this.#fallback.fallbackReason;
        return this.#fallback.read(offset, length);
      }
      if (got === 0) break;
      const from = Math.max(offset, blockStart);
      const to = Math.min(end, blockStart + got);
      out.set(this.#buffer.subarray(from - blockStart, to - blockStart), from - offset);
      blockStart += got;
      if (got < want) break;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#queue;
    if (this.#fallback) await this.#fallback.close();
    else await this.handle.close();
  }
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

  async close(): Promise<void> {
    await this.handle.close();
  }
}
