// Issue 15 item 1: a USB target that is the same storage as something in use, under another
// device name, is refused (DiskInUseBySource, exit 3) and not one byte of it changes. Real loop
// devices (root): one image file attached twice, once with the job's boot image on the mounted file
// system, once with only someone else's files on it. (dm, md and multipath stacks are read from
// sysfs the same way; this kernel has no device-mapper, so test/disk/linux/storage.test.ts covers
// them with a sysfs tree made in a folder.) Before the fix the second loop device passed the in-use check (device numbers differ) and the
// mounted file system holding the boot image was overwritten.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { LoopLab } from '../helpers/loop-lab.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { MiB } from './harness.js';

let lab: LoopLab;
let dir: string;
let cleanup: () => void;
let wim: string;

const fileHash = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

before(async () => {
  assert.equal(process.getuid?.(), 0, 'these cases attach loop devices and mount file systems: the CI container runs as root');
  lab = await LoopLab.create();
  ({ path: dir, cleanup } = makeTempDir('same-storage'));
  wim = makeWinPeWim(join(dir, 'wim'));
});
after(async () => {
  await lab.cleanup();
  cleanup();
});

/** Refused, and the mounted file system's files are intact and it checks clean once unmounted (reading the boot image updates atimes, so the image file's bytes are not compared). */
async function expectInUse(device: string, bootImage: string, mnt: string): Promise<void> {
  const files = ['boot.wim', 'keep.txt'].map((n) => join(mnt, n));
  const before = files.map((f) => (existsSync(f) ? fileHash(f) : ''));
  const r = await runCli(['create', '--json', '--media-type', 'usb', '--path', device, '--boot-image', bootImage, '--format-media', '--yes']);
  const error = (JSON.parse(r.stdout || '{}') as { error?: { id: string; message: string } }).error;
  assert.equal(error?.id, 'DiskInUseBySource', `exit ${r.code}: ${r.stdout} ${r.stderr}`);
  assert.equal(r.code, 3);
  assert.match(error.message, /same storage/);
  assert.deepEqual(files.map((f) => (existsSync(f) ? fileHash(f) : '')), before, 'a file on the mounted file system changed');
}

/** e2fsck -fn on the unmounted image: exit 0 means the file system is consistent. */
const fsckClean = (image: string) => execFileSync('e2fsck', ['-fn', image], { stdio: 'pipe' });

describe('the same storage under another device name (item 1)', () => {
  test('a second loop device on the image file whose mounted ext4 holds the boot image', async () => {
    const image = await lab.image('shared.img', 300 * MiB);
    execFileSync('mkfs.ext4', ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', image]);
    const first = await lab.attach(image);
    const mnt = await lab.mount(first, 'shared-mnt');
    try {
      copyFileSync(wim, join(mnt, 'boot.wim'));
      writeFileSync(join(mnt, 'keep.txt'), 'someone else\'s data\n');
      const second = await lab.attach(image);
      await expectInUse(second, join(mnt, 'boot.wim'), mnt);
      await lab.detach(second);
    } finally {
      await lab.unmount(mnt);
    }
    fsckClean(image);
  });

  test('a second loop device on an image file that is mounted (nothing of the job on it)', async () => {
    const image = await lab.image('mounted-only.img', 300 * MiB);
    execFileSync('mkfs.ext4', ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', image]);
    const first = await lab.attach(image);
    const mnt = await lab.mount(first, 'other-mnt');
    try {
      writeFileSync(join(mnt, 'keep.txt'), 'someone else\'s data\n');
      const second = await lab.attach(image);
      await expectInUse(second, wim, mnt);
      await lab.detach(second);
    } finally {
      await lab.unmount(mnt);
    }
    fsckClean(image);
  });
});

describe('two targets that are one storage', () => {
  test('--path <loop A> --path <loop B> on one image file -> ParameterConflict, exit 2, the file unchanged', async () => {
    const image = await lab.image('twice.img', 128 * MiB);
    const a = await lab.attach(image);
    const b = await lab.attach(image);
    const before = fileHash(image);
    const r = await runCli(['create', '--json', '--media-type', 'usb', '--path', a, '--path', b, '--boot-image', wim, '--format-media', '--yes']);
    assert.equal((JSON.parse(r.stdout) as { error?: { id: string } }).error?.id, 'ParameterConflict', r.stdout + r.stderr);
    assert.equal(r.code, 2);
    assert.equal(fileHash(image), before);
    await lab.detach(b);
    await lab.detach(a);
  });
});

describe('disks agrees with create (item 11)', () => {
  interface Row { Path: string; Verdict: string; Usable: boolean }
  const disks = async (extra: readonly string[] = []): Promise<Row[]> => {
    const r = await runCli(['disks', '--json', ...extra]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    return JSON.parse(r.stdout) as Row[];
  };

  test('disks --allow-fixed-disk is accepted (was: unknown option, exit 2) and never says DiskNotRemovable', async () => {
    const rows = await disks(['--allow-fixed-disk']);
    assert.ok(rows.length > 0);
    assert.ok(rows.every((row) => row.Verdict !== 'DiskNotRemovable'), JSON.stringify(rows));
  });

  test('a second loop device on a mounted image file: disks says DiskInUseBySource, as create does', async () => {
    const image = await lab.image('disks-view.img', 300 * MiB);
    execFileSync('mkfs.ext4', ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', image]);
    const first = await lab.attach(image);
    const mnt = await lab.mount(first, 'disks-mnt');
    try {
      const second = await lab.attach(image);
      const row = (await disks()).find((r) => r.Path === second);
      assert.equal(row?.Verdict, 'DiskInUseBySource', JSON.stringify(row));
      await lab.detach(second);
    } finally {
      await lab.unmount(mnt);
    }
  });
});
