// The boot proof for the media WE write: the sample boot image goes into a content library, our
// CLI builds the media from package PKG00001, and real firmware boots them in qemu — OVMF (UEFI)
// and SeaBIOS (BIOS) for the ISO, OVMF for the USB image and for a loop device written as a USB
// drive, and disc 1 of a size-split set. The markers are printed by the sample's own loaders
// (scripts/fixtures/README.md), the UEFI one only after GRUB found \sources\boot.wim on the medium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { bootAndWaitForMarker } from '../helpers/qemu.js';
import { BIOS_MARKER, makeSampleBootImage, UEFI_MARKER } from '../helpers/real-media.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { LoopLab } from '../helpers/loop-lab.js';
import { makeContentLibrary } from '../../scripts/make-content-library.js';

let dir: string;
let cleanup: () => void;
let library: string;
let lab: LoopLab;

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('boot-ours'));
  const sample = await makeSampleBootImage(join(dir, 'sample'));
  library = join(dir, 'SCCMContentLib');
  await makeContentLibrary({ root: library, packageId: 'PKG00001', version: 1, files: [{ source: sample.wim, name: 'boot.PKG00001.wim' }] });
  lab = await LoopLab.create();
});
after(async () => {
  await lab.cleanup();
  cleanup();
});

async function create(args: string[]): Promise<{ Path: string[] }> {
  const r = await runCli(['create', '--boot-image', 'PKG00001', '--distribution-point', library, '--json', ...args]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return JSON.parse(r.stdout) as { Path: string[] };
}

async function boots(image: string, kind: 'iso' | 'usb', firmware: 'uefi' | 'bios', marker: string): Promise<void> {
  const r = await bootAndWaitForMarker({ image, kind, firmware, marker, timeoutMs: 60_000 });
  assert.ok(r.found, `${marker} not seen within 60 s booting ${image} (${firmware}); serial log:\n${r.serialLog.slice(-2000)}`);
}

describe('media built by capture-media from a content library boot in real firmware', () => {
  test('ISO: UEFI (OVMF) finds \\sources\\boot.wim, BIOS (SeaBIOS) runs etfsboot.com', async () => {
    const iso = join(dir, 'capture.iso');
    await create(['--media-type', 'cddvd', '--path', iso]);
    await boots(iso, 'iso', 'uefi', UEFI_MARKER);
    await boots(iso, 'iso', 'bios', BIOS_MARKER);
  });

  test('UsbImage boots in OVMF as a USB stick', async () => {
    const img = join(dir, 'capture.img');
    await create(['--media-type', 'usbimage', '--path', img]);
    await boots(img, 'usb', 'uefi', UEFI_MARKER);
  });

  test('a loop device written with --media-type usb boots in OVMF as a USB stick', async () => {
    const device = await lab.attach(await lab.image('stick.img', 256 * 1024 * 1024));
    await create(['--media-type', 'usb', '--path', device, '--format-media', '--yes']);
    await boots(device, 'usb', 'uefi', UEFI_MARKER);
  });

  test('disc 1 of a 3-disc set boots in both firmwares; the other discs do not boot', async () => {
    // The sample's own tree plus three 6 MiB files under sms\bin (compressible: tiny in the WIM),
    // so --media-size 10MB splits the media over three discs.
    const tree = join(dir, 'split-tree');
    cpSync(join(dir, 'sample', 'tree'), tree, { recursive: true });
    for (const n of [1, 2, 3]) {
      mkdirSync(join(tree, 'sms', 'bin', 'x64', 'payload'), { recursive: true });
      writeFileSync(join(tree, 'sms', 'bin', 'x64', 'payload', `part${n}.bin`), Buffer.alloc(6 * 1024 * 1024, `payload ${n} `));
    }
    const wim = join(dir, 'split.wim');
    await execa('wimlib-imagex', ['capture', tree, wim, 'Microsoft Windows PE (x64)', '--boot', '--image-property', 'WINDOWS/ARCH=9']);
    const r = await runCli(['create', '--media-type', 'cddvd', '--path', join(dir, 'set.iso'), '--boot-image', wim, '--media-size', '10MiB', '--json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const result = JSON.parse(r.stdout) as { Path: string[]; Discs: number };
    assert.equal(result.Discs, 3);
    await boots(result.Path[0]!, 'iso', 'uefi', UEFI_MARKER);
    await boots(result.Path[0]!, 'iso', 'bios', BIOS_MARKER);
    const second = await bootAndWaitForMarker({ image: result.Path[1]!, kind: 'iso', firmware: 'bios', marker: BIOS_MARKER, timeoutMs: 8_000 });
    assert.equal(second.found, false, 'disc 2 is not bootable');
  });
});
