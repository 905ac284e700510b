// storageKeys over sysfs trees this machine cannot make for real: its kernel has no device-mapper
// (dmsetup: "/dev/mapper/control: No such device") and no multipath. The trees below are a FAKE
// sysfs, built in a folder with the same layout the kernel uses (Documentation/ABI/testing/
// sysfs-block: /sys/dev/block/M:m -> ../../devices/.../<name>, slaves/, partition, device/wwid,
// loop/backing_file). Real loop devices are covered in test/reliability/same-storage.test.ts.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharesStorage, storageKeys } from '../../../src/disk/linux/storage.js';
import { makeTempDir } from '../../helpers/temp.js';

let sys: string;
let cleanup: () => void;

/** One block device in the fake sysfs: its folder, its dev file and its /sys/dev/block link. */
function device(path: string, majorMinor: string, extra: Record<string, string> = {}): string {
  const dir = join(sys, 'devices', path);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'dev'), `${majorMinor}\n`);
  for (const [name, value] of Object.entries(extra)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), `${value}\n`);
  }
  symlinkSync(dir, join(sys, 'dev', 'block', majorMinor));
  return dir;
}

function slave(holder: string, name: string, target: string): void {
  mkdirSync(join(holder, 'slaves'), { recursive: true });
  symlinkSync(target, join(holder, 'slaves', name));
}

before(() => {
  ({ path: sys, cleanup } = makeTempDir('fake-sysfs'));
  mkdirSync(join(sys, 'dev', 'block'), { recursive: true });
  // Two SCSI paths to one LUN (multipath members), the multipath dm device over them, and a partition of sdb.
  const sdb = device('pci/host0/sdb', '8:16', { 'device/wwid': 'naa.600a0b800026b2820000a3bc4f6e1234' });
  device('pci/host0/sdb/sdb1', '8:17', { partition: '1' });
  const sdc = device('pci/host1/sdc', '8:32', { 'device/wwid': 'naa.600a0b800026b2820000a3bc4f6e1234' });
  const mpath = device('virtual/block/dm-0', '253:0');
  slave(mpath, 'sdb', sdb);
  slave(mpath, 'sdc', sdc);
  // An md RAID1 over sdd and sde, and an unrelated disk sdf.
  const sdd = device('pci/host2/sdd', '8:48');
  const sde = device('pci/host2/sde', '8:64');
  const md = device('virtual/block/md0', '9:0');
  slave(md, 'sdd', sdd);
  slave(md, 'sde', sde);
  device('pci/host3/sdf', '8:80', { 'device/wwid': 'naa.5000c500a1b2c3d4' });
  // A slave cycle, which real sysfs never has: must still end.
  const dmA = device('virtual/block/dm-1', '253:1');
  const dmB = device('virtual/block/dm-2', '253:2');
  slave(dmA, 'dm-2', dmB);
  slave(dmB, 'dm-1', dmA);
});
after(() => cleanup());

describe('storageKeys on a fake sysfs (dm, md, multipath)', () => {
  test('two multipath members are the same storage (one wwid)', async () => {
    assert.ok(sharesStorage(await storageKeys('8:16', sys), await storageKeys('8:32', sys)));
  });
  test('a file system on the multipath dm device shares storage with either member path', async () => {
    const dm = await storageKeys('253:0', sys);
    assert.ok(sharesStorage(dm, await storageKeys('8:16', sys)));
    assert.ok(sharesStorage(dm, await storageKeys('8:32', sys)));
  });
  test('a mounted partition (sdb1) shares storage with its disk and with the other path to it', async () => {
    const part = await storageKeys('8:17', sys);
    assert.ok(sharesStorage(part, await storageKeys('8:16', sys)));
    assert.ok(sharesStorage(part, await storageKeys('8:32', sys)));
  });
  test('an md array shares storage with each member; the members not with each other', async () => {
    const md = await storageKeys('9:0', sys);
    assert.ok(sharesStorage(md, await storageKeys('8:48', sys)));
    assert.ok(sharesStorage(md, await storageKeys('8:64', sys)));
    assert.ok(!sharesStorage(await storageKeys('8:48', sys), await storageKeys('8:64', sys)));
  });
  test('an unrelated disk shares nothing', async () => {
    const sdf = await storageKeys('8:80', sys);
    for (const other of ['8:16', '8:32', '253:0', '9:0']) assert.ok(!sharesStorage(sdf, await storageKeys(other, sys)), other);
  });
  test('a slave cycle ends', async () => {
    assert.deepEqual([...(await storageKeys('253:1', sys))].sort(), ['dev:253:1', 'dev:253:2']);
  });
  test('a device sysfs does not know is only itself', async () => {
    assert.deepEqual([...(await storageKeys('7:99', sys))], ['dev:7:99']);
  });
});
