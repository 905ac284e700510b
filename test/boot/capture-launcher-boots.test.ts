// Media that carry the capture launcher still boot (issue 18): the sample boot image (a GRUB EFI
// stand-in and a BIOS stand-in, scripts/fixtures/README.md) built into an ISO with --template, a
// console-shaped stand-in medium whose SMS\ tree replaces the boot image's sms\bin, booted in
// OVMF (UEFI: the marker is printed only after \sources\boot.wim was found) and SeaBIOS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bootAndWaitForMarker } from '../helpers/qemu.js';
import { BIOS_MARKER, extractWim, makeSampleBootImage, UEFI_MARKER } from '../helpers/real-media.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { consoleTemplateTree, udfBridgeIso } from '../helpers/console-media.js';

let dir: string;
let cleanup: () => void;
let iso: string;

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('boot-launcher'));
  const sample = await makeSampleBootImage(join(dir, 'sample'));
  await extractWim(sample.wim, join(dir, 'extracted'));
  // A UDF bridge template, as console media written with CreateMedia /T:UDF would be.
  const template = udfBridgeIso(consoleTemplateTree(join(dir, 'console'), sample.wim, join(dir, 'extracted')), join(dir, 'console.iso'));
  iso = join(dir, 'capture.iso');
  const r = await runCli(['create', '--media-type', 'cddvd', '--path', iso, '--boot-image', sample.wim, '--template', template, '--require-capture-launcher', '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal((JSON.parse(r.stdout) as { CaptureLauncher: boolean }).CaptureLauncher, true);
});
after(() => cleanup());

describe('an ISO built with --template boots in real firmware', () => {
  for (const [firmware, marker] of [['uefi', UEFI_MARKER], ['bios', BIOS_MARKER]] as const) {
    test(`${firmware === 'uefi' ? 'OVMF finds \\sources\\boot.wim' : 'SeaBIOS runs etfsboot.com'}`, async () => {
      const r = await bootAndWaitForMarker({ image: iso, kind: 'iso', firmware, marker, timeoutMs: 60_000 });
      assert.ok(r.found, `${marker} not seen within 60 s (${firmware}); serial log:\n${r.serialLog.slice(-2000)}`);
    });
  }
});
