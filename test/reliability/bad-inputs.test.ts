// Bad inputs (docs/reliability.md): every case asserts the stable error id, the exit code, and that
// nothing changed - the output folder's listing (hidden temporary files included) and every
// pre-existing file are byte-identical afterwards. Root-only cases (chattr, tmpfs mounts) need
// the CI container's root; they say so loudly instead of skipping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { makeContentLibrary } from '../../scripts/make-content-library.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim, WINPE_BOOT_FILES } from '../helpers/wim-fixture.js';
import { LoopLab } from '../helpers/loop-lab.js';
import { makeBigWim, MiB, runBridge, snapshot, startBridge, tempFilesIn } from './harness.js';

let dir: string;
let cleanup: () => void;
let out: string;
let precious: string;
const wims: Record<'x64' | 'x86' | 'arm64' | 'noBoot' | 'lzms' | 'text' | 'big', string> = {} as never;
let library: string;
let badLibrary: string;
const PRECIOUS = 'precious old media: must survive every failed run\n';

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('bad-inputs'));
  wims.x64 = makeWinPeWim(join(dir, 'x64'));
  wims.x86 = makeWinPeWim(join(dir, 'x86'), { arch: 0 });
  wims.arm64 = makeWinPeWim(join(dir, 'arm64'), { arch: 12 });
  wims.noBoot = makeWinPeWim(join(dir, 'noboot'), { omit: Object.keys(WINPE_BOOT_FILES).filter((p) => p.startsWith('Windows/Boot/')) });
  wims.big = makeBigWim(join(dir, 'big'));
  wims.lzms = join(dir, 'lzms.wim');
  execFileSync('wimlib-imagex', ['capture', join(dir, 'x64', 'tree'), wims.lzms, 'Microsoft Windows PE', '--compress=LZMS', '--boot', '--image-property', 'WINDOWS/ARCH=9'], { stdio: 'ignore' });
  wims.text = join(dir, 'text.wim');
  writeFileSync(wims.text, 'This is not a WIM. It is a text file someone renamed.\r\n'.repeat(40));

  library = join(dir, 'lib');
  await makeContentLibrary({ root: library, packageId: 'PS100004', files: [{ source: wims.x64, name: 'boot.PS100004.wim' }] });
  // A library whose FileLib blob has one byte flipped inside a file the media never extract
  // (winpeshl.ini), so the WIM still opens and only the streamed SHA-256 can notice - mid-write.
  badLibrary = join(dir, 'badlib');
  const made = await makeContentLibrary({ root: badLibrary, packageId: 'PS100004', files: [{ source: wims.x64, name: 'boot.PS100004.wim' }] });
  const blob = readFileSync(made.files[0]!.blobPath);
  const at = blob.indexOf(readFileSync(join(dir, 'x64', 'tree', 'Windows', 'System32', 'winpeshl.ini')));
  assert.ok(at > 0, 'winpeshl.ini is stored raw in the fixture WIM');
  blob[at + 50]! ^= 0xff;
  writeFileSync(made.files[0]!.blobPath, blob);

  out = join(dir, 'out');
  mkdirSync(join(out, 'a-folder.iso'), { recursive: true });
  precious = join(out, 'precious.iso');
  writeFileSync(precious, PRECIOUS);
  writeFileSync(join(out, 'precious.img'), PRECIOUS);
});
after(() => cleanup());

interface ErrorJson {
  error: { id: string; category: string; message: string; target?: string };
}

/** Run `create --json`, assert id + exit code, and that `watch` (default: the output folder) is unchanged. */
async function expectRefusal(args: readonly string[], id: string, exitCode: number, watch: readonly string[] = [out]): Promise<ErrorJson['error']> {
  const before = watch.map((d) => snapshot(d));
  const r = await runCli(['create', '--json', ...args]);
  let parsed: ErrorJson;
  try {
    parsed = JSON.parse(r.stdout) as ErrorJson;
  } catch {
    assert.fail(`stdout is not the JSON error object (exit ${r.code}): ${r.stdout} ${r.stderr}`);
  }
  assert.equal(parsed.error?.id, id, `${r.stdout} ${r.stderr}`);
  assert.equal(r.code, exitCode, `${r.stdout} ${r.stderr}`);
  watch.forEach((d, i) => assert.deepEqual(snapshot(d), before[i], `${d} changed`));
  assert.equal(readFileSync(precious, 'utf8'), PRECIOUS);
  return parsed.error;
}

