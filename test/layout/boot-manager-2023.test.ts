// --boot-manager 2023 (-BootManager 2023): the media take the Windows UEFI CA 2023 files from a
// 2023-shaped boot image (EFI_EX, DVD_EX, FONTS_EX with distinct stand-in bytes), exactly where
// Make2023BootableMedia.ps1 puts them; the BIOS path and the BIOS fonts stay the 2011 ones.
// Checked on the written media with real tools: 7z (ISO files), xorriso (the El Torito UEFI
// image), mtools (the USB image's FAT32). A boot image without the _EX files fails before writing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeSampleBootImage } from '../helpers/real-media.js';
import { makeBootImageVariant, type BootImageVariant } from '../helpers/boot-image-variants.js';
import { makeTestCa, requireSigningPackages, sbsign, SHIM_UNSIGNED, GRUB_SIGNED, type TestCa } from '../helpers/test-signing.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';

let dir: string;
let cleanup: () => void;
let sampleWim: string;
let v: BootImageVariant;
let ca: TestCa;

before(async () => {
  requireSigningPackages();
  ({ path: dir, cleanup } = makeTempDir('boot-manager-2023'));
  const sample = await makeSampleBootImage(join(dir, 'sample'));
  sampleWim = sample.wim;
  ca = await makeTestCa(dir, 'Windows UEFI CA 2023 Stand-in');
  await sbsign(ca, SHIM_UNSIGNED, join(dir, 'bootmgfw_EX.efi'));
  v = await makeBootImageVariant({
    sampleTree: sample.tree,
    dir: join(dir, 'ex'),
    ex: { bootmgfw: join(dir, 'bootmgfw_EX.efi'), bootmgr: GRUB_SIGNED },
  });
});
after(() => cleanup());

const inWim = (...parts: string[]) => readFileSync(join(v.tree, 'Windows', 'Boot', ...parts));

async function create(args: string[]): Promise<Record<string, unknown>> {
  const r = await runCli(['create', '--json', ...args]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** The files the 2023 layout must carry, as media path -> the WIM file it must equal. */
const expected2023 = (medium: 'cd' | 'usb'): [string, Buffer][] => [
  ['efi/boot/bootx64.efi', inWim('EFI_EX', 'bootmgfw_EX.efi')],
  ['efi/microsoft/boot/fonts/segmono_boot.ttf', inWim('FONTS_EX', 'segmono_boot_EX.ttf')],
  ['efi/microsoft/boot/fonts/wgl4_boot.ttf', inWim('FONTS_EX', 'wgl4_boot_EX.ttf')],
  ['boot/fonts/segmono_boot.ttf', inWim('Fonts', 'segmono_boot.ttf')],
  ['efi/microsoft/boot/bcd', inWim('DVD', 'EFI', 'BCD')],
  ['efi/microsoft/boot/boot.stl', inWim('EFI', 'boot.stl')],
  ...(medium === 'cd'
    ? ([
        ['bootmgr.efi', inWim('EFI_EX', 'bootmgr_EX.efi')],
        ['efi/microsoft/boot/efisys.bin', inWim('DVD_EX', 'EFI', 'en-US', 'efisys_EX.bin')],
        ['bootmgr', inWim('PCAT', 'bootmgr')],
        ['boot/etfsboot.com', inWim('DVD', 'PCAT', 'etfsboot.com')],
      ] as [string, Buffer][])
    : []),
];

describe('--boot-manager 2023', () => {
  test('ISO: the _EX files in place, efisys_EX.bin is the El Torito UEFI image, BIOS unchanged', async () => {
    const iso = join(dir, 'ex.iso');
    const result = await create(['--media-type', 'cddvd', '--path', iso, '--boot-image', v.wim, '--boot-manager', '2023']);
    assert.equal(result.BootManager, '2023');
    assert.deepEqual(result.BootManagerSigners, [ca.caName]);
    const out = join(dir, 'ex-iso');
    await execa('7z', ['x', '-y', `-o${out}`, iso]);
    for (const [path, bytes] of expected2023('cd')) {
      assert.ok(readFileSync(join(out, path)).equals(bytes), `${path} is the expected file`);
    }
    const boot = join(dir, 'ex-eltorito');
    await execa('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract_boot_images', boot]);
    assert.ok(readFileSync(join(boot, 'eltorito_img2_uefi.img')).equals(inWim('DVD_EX', 'EFI', 'en-US', 'efisys_EX.bin')), 'El Torito UEFI entry = efisys_EX.bin');
    assert.ok(readFileSync(join(boot, 'eltorito_img1_bios.img')).equals(inWim('DVD', 'PCAT', 'etfsboot.com')), 'El Torito BIOS entry unchanged');
  });

  test('USB image: the _EX loader and fonts on the FAT32 volume', async () => {
    const img = join(dir, 'ex.img');
    const result = await create(['--media-type', 'usbimage', '--path', img, '--boot-image', v.wim, '--boot-manager', '2023']);
    assert.equal(result.BootManager, '2023');
    assert.deepEqual(result.BootManagerSigners, [ca.caName]);
    const out = join(dir, 'ex-usb');
    await execa('mcopy', ['-s', '-n', '-i', `${img}@@1M`, '::/', out]);
    for (const [path, bytes] of expected2023('usb')) {
      assert.ok(readFileSync(join(out, path)).equals(bytes), `${path} is the expected file`);
    }
    assert.ok(!existsSync(join(out, 'efi', 'microsoft', 'boot', 'efisys.bin')), 'no El Torito image on USB');
  });

  test('default 2011: the 2011 files, and the result says so', async () => {
    const img = join(dir, 'plain.img');
    const result = await create(['--media-type', 'usbimage', '--path', img, '--boot-image', v.wim]);
    assert.equal(result.BootManager, '2011');
    const out = join(dir, 'plain-usb');
    await execa('mcopy', ['-s', '-n', '-i', `${img}@@1M`, '::/', out]);
    assert.ok(readFileSync(join(out, 'efi', 'boot', 'bootx64.efi')).equals(inWim('EFI', 'bootmgfw.efi')));
    assert.ok(readFileSync(join(out, 'efi', 'microsoft', 'boot', 'fonts', 'segmono_boot.ttf')).equals(inWim('Fonts', 'segmono_boot.ttf')));
    assert.deepEqual(result.BootManagerSigners, []);
    assert.match(String(result.BootManagerWarning), /unsigned/);
  });

  test('a boot image without the _EX files: BootFilesMissing naming them, nothing written', async () => {
    const iso = join(dir, 'missing.iso');
    const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', iso, '--boot-image', sampleWim, '--boot-manager', '2023']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const error = (JSON.parse(r.stdout) as { error: { id: string; message: string } }).error;
    assert.equal(error.id, 'BootFilesMissing');
    assert.match(error.message, /EFI_EX\\bootmgfw_EX\.efi, Windows\\Boot\\DVD_EX\\EFI\\en-US\\efisys_EX\.bin/);
    assert.match(error.message, /2024-4B/);
    assert.ok(!existsSync(iso));
  });

  test('--boot-manager Auto or 2020 is an invalid parameter (exit 2)', async () => {
    for (const value of ['Auto', '2020']) {
      const r = await runCli(['create', '--json', '--media-type', 'cddvd', '--path', join(dir, 'x.iso'), '--boot-image', v.wim, '--boot-manager', value]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stdout, /"id":"InvalidParameter".*is not 2011 or 2023/);
    }
  });
});
