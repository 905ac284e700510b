// The Linux provider and device I/O against REAL loop devices (root required): listing and
// verdicts, symlink and partition handling, a mounted partition, a disk that changes between
// resolve and open, and a write followed by an O_DIRECT read-back. One file, so the tests that
// re-use a loop number never race each other; after() checks that nothing is left attached or mounted.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureMediaError } from '../../../src/errors.js';
import { identityOf, judgeDisk, type SafetyContext } from '../../../src/disk/model.js';
import { LinuxDiskProvider } from '../../../src/disk/linux/provider.js';
import { listDisksWithVerdicts } from '../../../src/disk/disk-rows.js';
import { openDeviceForWrite, openImageForWrite } from '../../../src/disk/linux/device-sink.js';
import { openDirectReader } from '../../../src/io/direct-reader.js';
import { LoopLab } from '../../helpers/loop-lab.js';

const MiB = 1024 * 1024;
const provider = new LinuxDiskProvider();
const context = (requiredBytes: number): SafetyContext => ({ disksInUse: new Map(), requiredBytes, allowFixedDisk: false });
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Assert a CaptureMediaError with `id` whose message matches `message`. */
async function rejectsWith(promise: Promise<unknown>, id: string, message?: RegExp): Promise<CaptureMediaError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error: unknown) {
    caught = error;
  }
  assert.ok(caught instanceof CaptureMediaError, `expected CaptureMediaError ${id}, got ${String(caught)}`);
  assert.equal(caught.id, id, caught.message);
  if (message) assert.match(caught.message, message);
  return caught;
}

let lab: LoopLab;
before(async () => {
  assert.equal(process.getuid?.(), 0, 'these tests attach loop devices and mount file systems: run them as root');
  lab = await LoopLab.create();
});
after(async () => {
  const dir = lab.dir;
  await lab.cleanup();
  const { execa } = await import('execa');
  const { stdout } = await execa('losetup', ['-a']);
  assert.ok(!stdout.includes(dir), `loop devices left behind:\n${stdout}`);
  assert.ok(!(await readFile('/proc/self/mounts', 'utf8')).includes(dir), 'mounts left behind');
});

test('a 64 MiB loop device is listed and judged: usable for 32 MiB, DiskTooSmall for 128 MiB', async () => {
  const device = await lab.attach(await lab.image('list.img', 64 * MiB));
  try {
    const disk = (await provider.list()).find((d) => d.path === device);
    assert.ok(disk, `${device} listed`);
    assert.equal(disk.busType, 'Loop');
    assert.equal(disk.sizeBytes, 64 * MiB);
    assert.equal(disk.isSystem, false);
    assert.equal(typeof disk.diskSeq, 'number');
    assert.equal(judgeDisk(disk, context(32 * MiB)).usable, true);
    const small = judgeDisk(disk, context(128 * MiB));
    assert.equal(!small.usable && small.id, 'DiskTooSmall');
    assert.deepEqual(identityOf(await provider.resolve(device)), identityOf(disk));
    // The same disk, named by its kernel name and by a symlink (as /dev/disk/by-id/… would be).
    assert.equal((await provider.resolve(device.replace('/dev/', ''))).path, device);
    const link = join(lab.dir, 'by-id-usb-Stick');
    await symlink(device, link);
    assert.equal((await provider.resolve(link)).path, device);
    const rows = await listDisksWithVerdicts(provider, context(32 * MiB));
    const row = rows.find((r) => r.Path === device);
    assert.equal(row?.Verdict, 'Usable');
    assert.equal(rows.find((r) => r.Path === '/dev/vda')?.Verdict, 'DiskIsSystem');
  } finally {
    await lab.detach(device);
  }
});

test('a symlink to /dev/vda resolves to /dev/vda and is DiskIsSystem', async () => {
  const link = join(lab.dir, 'innocent-looking-usb');
  await symlink('/dev/vda', link);
  const disk = await provider.resolve(link);
  assert.equal(disk.path, '/dev/vda');
  assert.equal(disk.isSystem, true);
  const verdict = judgeDisk(disk, context(0));
  assert.equal(!verdict.usable && verdict.id, 'DiskIsSystem');
  assert.equal(await provider.diskOfPath('/etc/hostname'), '/dev/vda');
  assert.equal(await provider.diskOfPath(join(lab.dir, 'not', 'yet', 'created.iso')), '/dev/vda', 'nearest existing folder');
});

test('missing paths and regular files are DiskNotFound', async () => {
  await rejectsWith(provider.resolve('/dev/does-not-exist'), 'DiskNotFound', /no such device/);
  const file = await lab.image('plain-file.img', MiB);
  await rejectsWith(provider.resolve(file), 'DiskNotFound', /not a block device/);
  const dangling = join(lab.dir, 'dangling');
  await symlink('/dev/sdzz9', dangling);
  await rejectsWith(provider.resolve(dangling), 'DiskNotFound');
});