const iso = (extra: readonly string[] = [], wim = wims.x64) => ['--media-type', 'cddvd', '--path', precious, '--force', '--boot-image', wim, ...extra];

describe('media labels', () => {
  for (const ch of ['*', '?', '/', '\\', '|', '<', '>', '"']) {
    test(`label containing ${ch} -> LabelInvalid, exit 2`, async () => {
      const e = await expectRefusal(iso(['--media-label', `Capture${ch}x64`]), 'LabelInvalid', 2);
      assert.equal(e.target, `Capture${ch}x64`);
    });
  }
  test('empty label -> LabelInvalid, exit 2', async () => {
    await expectRefusal(iso(['--media-label', '']), 'LabelInvalid', 2);
  });
  test('200-character label -> LabelInvalid, exit 2', async () => {
    await expectRefusal(iso(['--media-label', 'L'.repeat(200)]), 'LabelInvalid', 2);
  });
  test('UsbImage: a label whose FAT part has "+" -> LabelInvalid, exit 2', async () => {
    await expectRefusal(['--media-type', 'usbimage', '--path', join(out, 'precious.img'), '--force', '--boot-image', wims.x64, '--media-label', 'a+b'], 'LabelInvalid', 2);
  });
});

describe('media sizes', () => {
  for (const size of ['0', '-1', '1KB', 'abc', '0.5MB', '99999999TB']) {
    test(`--media-size ${size} -> MediaSizeInvalid, exit 2`, async () => {
      await expectRefusal(iso([`--media-size=${size}`]), 'MediaSizeInvalid', 2);
    });
  }
  test('--media-size -1 (separate argument) -> MediaSizeInvalid, exit 2', async () => {
    await expectRefusal(iso(['--media-size', '-1']), 'MediaSizeInvalid', 2);
  });
  test('--image-size 1KB for usbimage -> MediaSizeInvalid, exit 2', async () => {
    await expectRefusal(['--media-type', 'usbimage', '--path', join(out, 'precious.img'), '--force', '--boot-image', wims.x64, '--image-size', '1KB'], 'MediaSizeInvalid', 2);
  });
  test('--image-size too small for the content -> a refusal before writing', async () => {
    const before = snapshot(out);
    const r = await runCli(['create', '--json', '--media-type', 'usbimage', '--path', join(out, 'precious.img'), '--force', '--boot-image', wims.big, '--image-size', '8MB']);
    const e = (JSON.parse(r.stdout) as ErrorJson).error;
    assert.ok(['FileTooLargeForMedia', 'MediaSizeInvalid', 'DiskTooSmall'].includes(e.id), r.stdout);
    assert.ok(r.code === 2 || r.code === 3, r.stdout);
    assert.deepEqual(snapshot(out), before);
  });
});

