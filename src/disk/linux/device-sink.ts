// Writing a whole block device (or a raw image file) on Linux: the identity-checked device sink.
//
// Re-check the identity immediately before the first destructive command (README "Safety"):
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

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { execa } from 'execa';
import { CaptureMediaError, errnoCode } from '../../errors.js';
import { FileSink, type ByteSink } from '../../io/sink.js';
import { majorMinorOf } from '../../io/dev-t.js';
import { identityDifference, identityOf, type DiskIdentity, type DiskInfo, type DiskProvider } from '../model.js';

/** Writes are coalesced into chunks of this size (etcher-sdk writes 1 MiB+; larger is no faster on USB 3). */
export const DEVICE_WRITE_CHUNK_BYTES = 4 * 1024 * 1024;

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
