// Boot proof for the sample boot image and the QEMU harness, with media made
// by REAL tools (wimlib-imagex, xorriso, sfdisk, mkfs.fat, mtools). When our
// own ISO/FAT writers are ready, the same checks run against them by passing
// another IsoBuilder / UsbImageBuilder to the helpers below.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { bootAndWaitForMarker, type BootOptions, type BootResult } from '../helpers/qemu.js';
import {
  BIOS_MARKER,
  UEFI_MARKER,
  UEFI_NO_WIM_MARKER,
  buildIsoWithXorriso,
  buildUsbImageWithMtools,
  extractWim,
  layoutMedia,
  makeSampleBootImage,
  type SampleBootImage,
} from '../helpers/real-media.js';

const LABEL = 'CAPTURE_MEDIA_TEST';
const BOOT_LIMIT_MS = 60_000;

let work: string;
let sample: SampleBootImage;
let iso: string;
let isoWithoutWim: string;
let usb: string;

/** PIDs of live processes whose command line mentions `needle`. */
async function processesMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'latin1');
      if (cmdline.includes('qemu-system') && cmdline.includes(needle)) pids.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

async function boot(options: BootOptions): Promise<BootResult> {
  const result = await bootAndWaitForMarker(options);
  const name = `${options.kind}/${options.firmware}`;
  console.log(`# boot ${name}: found=${result.found} elapsed=${result.elapsedMs} ms`);
  if (!result.found) console.log(`# serial log (${name}):\n${result.serialLog}`);
  return result;
}

describe('sample boot image + QEMU harness (real tools)', () => {
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'capture-media-boot-'));
    sample = await makeSampleBootImage(join(work, 'sample'));
    const extracted = join(work, 'extracted');
    await extractWim(sample.wim, extracted);

    const media = join(work, 'media');
    await layoutMedia(extracted, sample.wim, media, { label: LABEL });
    iso = join(work, 'capture.iso');
    await buildIsoWithXorriso(media, iso, LABEL);
    usb = join(work, 'usb.img');
    await buildUsbImageWithMtools(media, usb, LABEL);

    const mediaNoWim = join(work, 'media-no-wim');
    await layoutMedia(extracted, sample.wim, mediaNoWim, { label: LABEL, omitWim: true });
    isoWithoutWim = join(work, 'no-wim.iso');
    await buildIsoWithXorriso(mediaNoWim, isoWithoutWim, LABEL);
  });

  after(async () => {
    if (work) {
      assert.deepEqual(await processesMentioning(work), [], 'no QEMU may outlive the tests');
      await rm(work, { recursive: true, force: true });
    }
  });

  test('the WIM is a bootable x64 image holding the files the media take', async () => {
    const wim = await readFile(sample.wim);
    assert.equal(wim.subarray(0, 8).toString('latin1'), 'MSWIM\0\0\0');
    assert.equal(wim.readUInt32LE(0x10) & 0x40002, 0x40002, 'LZX-compressed');
    assert.equal(wim.readUInt32LE(0x2c), 1, 'one image');
    assert.equal(wim.readUInt32LE(0x78), 1, 'boot index 1');
    assert.ok(wim.length < 8 * 1024 * 1024, `WIM is small (${wim.length} bytes)`);

    const { stdout: xml } = await execa('wiminfo', [sample.wim, '--xml'], { encoding: 'utf16le' });
    assert.match(xml, /<NAME>Microsoft Windows PE \(x64\)<\/NAME>/);
    assert.match(xml, /<ARCH>9<\/ARCH>/);
    assert.match(xml, /<VERSION><MAJOR>10<\/MAJOR><MINOR>0<\/MINOR><BUILD>26100<\/BUILD><SPBUILD>1<\/SPBUILD>/);

    const { stdout: listing } = await execa('wimlib-imagex', ['dir', sample.wim, '1']);
    for (const path of [
      '/Windows/Boot/PCAT/bootmgr',
      '/Windows/Boot/EFI/bootmgr.efi',
      '/Windows/Boot/EFI/bootmgfw.efi',
      '/Windows/Boot/DVD/EFI/BCD',
      '/Windows/Boot/DVD/EFI/en-US/efisys.bin',
      '/Windows/Boot/DVD/PCAT/BCD',
      '/Windows/Boot/DVD/PCAT/boot.sdi',
      '/Windows/Boot/DVD/PCAT/etfsboot.com',
      '/Windows/Boot/Fonts/segmono_boot.ttf',
      '/Windows/Boot/Fonts/wgl4_boot.ttf',
      '/sms/bin/x64/TsmBootstrap.exe',
    ]) {
      assert.ok(listing.split('\n').includes(path), `${path} in the WIM`);
    }
    const etfs = await stat(join(sample.tree, 'Windows/Boot/DVD/PCAT/etfsboot.com'));
    assert.equal(etfs.size, 4096, 'etfsboot.com is 8 x 512 bytes');
    const { stdout: efisys } = await execa('mdir', ['-b', '-/', '-i', join(sample.tree, 'Windows/Boot/DVD/EFI/en-US/efisys.bin'), '::/']);
    assert.match(efisys, /::\/EFI\/BOOT\/BOOTX64\.EFI/);
  });

  test('make-sample-bootimage.sh is reproducible', async () => {
    const again = await makeSampleBootImage(join(work, 'sample-again'));
    assert.equal(
      await readFile(join(again.outDir, 'SHA256SUMS'), 'utf8'),
      await readFile(join(sample.outDir, 'SHA256SUMS'), 'utf8'),
    );
  });

  test('ISO boots under UEFI (OVMF) and finds /sources/boot.wim', async () => {
    const r = await boot({ image: iso, kind: 'iso', firmware: 'uefi', marker: UEFI_MARKER });
    assert.ok(r.found, 'UEFI marker on COM1');
    assert.ok(r.elapsedMs <= BOOT_LIMIT_MS);
  });

  test('ISO boots under BIOS (SeaBIOS) through the no-emulation El Torito entry', async () => {
    const r = await boot({ image: iso, kind: 'iso', firmware: 'bios', marker: BIOS_MARKER });
    assert.ok(r.found, 'BIOS marker on COM1');
    assert.ok(r.elapsedMs <= BOOT_LIMIT_MS);
  });

  test('FAT32 USB image boots under UEFI as a USB stick', async () => {
    const r = await boot({ image: usb, kind: 'usb', firmware: 'uefi', marker: UEFI_MARKER });
    assert.ok(r.found, 'UEFI marker on COM1');
    assert.ok(r.elapsedMs <= BOOT_LIMIT_MS);
  });

  test('harness: an absent marker is not reported (media without boot.wim)', async () => {
    const r = await boot({ image: isoWithoutWim, kind: 'iso', firmware: 'uefi', marker: UEFI_MARKER });
    assert.equal(r.found, false);
    assert.ok(r.serialLog.includes(UEFI_NO_WIM_MARKER), 'booted, and said boot.wim is missing');
    assert.ok(r.elapsedMs <= BOOT_LIMIT_MS, 'returned when the guest powered off, not at the timeout');
  });

  test('harness: times out and leaves no QEMU behind', async () => {
    const r = await boot({ image: iso, kind: 'iso', firmware: 'bios', marker: 'NEVER-PRINTED', timeoutMs: 4000 });
    assert.equal(r.found, false);
    assert.ok(r.elapsedMs >= 4000 && r.elapsedMs < 15_000, `elapsed ${r.elapsedMs} ms`);
    assert.ok(r.serialLog.includes(BIOS_MARKER), 'the guest was running');
    assert.deepEqual(await processesMentioning(iso), []);
  });
});
