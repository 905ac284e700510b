// Secure Boot boot proof: media built by our CLI start in OVMF with Secure Boot enforced and
// Microsoft's keys enrolled when their UEFI loader is Microsoft-signed, and are refused when it is
// not — and the signer report we print beforehand says which will happen.
//
// The boot images are the sample (scripts/make-sample-bootimage.sh) with the UEFI loader replaced:
//   signed     Debian's shimx64.efi.signed (Microsoft Corporation UEFI CA 2011 + Microsoft UEFI CA
//              2023) as bootmgfw.efi and as BOOTX64.EFI inside efisys.bin. Shim's second stage is
//              absent, so shim prints "Failed to open \EFI\BOOT\grubx64.efi": a line that appears only
//              if the firmware verified shim and ran it.
//   unsigned   the sample's own unsigned GRUB: OVMF refuses to load it ("failed to load Boot0001 …:
//              Access Denied", EDK2's status for an unsigned image) and moves on to its next option.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bootAndWaitForMarker } from '../helpers/qemu.js';
import { findSecureBootOvmf, PAST_MEDIUM_MARKER, refusedMediumBoot, SHIM_STARTED_MARKER } from '../helpers/qemu-secure-boot.js';
import { makeSampleBootImage, UEFI_MARKER } from '../helpers/real-media.js';
import { makeBootImageVariant } from '../helpers/boot-image-variants.js';
import { requireSigningPackages, SHIM_SIGNED } from '../helpers/test-signing.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';

const BOOT_TIMEOUT_MS = 120_000;

let dir: string;
let cleanup: () => void;
let signedWim: string;
let unsignedWim: string;

before(async () => {
  requireSigningPackages();
  if (!findSecureBootOvmf()) throw new Error('OVMF with Secure Boot and Microsoft keys is missing: apt-get install ovmf (OVMF_CODE_4M.ms.fd)');
  ({ path: dir, cleanup } = makeTempDir('secure-boot'));
  const sample = await makeSampleBootImage(join(dir, 'sample'));
  signedWim = (await makeBootImageVariant({ sampleTree: sample.tree, dir: join(dir, 'signed'), loader: SHIM_SIGNED })).wim;
  unsignedWim = (await makeBootImageVariant({ sampleTree: sample.tree, dir: join(dir, 'unsigned') })).wim;
});
after(() => cleanup());

async function create(wim: string, mediaType: 'cddvd' | 'usbimage', path: string): Promise<Record<string, unknown>> {
  const r = await runCli(['create', '--media-type', mediaType, '--path', path, '--boot-image', wim, '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** What `boot-images` says of the boot image before any media is built. */
async function signerReport(wim: string): Promise<{ BootManagerSigners: string[]; BootManagerWarning: string | null }> {
  const r = await runCli(['boot-images', '--path', wim, '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return (JSON.parse(r.stdout) as { BootManagerSigners: string[]; BootManagerWarning: string | null }[])[0]!;
}

async function secureBoot(image: string, kind: 'iso' | 'usb', marker: string) {
  const r = await bootAndWaitForMarker({ image, kind, firmware: 'uefi', secureBoot: true, marker, timeoutMs: BOOT_TIMEOUT_MS });
  console.log(`# secure boot ${kind} ${image}: found=${r.found} after ${r.elapsedMs} ms`);
  return r;
}

describe('Secure Boot enforced (OVMF with Microsoft keys)', () => {
  for (const [mediaType, kind, file] of [
    ['cddvd', 'iso', 'capture.iso'],
    ['usbimage', 'usb', 'capture.img'],
  ] as const) {
    test(`${kind}: the Microsoft-signed loader is started by the firmware`, async () => {
      const report = await signerReport(signedWim);
      assert.deepEqual(report.BootManagerSigners, ['Microsoft Corporation UEFI CA 2011', 'Microsoft UEFI CA 2023']);
      assert.equal(report.BootManagerWarning, null, 'the report predicts a boot');
      const out = join(dir, `signed-${file}`);
      await create(signedWim, mediaType, out);
      const r = await secureBoot(out, kind, SHIM_STARTED_MARKER);
      assert.ok(r.found, `shim did not start; serial log:\n${r.serialLog.slice(-3000)}`);
      assert.ok(!refusedMediumBoot(r.serialLog));
    });

    test(`${kind}: the unsigned loader is refused by the firmware`, async () => {
      const report = await signerReport(unsignedWim);
      assert.deepEqual(report.BootManagerSigners, []);
      assert.match(report.BootManagerWarning ?? '', /unsigned: firmware with Secure Boot enabled refuses to start it/, 'the report predicts the refusal');
      const out = join(dir, `unsigned-${file}`);
      await create(unsignedWim, mediaType, out);
      const r = await secureBoot(out, kind, PAST_MEDIUM_MARKER);
      assert.ok(r.found && refusedMediumBoot(r.serialLog), `the firmware did not refuse the medium; serial log:\n${r.serialLog.slice(-3000)}`);
      assert.ok(!r.serialLog.includes(UEFI_MARKER), 'the unsigned GRUB must not have run');
    });
  }
});