describe('output paths', () => {
  test('a directory named like an ISO -> OutputPathInvalid, exit 2', async () => {
    await expectRefusal(['--media-type', 'cddvd', '--path', join(out, 'a-folder.iso'), '--force', '--boot-image', wims.x64], 'OutputPathInvalid', 2);
  });
  test('an existing directory as --path -> OutputPathInvalid, exit 2', async () => {
    await expectRefusal(['--media-type', 'cddvd', '--path', out, '--boot-image', wims.x64], 'OutputPathInvalid', 2);
  });
  test('a .txt output -> OutputPathInvalid, exit 2', async () => {
    await expectRefusal(['--media-type', 'cddvd', '--path', join(out, 'capture.txt'), '--boot-image', wims.x64], 'OutputPathInvalid', 2);
  });
  test('an output folder that does not exist -> OutputDirectoryMissing, exit 3', async () => {
    await expectRefusal(['--media-type', 'cddvd', '--path', join(out, 'missing', 'capture.iso'), '--boot-image', wims.x64], 'OutputDirectoryMissing', 3);
  });
  test('an output inside the content library -> OutputPathInvalid, exit 2 (library unchanged)', async () => {
    await expectRefusal(['--media-type', 'cddvd', '--path', join(library, 'capture.iso'), '--boot-image', 'PS100004', '--distribution-point', library], 'OutputPathInvalid', 2, [out, library]);
  });
  test('an existing ISO without --force -> OutputExists, exit 3', async () => {
    await expectRefusal(['--media-type', 'cddvd', '--path', precious, '--boot-image', wims.x64], 'OutputExists', 3);
  });
  test('a missing --temporary-folder -> TemporaryFolderInvalid, exit 2', async () => {
    await expectRefusal(iso(['--temporary-folder', join(dir, 'no-such-temp')]), 'TemporaryFolderInvalid', 2);
  });
});

describe('parameters and architecture', () => {
  test('--target-architecture x86 with an x64 WIM -> ArchitectureMismatch, exit 3', async () => {
    await expectRefusal(iso(['--target-architecture', 'x86']), 'ArchitectureMismatch', 3);
  });
  test('--target-architecture arm64 with an x64 WIM -> ArchitectureMismatch, exit 3', async () => {
    await expectRefusal(iso(['--target-architecture', 'arm64']), 'ArchitectureMismatch', 3);
  });
  test('--target-architecture x64 with an arm64 WIM -> ArchitectureMismatch, exit 3', async () => {
    await expectRefusal(iso(['--target-architecture', 'x64'], wims.arm64), 'ArchitectureMismatch', 3);
  });
  test('--target-architecture x86 with an x86 WIM is accepted (control: the check is not a blanket refusal)', async () => {
    const target = join(dir, 'x86-ok.iso');
    const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', target, '--boot-image', wims.x86, '--target-architecture', 'x86']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
  test('--no-format with cddvd -> ParameterConflict, exit 2', async () => {
    await expectRefusal(iso(['--no-format']), 'ParameterConflict', 2);
  });
  test('--media-type floppy -> InvalidParameter, exit 2', async () => {
    await expectRefusal(['--media-type', 'floppy', '--path', precious, '--force', '--boot-image', wims.x64], 'InvalidParameter', 2);
  });
});

describe('sources', () => {
  test('an unknown package id -> BootImageNotFound, exit 4', async () => {
    const e = await expectRefusal(['--media-type', 'cddvd', '--path', precious, '--force', '--boot-image', 'PS999999', '--distribution-point', library], 'BootImageNotFound', 4, [out, library]);
    assert.match(e.message, /PS999999/);
  });
  test('a boot WIM that is really a text file -> WimInvalid, exit 4', async () => {
    await expectRefusal(iso([], wims.text), 'WimInvalid', 4);
  });
  test('a truncated WIM (first 64 KiB) -> WimInvalid, exit 4', async () => {
    const truncated = join(dir, 'truncated.wim');
    writeFileSync(truncated, readFileSync(wims.x64).subarray(0, 65536));
    await expectRefusal(iso([], truncated), 'WimInvalid', 4);
  });
  test('an LZMS WIM -> WimUnsupportedCompression, exit 4', async () => {
    await expectRefusal(iso([], wims.lzms), 'WimUnsupportedCompression', 4);
  });
  test('a WIM without any boot files -> BootFilesMissing, exit 4', async () => {
    await expectRefusal(iso([], wims.noBoot), 'BootFilesMissing', 4);
  });
  test('a flipped byte in the FileLib blob -> ContentHashMismatch, exit 4, no output, existing ISO untouched', async () => {
    await expectRefusal(['--media-type', 'cddvd', '--path', precious, '--force', '--boot-image', 'PS100004', '--distribution-point', badLibrary], 'ContentHashMismatch', 4, [out, badLibrary]);
  });
  test('the same through the bridge: one error event ContentHashMismatch, exit 4, nothing left', async () => {
    const before = snapshot(out);
    const r = await runBridge({ command: 'create', params: { mediaType: 'UsbImage', path: [join(out, 'precious.img')], force: true, bootImage: 'PS100004', distributionPoint: [badLibrary] } });
    assert.equal(r.code, 4, r.stderr);
    const errors = r.events.filter((e) => e.type === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.id, 'ContentHashMismatch');
    assert.equal(r.events.at(-1)!.type, 'error');
    assert.deepEqual(snapshot(out), before);
  });
  test('a bridge request with an unknown field -> BridgeRequestInvalid, exit 2', async () => {
    const before = snapshot(out);
    const r = await runBridge({ command: 'create', params: { mediaType: 'CdDvd', path: [precious], bootImage: wims.x64, force: true, forse: true } });
    assert.equal(r.code, 2);
    assert.equal(r.events.at(-1)!.id, 'BridgeRequestInvalid');
    assert.deepEqual(snapshot(out), before);
  });
});

describe('disc sets', () => {
  test('--force with a set member that cannot be replaced (capture3.iso is a folder): refused before writing, the existing capture1.iso untouched', async () => {
    // A set is "all discs or none" (src/build/build-iso-set.ts). Today the discs are renamed one
    // by one: capture1.iso and capture2.iso replace the old ones, then capture3.iso fails with
    // EISDIR -> WriteFailed, leaving a destroyed old disc 1 and a new set without its disc 3.
    const setDir = join(dir, 'set');
    mkdirSync(join(setDir, 'capture3.iso'), { recursive: true });
    writeFileSync(join(setDir, 'capture1.iso'), PRECIOUS);
    const before = snapshot(setDir);
    const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(setDir, 'capture.iso'), '--force', '--boot-image', wims.big, '--media-size', '20MiB']);
    const e = (JSON.parse(r.stdout) as ErrorJson).error;
    assert.deepEqual(snapshot(setDir), before, `a failed run (${e?.id}) changed the existing disc set`);
    assert.equal(e.id, 'OutputPathInvalid', r.stdout);
    assert.equal(r.code, 2);
  });
});

