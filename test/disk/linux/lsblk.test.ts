// Pure tests of the lsblk parse and the verdict rows against recorded lsblk output
// (test/fixtures/disk/linux/README.md says how each file was made).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeDisk, identityOf, type DiskProvider, type SafetyContext } from '../../../src/disk/model.js';
import { busTypeOf, parseLsblk, type LinuxDiskInfo } from '../../../src/disk/linux/lsblk.js';
import { majorMinorOf, parseMountinfo, parseProcSwaps } from '../../../src/disk/linux/provider.js';
import { listDisksWithVerdicts } from '../../../src/disk/disk-rows.js';

const fixtures = new URL('../../fixtures/disk/linux/', import.meta.url).pathname;
const load = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const byPath = (disks: readonly LinuxDiskInfo[], path: string): LinuxDiskInfo => {
  const disk = disks.find((d) => d.path === path);
  assert.ok(disk, `${path} in ${disks.map((d) => d.path).join(', ')}`);
  return disk;
};
const context = (requiredBytes: number): SafetyContext => ({ disksInUse: new Map(), requiredBytes, allowFixedDisk: false });

test('this machine: /dev/vda (virtio, / on the whole disk) is a system disk', () => {
  const disks = parseLsblk(load('host.json'));
  const vda = byPath(disks, '/dev/vda');
  assert.equal(vda.busType, 'Virtio');
  assert.equal(vda.sizeBytes, 274877906944);
  assert.equal(vda.majorMinor, '254:0');
  assert.equal(vda.removable, false);
  assert.equal(vda.isSystem, true);
  assert.match(vda.systemReason ?? '', /mounted at \//);
  // The whole-disk file system shows as an entry so judgeDisk sees its mountpoint.
  assert.deepEqual(vda.partitions.map((p) => [p.path, p.mountpoints]), [['/dev/vda', ['/']]]);
  const verdict = judgeDisk(vda, context(0));
  assert.equal(verdict.usable, false);
  assert.equal(!verdict.usable && verdict.id, 'DiskIsSystem');
  const zram = byPath(disks, '/dev/zram0');
  assert.equal(zram.busType, 'Virtual');
  assert.equal(zram.isSystem, false);
});

test('unattached loop devices (size 0) are skipped', () => {
  const disks = parseLsblk(load('host-all.json'));
  assert.deepEqual(disks.map((d) => d.path).sort(), ['/dev/vda', '/dev/zram0']);
  assert.deepEqual(parseLsblk(load('derived-util-linux-2.33.json')).map((d) => d.path), ['/dev/sda', '/dev/sdb']);
});

test('a 64 MiB loop device is listed as a Loop disk, usable for 32 MiB, DiskTooSmall for 128 MiB', () => {
  const loop = byPath(parseLsblk(load('loop-64m.json')), '/dev/loop0');
  assert.equal(loop.busType, 'Loop');
  assert.equal(loop.sizeBytes, 64 * 1024 * 1024);
  assert.equal(loop.majorMinor, '7:0');
  assert.equal(loop.isSystem, false);
  assert.deepEqual(loop.partitions, []);
  assert.equal(judgeDisk(loop, context(32 * 1024 * 1024)).usable, true);
  const small = judgeDisk(loop, context(128 * 1024 * 1024));
  assert.equal(!small.usable && small.id, 'DiskTooSmall');
});

test('active swap ([SWAP] in lsblk, or its major:minor from /proc/swaps) makes a disk a system disk', () => {
  const json = load('loop-mounted-ext4-swap.json');
  const loop = byPath(parseLsblk(json), '/dev/loop1');
  assert.equal(loop.isSystem, true);
  assert.match(loop.systemReason ?? '', /loop1p2.*swap/);
  assert.deepEqual(
    loop.partitions.map((p) => [p.path, p.sizeBytes, p.mountpoints]),
    [
      ['/dev/loop1p1', 41943040, ['/tmp/capture-media-fixture/m']],
      ['/dev/loop1p2', 24117248, ['[SWAP]']],
    ],
  );
  // Without the [SWAP] marker (other lsblk versions, swap file), the /proc/swaps fact still decides.
  const withoutMarker = json.replaceAll('"[SWAP]"', 'null');
  assert.equal(byPath(parseLsblk(withoutMarker), '/dev/loop1').isSystem, false);
  const fromFacts = byPath(parseLsblk(withoutMarker, { swapMajorMinors: new Set(['259:1']) }), '/dev/loop1');
  assert.equal(fromFacts.isSystem, true);
  assert.match(fromFacts.systemReason ?? '', /\/proc\/swaps/);
  // Mounted elsewhere (not a system mountpoint) and no swap: DiskMounted.
  const mounted = judgeDisk(byPath(parseLsblk(withoutMarker), '/dev/loop1'), context(0));
  assert.equal(!mounted.usable && mounted.id, 'DiskMounted');
  assert.deepEqual(parseProcSwaps(load('loop-mounted-ext4-swap.proc-swaps.txt')), [{ filename: '/dev/loop1p2', type: 'partition' }]);
});

test('system mountpoints nested in LUKS and LVM, RAID members, USB sticks and NVMe', () => {
  const disks = parseLsblk(load('derived-workstation.json'));
  assert.deepEqual(
    disks.map((d) => d.path),
    ['/dev/sda', '/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde', '/dev/nvme0n1'],
    'the DVD drive (type rom) is not a disk',
  );
  const sda = byPath(disks, '/dev/sda');
  assert.equal(sda.isSystem, true);
  assert.equal(sda.busType, 'SATA');
  assert.equal(sda.uniqueId, '0x5002538e40a1b2c3');
  // The partition carrying LUKS → LVM reports the LV's mountpoint.
  assert.deepEqual(sda.partitions.map((p) => p.mountpoints), [['/boot/efi'], ['/']]);

  const stick = byPath(disks, '/dev/sdb');
  assert.equal(stick.busType, 'USB');
  assert.equal(stick.removable, true);
  assert.equal(stick.model, 'Ultra Fit', 'padding trimmed');
  assert.equal(stick.isSystem, false);
  const stickVerdict = judgeDisk(stick, context(1e9));
  assert.equal(!stickVerdict.usable && stickVerdict.id, 'DiskMounted');
  assert.equal(judgeDisk(stick, { ...context(1e9), noFormat: true }).usable, true);

  // /srv is not a system mountpoint, but the RAID member disks carry a mounted array.
  for (const member of ['/dev/sdc', '/dev/sdd']) {
    const disk = byPath(disks, member);
    assert.equal(disk.isSystem, false);
    assert.deepEqual(disk.partitions.map((p) => [p.path, p.mountpoints]), [[member, ['/srv']]]);
  }
  assert.equal(judgeDisk(byPath(disks, '/dev/sde'), context(8e9)).usable, true);
  const nvme = byPath(disks, '/dev/nvme0n1');
  assert.equal(nvme.busType, 'NVMe');
  const fixed = judgeDisk(nvme, context(8e9));
  assert.equal(!fixed.usable && fixed.id, 'DiskNotRemovable');
  assert.equal(judgeDisk(nvme, { ...context(8e9), allowFixedDisk: true }).usable, true);

  // A device found to hold / by stat(2) counts even when lsblk's mount view does not show it.
  const bySystemDevice = parseLsblk(load('derived-workstation.json'), { systemMajorMinors: new Set(['259:0']) });
  assert.equal(byPath(bySystemDevice, '/dev/nvme0n1').isSystem, true);
});

test('util-linux < 2.37 output: the mountpoint string and string-typed numbers', () => {
  const disks = parseLsblk(load('derived-util-linux-2.33.json'));
  const sda = byPath(disks, '/dev/sda');
  assert.equal(sda.sizeBytes, 250059350016);
  assert.equal(sda.isSystem, true);
  assert.equal(sda.removable, false);
  const sdb = byPath(disks, '/dev/sdb');
  assert.equal(sdb.removable, true);
  assert.equal(sdb.busType, 'USB');
  assert.deepEqual(sdb.partitions.map((p) => [p.path, p.sizeBytes, p.mountpoints, p.fileSystem, p.label]), [
    ['/dev/sdb1', 8003256320, ['/media/usb'], 'vfat', 'USB'],
  ]);
});

test('identityOf on a Linux disk carries size, serial, model, WWN and major:minor', () => {
  const sdb = byPath(parseLsblk(load('derived-workstation.json'), { diskSeq: new Map([['sdb', 42]]) }), '/dev/sdb');
  assert.deepEqual(identityOf(sdb), {
    path: '/dev/sdb',
    sizeBytes: 32017047552,
    serial: '4C530001230815117093',
    model: 'Ultra Fit',
    uniqueId: undefined,
    majorMinor: '8:16',
    number: undefined,
  });
  assert.equal(sdb.diskSeq, 42);
});

test('bus types from TRAN, and from the kernel name when TRAN is empty', () => {
  assert.equal(busTypeOf('usb', 'sdb'), 'USB');
  assert.equal(busTypeOf('mmc', 'mmcblk0'), 'SD');
  assert.equal(busTypeOf(undefined, 'mmcblk0'), 'SD');
  assert.equal(busTypeOf(undefined, 'vdb'), 'Virtio');
  assert.equal(busTypeOf(undefined, 'nvme1n1'), 'NVMe');
  assert.equal(busTypeOf(undefined, 'xvda'), 'Xen');
  assert.equal(busTypeOf(undefined, 'weird0'), 'Unknown');
  assert.equal(busTypeOf('fcoe', 'sdz'), 'FCOE');
});

test('dev_t decoding, /proc/self/mountinfo escapes', () => {
  assert.equal(majorMinorOf(0xfe00), '254:0');
  assert.equal(majorMinorOf(259 * 256 + 1), '259:1');
  // glibc makedev(259, 300): minor's high bits go to bits 20+.
  assert.equal(majorMinorOf((259n << 8n) | (300n & 0xffn) | ((300n & ~0xffn) << 12n)), '259:300');
  const entries = parseMountinfo('36 35 98:0 /mnt1 /mnt/my\\040disk rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n');
  assert.deepEqual(entries, [{ majorMinor: '98:0', mountpoint: '/mnt/my disk', fsType: 'ext3', source: '/dev/root' }]);
});

test('listDisksWithVerdicts: one row per disk with the verdict id and the reason', async () => {
  const provider: DiskProvider = {
    list: async () => parseLsblk(load('derived-workstation.json')),
    resolve: async () => assert.fail('not used'),
    diskOfPath: async () => undefined,
  };
  const rows = await listDisksWithVerdicts(provider, {
    disksInUse: new Map([['/dev/sde', 'the temporary folder /media/scratch']]),
    requiredBytes: 1e9,
    allowFixedDisk: false,
  });
  const row = (path: string) => rows.find((r) => r.Path === path)!;
  assert.equal(row('/dev/sda').Verdict, 'DiskIsSystem');
  assert.match(row('/dev/sda').Reason, /mounted at \/boot\/efi/);
  assert.deepEqual(row('/dev/sdb'), {
    Path: '/dev/sdb',
    Number: null,
    Model: 'Ultra Fit',
    Serial: '4C530001230815117093',
    Bus: 'USB',
    SizeBytes: 32017047552,
    Removable: true,
    Mounted: ['/media/admin/STICK'],
    Usable: false,
    Verdict: 'DiskMounted',
    Reason: row('/dev/sdb').Reason,
  });
  assert.equal(row('/dev/sde').Verdict, 'DiskInUseBySource');
  assert.equal(row('/dev/nvme0n1').Verdict, 'DiskNotRemovable');
  assert.equal(row('/dev/nvme0n1').Usable, false);
  assert.equal(JSON.parse(JSON.stringify(rows)).length, 6, 'rows are plain JSON');
});