test('a mounted ext4 partition: the partition path is refused, the disk is DiskMounted, O_EXCL is refused', async () => {
  const { device, partition } = await lab.partitionedExt4('mounted.img', 64 * MiB);
  const mountpoint = await lab.mount(partition, 'mnt');
  try {
    await rejectsWith(provider.resolve(partition), 'InvalidParameter', new RegExp(`partition of ${device}; pass the whole disk ${device}`));
    const disk = await provider.resolve(device);
    assert.equal(disk.isSystem, false);
    assert.deepEqual(disk.partitions.map((p) => [p.path, p.mountpoints]), [[partition, [mountpoint]]]);
    const verdict = judgeDisk(disk, context(32 * MiB));
    assert.equal(!verdict.usable && verdict.id, 'DiskMounted');
    // Even if a caller skipped the verdict, the kernel's exclusive open refuses a mounted disk.
    await rejectsWith(openDeviceForWrite(disk, identityOf(disk), provider), 'DiskMounted', /in use/);
    // A file on the mounted partition lives on the loop disk; tmpfs has no disk.
    await writeFile(join(mountpoint, 'source.wim'), 'x');
    assert.equal(await provider.diskOfPath(join(mountpoint, 'source.wim')), device);
    assert.equal(await provider.diskOfPath('/dev/shm'), undefined);
  } finally {
    await lab.unmount(mountpoint);
    await lab.detach(device);
  }
});

test('the disk changes between resolve and open: DiskChanged names the field', async () => {
  const device = await lab.attach(await lab.image('first.img', 64 * MiB));
  const disk = await provider.resolve(device);
  const expected = identityOf(disk);
  // Another medium in the same slot: a different size…
  await lab.detach(device);
  await lab.attach(await lab.image('second.img', 96 * MiB), { device });
  await rejectsWith(openDeviceForWrite(disk, expected, provider), 'DiskChanged', /sizeBytes was 67108864, is now 100663296/);
  // …or the same size, which only the kernel's disk sequence number tells apart.
  await lab.detach(device);
  await lab.attach(await lab.image('third.img', 64 * MiB), { device });
  await rejectsWith(openDeviceForWrite(disk, expected, provider), 'DiskChanged', /diskSeq was \d+, is now \d+/);
  // The identity the user confirmed must match, not only the DiskInfo passed in.
  const now = await provider.resolve(device);
  await rejectsWith(openDeviceForWrite(now, { ...identityOf(now), serial: 'SOMETHING-ELSE' }, provider), 'DiskChanged', /serial was SOMETHING-ELSE/);
  await lab.detach(device);
  await rejectsWith(openDeviceForWrite(now, identityOf(now), provider), 'DiskChanged', /gone or no longer a whole disk/);
});

test('write through openDeviceForWrite, read back with O_DIRECT: identical bytes', async () => {
  const file = await lab.image('write.img', 64 * MiB);
  const device = await lab.attach(file);
  try {
    const disk = await provider.resolve(device);
    const sink = await openDeviceForWrite(disk, identityOf(disk), provider);
    // 20 MiB + 1234 bytes in uneven chunks; sector 0 zero in the pass and written last (etcher-sdk).
    const data = randomBytes(20 * MiB + 1234);
    data.set(Buffer.from('FIRST-SECTOR'), 0);
    await sink.write(new Uint8Array(512));
    for (let at = 512; at < data.length; ) {
      const n = Math.min(data.length - at, 1 + ((at * 7919) % (3 * MiB)));
      await sink.write(data.subarray(at, at + n));
      at += n;
    }
    await sink.writeAt(0, data.subarray(0, 512));
    assert.equal(sink.position, data.length);
    const finished = await sink.finish();
    // A loop device without partscan refuses BLKRRPART; that must be a warning, never a failure.
    assert.ok(finished.rereadBy !== undefined || finished.warnings.length === 1, JSON.stringify(finished));

    const reader = await openDirectReader(device);
    try {
      assert.equal(reader.direct, true, reader.fallbackReason);
      assert.equal(await openFlagsOf(device) & O_DIRECT_FLAG, O_DIRECT_FLAG, 'the kernel has the fd open with O_DIRECT');
      assert.equal(reader.sizeBytes, 64 * MiB);
      const back = await reader.read(0, data.length);
      assert.equal(sha256(back), sha256(data));
      // Unaligned offsets and lengths are served from aligned reads.
      assert.deepEqual(await reader.read(1000, 5000), new Uint8Array(data.subarray(1000, 6000)));
      assert.deepEqual(await reader.read(4096 * 3 + 17, 1), new Uint8Array(data.subarray(4096 * 3 + 17, 4096 * 3 + 18)));
      // Reads past the end stop at the end.
      assert.equal((await reader.read(64 * MiB - 100, 1000)).length, 100);
    } finally {
      await reader.close();
    }
    // The backing file holds the same bytes, read with O_DIRECT on ext4 too.
    const fileReader = await openDirectReader(file);
    try {
      assert.equal(fileReader.direct, true);
      assert.equal(sha256(await fileReader.read(0, data.length)), sha256(data));
    } finally {
      await fileReader.close();
    }
    // Past the device end is refused before anything is written.
    const again = await openDeviceForWrite(disk, identityOf(disk), provider);
    try {
      await again.skip(64 * MiB - 10);
      await rejectsWith(again.write(new Uint8Array(11)), 'WriteFailed', /pass its end/);
    } finally {
      await again.abandon();
    }
  } finally {
    await lab.detach(device);
  }
});