describe('file systems that refuse (root: chattr +i, tmpfs mounts)', () => {
  const asRoot = () => assert.equal(process.getuid?.(), 0, 'these cases need root (chattr +i, mount -t tmpfs); the CI container runs as root');

  test('a read-only (immutable) output folder -> PermissionDenied, exit 3', async () => {
    // Root ignores mode bits, so chmod 0555 would prove nothing here; an immutable directory
    // refuses even root (EPERM), the same answer a share with Read-only access gives.
    asRoot();
    const ro = join(dir, 'readonly');
    mkdirSync(ro);
    writeFileSync(join(ro, 'capture.iso'), PRECIOUS);
    execFileSync('chattr', ['+i', ro]);
    try {
      await expectRefusal(['--media-type', 'cddvd', '--path', join(ro, 'capture.iso'), '--force', '--boot-image', wims.x64], 'PermissionDenied', 3, [ro]);
    } finally {
      execFileSync('chattr', ['-i', ro]);
    }
  });

  /** Write zeros until the file system is full (racing the writer; ENOSPC here is the goal). */
  function fillUp(path: string): void {
    const fd = openSync(path, 'w');
    const chunk = Buffer.alloc(MiB);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    } finally {
      closeSync(fd);
    }
  }

  async function withTmpfs<T>(sizeBytes: number, body: (mount: string) => Promise<T>): Promise<T> {
    asRoot();
    const mount = join(dir, `tmpfs-${sizeBytes}`);
    mkdirSync(mount, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', mount]);
    try {
      return await body(mount);
    } finally {
      execFileSync('umount', ['-l', mount]);
    }
  }

  test('an output folder on a 2 MiB file system -> OutputSpaceLow before writing, exit 3', async () => {
    await withTmpfs(2 * MiB, async (mount) => {
      writeFileSync(join(mount, 'capture.iso'), PRECIOUS);
      await expectRefusal(['--media-type', 'cddvd', '--path', join(mount, 'capture.iso'), '--force', '--boot-image', wims.x64], 'OutputSpaceLow', 3, [mount]);
    });
  });

  test('UsbImage to a 2 MiB file system -> OutputSpaceLow before writing, exit 3', async () => {
    await withTmpfs(2 * MiB, async (mount) => {
      await expectRefusal(['--media-type', 'usbimage', '--path', join(mount, 'capture.img'), '--boot-image', wims.x64], 'OutputSpaceLow', 3, [mount]);
    });
  });

  test('--temporary-folder on a 2 MiB file system: nothing is staged there, the run succeeds and leaves it empty', async () => {
    await withTmpfs(2 * MiB, async (mount) => {
      const target = join(dir, 'tiny-temp.iso');
      const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', target, '--boot-image', wims.x64, '--temporary-folder', mount]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(snapshot(mount), {});
    });
  });

  test('ENOSPC mid-write (another process fills the disk after the space check) -> WriteFailed, exit 5, temp file removed', async () => {
    // The preflight is honest (there is room when it looks); the space goes while we write,
    // as on a shared server. We fill the tmpfs as soon as the write phase has started.
    await withTmpfs(100 * MiB, async (mount) => {
      const target = join(mount, 'capture.iso');
      writeFileSync(target, PRECIOUS);
      const run = startBridge({ command: 'create', params: { mediaType: 'CdDvd', path: [target], bootImage: wims.big, force: true } });
      const started = await run.waitFor((e) => e.type === 'progress' && e.phase === 'write');
      assert.ok(started, 'the write phase started');
      fillUp(join(mount, 'filler.bin'));
      const { code } = await run.done;
      const last = run.events.at(-1)!.event;
      assert.equal(last.type, 'error', JSON.stringify(last));
      assert.equal(last.id, 'WriteFailed', JSON.stringify(last));
      assert.equal(code, 5);
      assert.deepEqual(tempFilesIn(mount), []);
      assert.equal(readFileSync(target, 'utf8'), PRECIOUS);
    });
  });
});

