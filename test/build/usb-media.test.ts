// USB media end to end through the real CLI on real kernel block devices (loop devices) and image
// files, checked with tools nobody here wrote: fsck.fat, mdir, mcopy, mlabel, sfdisk.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { LoopLab } from '../helpers/loop-lab.js';
import { fatVolumeOf } from '../../src/build/copy-onto-volume.js';
import type { DiskInfo } from '../../src/disk/model.js';
import { CaptureMediaError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';

const MiB = 1024 * 1024;
let dir: string;
let cleanup: () => void;
let wim: string;
let lab: LoopLab;

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('usb-media'));
  wim = makeWinPeWim(join(dir, 'wim'), { compressible: { 'sms/bin/x64/payload/big.bin': 20 * MiB } });
  lab = await LoopLab.create();
});
after(async () => {
  await lab.cleanup();
  assert.deepEqual(await lab.leftoverLoops(), [], 'no loop device left attached');
  cleanup();
});

const tool = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').toUpperCase();
const json = <T>(stdout: string) => JSON.parse(stdout) as T;
type Result = { Path: string[]; Verified: boolean; Bytes: number; VolumeLabel: string };
type ErrorOut = { error: { id: string; message: string; target?: string } };

/** fsck.fat and mtools see the partition at 1 MiB; fsck.fat needs it as a file of its own. */
function checkFatImage(image: string, label: string): { files: string[] } {
  const part = join(dir, `part-${Math.random().toString(16).slice(2)}.img`);
  execFileSync('dd', [`if=${image}`, `of=${part}`, 'bs=1M', 'skip=1', 'status=none', 'conv=sparse']);
  const fsck = tool('fsck.fat', ['-n', '-v', part]);
  assert.doesNotMatch(fsck, /differ|error|invalid|lost/i, fsck);
  const sfdisk = JSON.parse(tool('sfdisk', ['-J', image])) as { partitiontable: { label: string; partitions: { start: number; type: string; bootable?: boolean }[] } };
  assert.equal(sfdisk.partitiontable.label, 'dos');
  assert.equal(sfdisk.partitiontable.partitions.length, 1);
  assert.equal(sfdisk.partitiontable.partitions[0]!.start, 2048);
  assert.equal(sfdisk.partitiontable.partitions[0]!.type, 'c');
  assert.equal(sfdisk.partitiontable.partitions[0]!.bootable, true);
  assert.match(tool('mlabel', ['-i', `${image}@@1M`, '-s', '::']), new RegExp(`Volume label is ${label}`));
  const out = join(dir, `mcopy-${Math.random().toString(16).slice(2)}`);
  mkdirSync(out);
  tool('mcopy', ['-i', `${image}@@1M`, '-s', '-n', '::/*', out]);
  const manifest = JSON.parse(readFileSync(join(out, 'CaptureMedia.manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
  for (const f of manifest.files) assert.equal(sha(readFileSync(join(out, f.path))), f.sha256, f.path);
  return { files: manifest.files.map((f) => f.path) };
}

describe('UsbImage', () => {
  test('a FAT32 disk image that fsck.fat, sfdisk and mtools accept, with long names and the label', async () => {
    const image = join(dir, 'capture.img');
    const r = await runCli(['create', '--media-type', 'usbimage', '--path', image, '--boot-image', wim, '--media-label', 'Capture x64', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = json<Result>(r.stdout);
    assert.equal(result.Verified, true);
    assert.equal(result.VolumeLabel, 'CAPTURE X64');
    assert.equal(statSync(image).size % (64 * MiB), 0, 'content + 10 % rounded up to 64 MiB');
    assert.ok(statSync(image).blocks * 512 < statSync(image).size, 'sparse');
    const { files } = checkFatImage(image, 'CAPTURE X64');
    assert.ok(files.includes('efi/boot/bootx64.efi'));
    assert.ok(files.includes('sources/boot.wim'));
    const listing = tool('mdir', ['-i', `${image}@@1M`, '-/', '::']);
    assert.match(listing, /CaptureMedia\.manifest\.json/, 'the long name is there');
    assert.match(listing, /TsmBootstrap\.ini/);
    const v = await runCli(['verify', '--path', image, '--json']);
    assert.equal(v.code, 0, v.stderr);
  });

  test('--image-size sets the size; too small -> DiskTooSmall, nothing written', async () => {
    const image = join(dir, 'sized.img');
    const ok = await runCli(['create', '--media-type', 'usbimage', '--path', image, '--boot-image', wim, '--image-size', '300MiB', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(statSync(image).size, 300 * MiB);
    const small = join(dir, 'small.img');
    const r = await runCli(['create', '--media-type', 'usbimage', '--path', small, '--boot-image', wim, '--image-size', '16MB', '--json']);
    assert.equal(r.code, 3);
    assert.equal(json<ErrorOut>(r.stdout).error.id, 'DiskTooSmall');
    assert.equal(existsSync(small), false);
  });
});

describe('USB on loop devices', () => {
  test('one drive through the CLI with --yes: partition table, FAT32, files, verified', async () => {
    const device = await lab.attach(await lab.image('one.img', 128 * MiB));
    const r = await runCli(['create', '--media-type', 'usb', '--path', device, '--boot-image', wim, '--format-media', '--yes', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = json<Result>(r.stdout);
    assert.deepEqual(result.Path, [device]);
    assert.equal(result.Verified, true);
    checkFatImage(device, 'CONFIGURATI');
  });

  test('refusals: no --yes, the system disk, a symlink to it, a too-small drive, a mounted partition', async () => {
    const small = await lab.attach(await lab.image('small.img', 16 * MiB));
    const before = sha(readFileSync(small));
    const cases: [string[], string, number][] = [
      [['--path', small, '--format-media'], 'ConfirmationRequired', 3],
      [['--path', small], 'FormatMediaRequired', 3],
      [['--path', '/dev/vda', '--format-media', '--yes'], 'DiskIsSystem', 3],
      [['--path', small, '--format-media', '--yes'], 'DiskTooSmall', 3],
    ];
    const link = join(dir, 'sneaky-link');
    execFileSync('ln', ['-sf', '/dev/vda', link]);
    cases.push([['--path', link, '--format-media', '--yes'], 'DiskIsSystem', 3]);
    const { device: mountedDisk } = await lab.partitionedExt4('mounted.img', 128 * MiB);
    await lab.mount(`${mountedDisk}p1`, 'mnt');
    cases.push([['--path', mountedDisk, '--format-media', '--yes'], 'DiskMounted', 3]);
    for (const [args, id, code] of cases) {
      const r = await runCli(['create', '--media-type', 'usb', '--boot-image', wim, '--json', ...args]);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stdout}`);
      assert.equal(json<ErrorOut>(r.stdout).error.id, id, args.join(' '));
    }
    assert.equal(sha(readFileSync(small)), before, 'the refused drive is unchanged');
  });

  test('three drives at once, one failing mid-write: two verified results and one WriteFailed', async () => {
    const a = await lab.attach(await lab.image('a.img', 128 * MiB));
    const b = await lab.attach(await lab.image('b.img', 128 * MiB));
    // The third drive's backing file lives on a 24 MiB tmpfs: the kernel fails its writes
    // part-way, as a stick pulled out or worn out would.
    const tiny = join(lab.dir, 'tiny');
    mkdirSync(tiny);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', tiny]);
    try {
      const failing = join(tiny, 'c.img');
      writeFileSync(failing, '');
      execFileSync('truncate', ['-s', `${128 * MiB}`, failing]);
      const c = await lab.attach(failing);
      const r = await runCli(['create', '--media-type', 'usb', '--path', a, '--path', b, '--path', c, '--boot-image', wim, '--format-media', '--yes', '--json']);
      assert.equal(r.code, 5, r.stdout + r.stderr);
      const e = json<ErrorOut>(r.stdout).error;
      assert.equal(e.id, 'WriteFailed');
      assert.equal(e.target, c);
      assert.match(e.message, /1 of 3 drive\(s\) failed/);
      checkFatImage(a, 'CONFIGURATI');
      checkFatImage(b, 'CONFIGURATI');
      await lab.detach(c);
    } finally {
      execFileSync('umount', ['-l', tiny]);
    }
  });

  test('a file over 4 GiB -> FileTooLargeForFat32 before any byte is written', async () => {
    const bigWim = makeWinPeWim(join(dir, 'big-wim'), { sparse: { 'sms/bin/x64/huge/image.bin': 5 * 1024 * MiB } });
    const device = await lab.attach(await lab.image('fat-limit.img', 64 * MiB));
    writeFileSync(device, Buffer.alloc(MiB, 0xab));
    const r = await runCli(['create', '--media-type', 'usb', '--path', device, '--boot-image', bigWim, '--format-media', '--yes', '--json']);
    assert.equal(r.code, 3, r.stdout);
    const e = json<ErrorOut>(r.stdout).error;
    assert.equal(e.id, 'FileTooLargeForFat32');
    assert.match(e.message, /image\.bin/);
    const head = readFileSync(device).subarray(0, MiB);
    assert.ok(head.every((x) => x === 0xab), 'the device is unchanged');
  });
});

describe('USB without --format-media: the drive\'s own FAT32 volume (New-CMCaptureMedia rule)', () => {
  // This container's kernel cannot mount vfat, so a mounted FAT32 stick is described to the
  // resolver as lsblk (Linux) and Get-Volume (Windows) report one; the refusals run for real.
  const stick = (partitions: DiskInfo['partitions'], extra: Partial<DiskInfo> = {}): DiskInfo => ({
    path: '/dev/sdx', number: undefined, sizeBytes: 16e9, model: 'Cruzer', serial: '1', uniqueId: undefined, busType: 'USB',
    removable: true, majorMinor: '8:16', isSystem: false, offline: false, readOnly: false, partitions, ...extra,
  });
  const part = (path: string, fileSystem: string | undefined, mountpoints: string[]) => ({ path, sizeBytes: 8e9, fileSystem, mountpoints, label: undefined });

  test('a disk resolves to its one mounted FAT volume (Linux mount point, Windows drive letter)', () => {
    assert.equal(fatVolumeOf(stick([part('/dev/sdx1', 'vfat', ['/media/stick'])]), '/dev/sdx'), '/media/stick');
    assert.equal(fatVolumeOf(stick([part('Disk 3 Partition 1', 'FAT32', ['E:'])], { number: 3 }), '3'), 'E:\\');
  });

  test('no FAT volume, an unmounted one, two of them, or the system disk: refused, naming -FormatMedia where that helps', () => {
    const id = (f: () => unknown) => {
      try {
        f();
      } catch (e: unknown) {
        return e instanceof CaptureMediaError ? [e.id, e.message] : ['?', String(e)];
      }
      return ['none', ''];
    };
    const [ntfsId, ntfsMessage] = id(() => fatVolumeOf(stick([part('/dev/sdx1', 'ntfs', ['/media/x'])]), '/dev/sdx'));
    assert.equal(ntfsId, 'FormatMediaRequired');
    assert.match(ntfsMessage!, /ntfs/);
    assert.match(ntfsMessage!, /Add -FormatMedia/);
    assert.equal(id(() => fatVolumeOf(stick([part('/dev/sdx1', 'vfat', [])]), '/dev/sdx'))[0], 'FormatMediaRequired');
    assert.equal(id(() => fatVolumeOf(stick([]), '/dev/sdx'))[0], 'FormatMediaRequired');
    assert.equal(id(() => fatVolumeOf(stick([part('/dev/sdx1', 'vfat', ['/a']), part('/dev/sdx2', 'vfat', ['/b'])]), '/dev/sdx'))[0], 'ParameterConflict');
    assert.equal(id(() => fatVolumeOf(stick([part('/dev/sdx1', 'vfat', ['/boot/efi'])], { isSystem: true }), '/dev/sdx'))[0], 'DiskIsSystem');
  });

  test('a real loop disk with a mounted ext4 partition and no --format-media: FormatMediaRequired naming it, the disk unchanged', async () => {
    const { device, partition } = await lab.partitionedExt4('ext4-stick.img', 64 * MiB);
    const mountpoint = await lab.mount(partition, 'ext4-stick');
    try {
      execFileSync('sync', ['-f', mountpoint]);
      const before = sha(readFileSync(device).subarray(0, MiB));
      const r = await runCli(['create', '--media-type', 'usb', '--path', device, '--boot-image', wim, '--force', '--json']);
      assert.equal(r.code, 3, r.stdout + r.stderr);
      const e = json<ErrorOut>(r.stdout).error;
      assert.equal(e.id, 'FormatMediaRequired');
      // Names the partition it found (lsblk here may not know its file system without udev).
      assert.match(e.message, new RegExp(`${partition}`));
      assert.equal(sha(readFileSync(device).subarray(0, MiB)), before);
    } finally {
      await lab.unmount(mountpoint);
    }
  });
});

describe('-NoFormat onto a mounted volume', () => {
  test('copies next to foreign files, verifies, refuses different capture media without --force', async () => {
    const volume = join(dir, 'volume');
    mkdirSync(volume);
    writeFileSync(join(volume, 'readme-from-the-owner.txt'), 'keep me');
    const r = await runCli(['create', '--media-type', 'usb', '--path', volume, '--boot-image', wim, '--json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(json<Result>(r.stdout).Verified, true);
    assert.equal(readFileSync(join(volume, 'readme-from-the-owner.txt'), 'utf8'), 'keep me');
    assert.ok(existsSync(join(volume, 'sources', 'boot.wim')));
    assert.deepEqual(readdirSync(volume).filter((n) => n.endsWith('.tmp')), []);
    const other = await runCli(['create', '--media-type', 'usb', '--no-format', '--path', volume, '--boot-image', wim, '--media-label', 'Other Media', '--json']);
    assert.equal(other.code, 3);
    assert.equal(json<ErrorOut>(other.stdout).error.id, 'OutputExists');
    const forced = await runCli(['create', '--media-type', 'usb', '--no-format', '--path', volume, '--boot-image', wim, '--media-label', 'Other Media', '--force', '--json']);
    assert.equal(forced.code, 0, forced.stdout);
    assert.equal(readFileSync(join(volume, 'MediaLabel.txt'), 'utf8'), 'label=Other Media\r\n');
    const v = await runCli(['verify', '--path', volume, '--json']);
    assert.equal(v.code, 0, v.stdout);
  });
});