test('the read-back reads the medium, not the page cache (O_DIRECT, or the flushbufs fallback)', async () => {
  const file = await lab.image('cache.img', 4 * MiB);
  await writeFile(file, Buffer.alloc(4096, 0x41), { flag: 'r+' });
  const device = await lab.attach(file);
  try {
    // Fill the loop device's page cache with "A"…
    const cached = await open(device, 'r');
    const view = Buffer.alloc(4096);
    await cached.read(view, 0, 4096, 0);
    assert.equal(view[0], 0x41);
    // …then change the medium behind the cache's back (the backing file, as another writer would).
    await writeFile(file, Buffer.alloc(4096, 0x42), { flag: 'r+' });
    await cached.read(view, 0, 4096, 0);
    assert.equal(view[0], 0x41, 'an ordinary read still sees the stale cached page');
    await cached.close();
    const direct = await openDirectReader(device);
    try {
      assert.equal(direct.direct, true);
      assert.equal((await direct.read(0, 4096))[0], 0x42, 'O_DIRECT sees the medium');
    } finally {
      await direct.close();
    }
    const fallback = await openDirectReader(device, { direct: false });
    try {
      assert.equal(fallback.direct, false);
      assert.match(fallback.fallbackReason ?? '', /blockdev --flushbufs/);
      assert.equal((await fallback.read(0, 4096))[0], 0x42, 'the fallback dropped the stale page first');
    } finally {
      await fallback.close();
    }
  } finally {
    await lab.detach(device);
  }
});

test('image files: the same sink without identity checks; the read-back falls back where O_DIRECT is refused', async () => {
  const path = join(lab.dir, 'usb.img');
  const sink = await openImageForWrite(path);
  const data = randomBytes(3 * MiB + 7);
  await sink.write(new Uint8Array(512));
  await sink.write(data.subarray(512));
  await sink.writeAt(0, data.subarray(0, 512));
  await sink.skip(MiB);
  assert.deepEqual(await sink.finish(), { warnings: [], rereadBy: undefined });
  assert.equal((await stat(path)).size, data.length + MiB, 'a trailing skip still sizes the image');
  await rejectsWith(openImageForWrite(path), 'OutputExists');
  const reader = await openDirectReader(path);
  try {
    assert.equal(reader.direct, true);
    assert.equal(sha256(await reader.read(0, data.length)), sha256(data));
  } finally {
    await reader.close();
  }
  // tmpfs: O_DIRECT is refused before Linux 6.6 (then: buffered reads, direct false, a reason);
  // either way the bytes are the same.
  const shm = `/dev/shm/capture-media-${process.pid}.img`;
  await writeFile(shm, data);
  try {
    const tmpfsReader = await openDirectReader(shm);
    try {
      if (!tmpfsReader.direct) assert.match(tmpfsReader.fallbackReason ?? '', /O_DIRECT/);
      assert.equal(sha256(await tmpfsReader.read(0, data.length)), sha256(data));
    } finally {
      await tmpfsReader.close();
    }
  } finally {
    const { rm } = await import('node:fs/promises');
    await rm(shm, { force: true });
  }
  // sysfs refuses O_DIRECT on every kernel: the documented fallback is taken and still reads the file.
  const attribute = '/sys/kernel/mm/transparent_hugepage/enabled';
  const sysfsReader = await openDirectReader(existsSync(attribute) ? attribute : '/sys/block/vda/size');
  try {
    assert.equal(sysfsReader.direct, false);
    assert.match(sysfsReader.fallbackReason ?? '', /O_DIRECT refused.*page cache/);
    assert.deepEqual(Buffer.from(await sysfsReader.read(0, 4096)), await readFile(sysfsReader.path));
  } finally {
    await sysfsReader.close();
  }
});

/** O_DIRECT in the flags the kernel reports for our open fd on `path` (proc(5) fdinfo, octal). */
const O_DIRECT_FLAG = 0o40000;
async function openFlagsOf(path: string): Promise<number> {
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target !== path) continue;
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8');
    const flags = /^flags:\s+([0-7]+)/m.exec(info);
    if (flags) return parseInt(flags[1]!, 8);
  }
  assert.fail(`no open fd on ${path}`);
}