describe('USB targets (loop devices; root)', () => {
  let lab: LoopLab;
  before(async () => {
    assert.equal(process.getuid?.(), 0, 'these cases attach loop devices: the CI container runs as root');
    lab = await LoopLab.create();
  });
  after(async () => {
    await lab.cleanup();
  });

  /** SHA-256 of a device's first `bytes` (a whole small loop disk, or the start of the system disk). */
  const deviceHash = (device: string, bytes: number): string => {
    const fd = openSync(device, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const n = readSync(fd, buffer, 0, bytes, 0);
      return createHash('sha256').update(buffer.subarray(0, n)).digest('hex');
    } finally {
      closeSync(fd);
    }
  };
  const usb = (device: string, extra: readonly string[] = []) => ['--media-type', 'usb', '--path', device, '--boot-image', wims.x64, '--format-media', '--yes', ...extra];

  test('a USB target too small for the media (16 MiB) -> DiskTooSmall, exit 3, the disk unchanged', async () => {
    const device = await lab.attach(await lab.image('small.img', 16 * MiB));
    const before = deviceHash(device, 16 * MiB);
    await expectRefusal(usb(device), 'DiskTooSmall', 3);
    assert.equal(deviceHash(device, 16 * MiB), before);
  });

  test('a USB target with a mounted partition -> DiskMounted, exit 3, the disk unchanged', async () => {
    const { device, partition } = await lab.partitionedExt4('mounted.img', 128 * MiB);
    const mountpoint = await lab.mount(partition, 'mnt');
    try {
      writeFileSync(join(mountpoint, 'keep.txt'), PRECIOUS);
      // Flush the file system (data and journal) first, so only a write of ours could change the disk.
      execFileSync('sync', ['-f', mountpoint]);
      const before = deviceHash(device, 4 * MiB);
      await expectRefusal(usb(device), 'DiskMounted', 3, [out, mountpoint]);
      assert.equal(deviceHash(device, 4 * MiB), before);
    } finally {
      await lab.unmount(mountpoint);
    }
  });

  test('the disk holding / -> DiskIsSystem, exit 3, its first 4 MiB unchanged', async () => {
    const root = execFileSync('findmnt', ['-n', '-o', 'SOURCE', '/'], { encoding: 'utf8' }).trim();
    // The whole disk behind the root file system (findmnt may name a partition or an overlay).
    const disk = execFileSync('lsblk', ['-n', '-d', '-o', 'PKNAME', root], { encoding: 'utf8' }).trim() || root.replace(/^\/dev\//, '');
    const device = `/dev/${disk}`;
    // The container may not let even root open the system disk (EPERM): then the id and exit code
    // are what can be checked, and the refusal happens before any open for writing.
    const readable = (() => {
      try {
        return deviceHash(device, 4 * MiB);
      } catch {
        return undefined;
      }
    })();
    await expectRefusal(usb(device), 'DiskIsSystem', 3);
    if (readable !== undefined) assert.equal(deviceHash(device, 4 * MiB), readable);
  });

  test('a USB target with --format-media but without --yes -> ConfirmationRequired, exit 3, the disk unchanged', async () => {
    const device = await lab.attach(await lab.image('noyes.img', 128 * MiB));
    const before = deviceHash(device, 4 * MiB);
    await expectRefusal(['--media-type', 'usb', '--path', device, '--boot-image', wims.x64, '--format-media'], 'ConfirmationRequired', 3);
    assert.equal(deviceHash(device, 4 * MiB), before);
  });

  test('a USB target that does not exist -> DiskNotFound, exit 3', async () => {
    await expectRefusal(usb('/dev/capture-media-no-such-disk'), 'DiskNotFound', 3);
  });

  // New-CMCaptureMedia's rule: a drive is erased only with -FormatMedia. A ported script that
  // names a disk without it (even with --yes, even with --force) must never wipe it.
  for (const extra of [[], ['--yes', '--force'], ['--no-format']]) {
    test(`a disk without a FAT32 volume and no --format-media (${extra.join(' ') || 'no flags'}) -> FormatMediaRequired, exit 3, the disk unchanged`, async () => {
      const device = await lab.attach(await lab.image(`blank${extra.length}.img`, 128 * MiB));
      const before = deviceHash(device, 4 * MiB);
      const r = await runCli(['create', '--json', '--media-type', 'usb', '--path', device, '--boot-image', wims.x64, ...extra]);
      const e = (JSON.parse(r.stdout) as ErrorJson).error;
      assert.equal(e?.id, 'FormatMediaRequired', r.stdout);
      assert.equal(r.code, 3);
      assert.match(e.message, /-FormatMedia/);
      assert.equal(deviceHash(device, 4 * MiB), before);
    });
  }

  test('no --format-media on the system disk (its mounted EFI/boot FAT volume) -> DiskIsSystem, nothing copied', async () => {
    const root = execFileSync('findmnt', ['-n', '-o', 'SOURCE', '/'], { encoding: 'utf8' }).trim();
    const disk = execFileSync('lsblk', ['-n', '-d', '-o', 'PKNAME', root], { encoding: 'utf8' }).trim() || root.replace(/^\/dev\//, '');
    await expectRefusal(['--media-type', 'usb', '--path', `/dev/${disk}`, '--boot-image', wims.x64], 'DiskIsSystem', 3);
  });

  test('no --format-media and a device that does not exist -> DiskNotFound, exit 3', async () => {
    await expectRefusal(['--media-type', 'usb', '--path', '/dev/capture-media-no-such-disk', '--boot-image', wims.x64], 'DiskNotFound', 3);
  });
});
