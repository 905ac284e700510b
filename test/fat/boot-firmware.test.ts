// The decisive check for USB media: real UEFI firmware (OVMF under qemu, TCG) finds our MBR +
// FAT32 disk on a USB mass-storage device, mounts the volume and runs \EFI\BOOT\BOOTX64.EFI.
// And under SeaBIOS (legacy BIOS, which we do not support) the MBR's stub says so instead of
// running garbage: with -nographic SeaBIOS mirrors INT 10h text to the serial console.
// BOOTX64.EFI is a GRUB made by grub-mkstandalone whose embedded grub.cfg echoes a marker to the
// console (serial under -nographic) and halts. Two sizes: 256 MiB (2 KiB clusters) and 40 GiB
// (32 KiB clusters, past Windows' 32 GiB format limit; the image is sparse).
// Tools come from scripts/setup.sh (qemu-system-x86, ovmf, grub-efi-amd64-bin).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFat32Disk } from '../../src/fat/emit.js';
import { fileSource } from '../../src/io/content.js';
import { FileSink } from '../../src/io/sink.js';
import { NOT_BOOTABLE_MESSAGE } from '../../src/fat/boot-code.js';
import { FIXED_OPTIONS, GIB, MIB, run, WORK } from './fat-fixture.js';

const DIR = join(WORK, 'uefi');
const MARKER = 'FAT32-UEFI-OK';
const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';
let efi: string;

before(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const cfg = join(DIR, 'grub.cfg');
  writeFileSync(cfg, `echo ${MARKER}\nhalt\n`);
  efi = join(DIR, 'bootx64.efi');
  run('grub-mkstandalone', [
    '-O', 'x86_64-efi',
    '--install-modules=echo halt normal configfile',
    '--modules=echo halt',
    '--locales=', '--fonts=', '--themes=',
    '-o', efi,
    `boot/grub/grub.cfg=${cfg}`,
  ]);
});
after(() => rmSync(DIR, { recursive: true, force: true }));

describe('UEFI firmware boots our FAT32 USB image', { timeout: 120_000 }, () => {
  for (const [name, diskSizeBytes] of [['256MiB', 256 * MIB], ['40GiB', 40 * GIB]] as const) {
    it(`OVMF runs \\EFI\\BOOT\\BOOTX64.EFI from a ${name} disk on USB`, async () => {
      const image = join(DIR, `usb-${name}.img`);
      const vars = join(DIR, `vars-${name}.fd`);
      const sink = await FileSink.create(image);
      await writeFat32Disk(
        {
          files: [
            { path: ['EFI', 'BOOT', 'BOOTX64.EFI'], content: fileSource(efi, statSync(efi).size) },
            { path: ['sources', 'readme.txt'], content: fileSource(efi, 100) },
          ],
        },
        { ...FIXED_OPTIONS, diskSizeBytes },
        sink,
      );
      await sink.close(false);
      copyFileSync(OVMF_VARS, vars);
      const result = spawnSync(
        'qemu-system-x86_64',
        [
          '-m', '256', '-nographic', '-no-reboot', '-net', 'none',
          '-machine', 'q35,accel=tcg',
          '-drive', `if=pflash,format=raw,readonly=on,file=${OVMF_CODE}`,
          '-drive', `if=pflash,format=raw,file=${vars}`,
          '-drive', `if=none,id=usb,format=raw,file=${image}`,
          '-device', 'qemu-xhci', '-device', 'usb-storage,drive=usb',
        ],
        { encoding: 'latin1', timeout: 100_000, maxBuffer: 16 * MIB },
      );
      rmSync(image, { force: true });
      rmSync(vars, { force: true });
      assert.equal(result.error, undefined, String(result.error));
      assert.ok(result.stdout.includes(MARKER), `no ${MARKER} in the console output:\n${result.stdout.slice(-2000)}`);
      assert.match(result.stdout, /USB HARDDRIVE/);
    });
  }
});

describe('a legacy BIOS gets a message, not a hang in garbage', { timeout: 60_000 }, () => {
  it('SeaBIOS runs the MBR stub, which prints that BIOS boot is not supported', async () => {
    const image = join(DIR, 'bios.img');
    const sink = await FileSink.create(image);
    await writeFat32Disk({ files: [] }, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB }, sink);
    await sink.close(false);
    const expected = NOT_BOOTABLE_MESSAGE.split('\r\n')[0]!;
    // The stub waits for a key, so qemu is stopped (by its pid) once the message is out.
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('qemu-system-x86_64', ['-m', '64', '-nographic', '-no-reboot', '-net', 'none', '-machine', 'pc,accel=tcg', '-drive', `file=${image},format=raw`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      const timer = setTimeout(() => child.kill('SIGTERM'), 40_000);
      child.stdout.setEncoding('latin1');
      child.stdout.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes(expected)) child.kill('SIGTERM');
      });
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    rmSync(image, { force: true });
    assert.ok(output.includes('Booting from Hard Disk'), output.slice(-1000));
    assert.ok(output.includes(expected), output.slice(-1000));
  });
});
