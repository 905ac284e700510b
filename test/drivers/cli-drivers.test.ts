// The driver check through the real CLI: `create --require-hardware-id` fails with DriverMissing
// (exit 4) before any byte is written, passes when every device is served, warns about a boot
// image without network/storage drivers; `boot-images --drivers` lists packages as a table or JSON.

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { runCli } from '../helpers/cli.js';
import { makeDriverWim } from '../helpers/driver-wim.js';
import { makeTempDir } from '../helpers/temp.js';
import { WINPE_BOOT_FILES } from '../helpers/wim-fixture.js';
import { driverSet, IWAN_ID } from './fixture.js';

let work: { path: string; cleanup: () => void };
let wim: string;
let bare: string;
const BROADCOM = 'PCI\\VEN_14E4&DEV_1687&SUBSYS_0C0C1028&REV_10';

before(() => {
  work = makeTempDir('drivers-cli');
  const boot = Object.fromEntries(Object.entries(WINPE_BOOT_FILES).map(([p, size]) => [p, randomBytes(size)]));
  wim = makeDriverWim(work.path, driverSet(), { name: 'winpe', extra: boot });
  bare = makeDriverWim(work.path, [], { name: 'bare', extra: boot });
});
after(() => work.cleanup());

interface JsonError {
  error: { id: string; category: string; message: string; target: string };
}

describe('create --require-hardware-id', () => {
  it('an unserved device: DriverMissing, exit 4, and no output file or temp file', async () => {
    const out = join(work.path, 'missing', 'capture.iso');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(work.path, 'missing')));
    const r = await runCli(['create', '--media-type', 'cddvd', '--path', out, '--boot-image', wim, '--require-hardware-id', IWAN_ID, '--require-hardware-id', `Net:${BROADCOM}`, '--json']);
    assert.equal(r.code, 4, r.stderr);
    const e = (JSON.parse(r.stdout) as JsonError).error;
    assert.equal(e.id, 'DriverMissing');
    assert.equal(e.category, 'InvalidData');
    assert.match(e.message, /PCI\\VEN_14E4&DEV_1687&SUBSYS_0C0C1028&REV_10 needs a Net class driver/);
    assert.doesNotMatch(e.message, /VEN_8086&DEV_15F3 needs/);
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(join(work.path, 'missing')), []);
  });

  it('usbimage: the same check, before the image file exists', async () => {
    const out = join(work.path, 'capture.img');
    const r = await runCli(['create', '--media-type', 'usbimage', '--path', out, '--boot-image', bare, '--require-hardware-id', 'PCI\\VEN_144D&DEV_A808&CC_010802']);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /ERROR \[DriverMissing\].*needs a SCSIAdapter class driver/);
    assert.equal(existsSync(out), false);
  });

  it('every device served: the media is written and the log says which INF serves each', async () => {
    const out = join(work.path, 'ok.iso');
    const r = await runCli([
      'create', '--media-type', 'cddvd', '--path', out, '--boot-image', wim,
      '--require-hardware-id', IWAN_ID.toLowerCase(),
      '--require-hardware-id', 'PCI\\VEN_144D&DEV_A808&SUBSYS_A801144D&REV_00,PCI\\VEN_144D&DEV_A808&CC_010802',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(out));
    assert.match(r.stderr, /Driver check: pci\\ven_8086&dev_15f3&subsys_00008086&rev_03 is served through its id by net1ic64\.inf \(Net, Intel 2\.1\.3\.15, inbox\)/);
    assert.match(r.stderr, /served through the form PCI\\CC_010802 by stornvme\.inf/);
    // No driver warning (the one warning left is the missing capture launcher: no --client-source).
    assert.doesNotMatch(r.stderr, /WARNING: (?!The media has no SMS)/);
  });

  it('a boot image without network or storage drivers: two warnings, media still written', async () => {
    const out = join(work.path, 'bare.iso');
    const r = await runCli(['create', '--media-type', 'cddvd', '--path', out, '--boot-image', bare, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /WARNING: The boot image bare\.wim has no network \(Net class\) driver for x64/);
    assert.match(r.stderr, /WARNING: The boot image bare\.wim has no storage controller \(SCSIAdapter or HDC class\) driver for x64/);
  });

  it('an empty id is an argument error (exit 2) before the boot image is read', async () => {
    const r = await runCli(['create', '--media-type', 'cddvd', '--path', join(work.path, 'x.iso'), '--boot-image', wim, '--require-hardware-id', ' , ', '--json']);
    assert.equal(r.code, 2);
    assert.equal((JSON.parse(r.stdout) as JsonError).error.id, 'InvalidParameter');
  });
});

describe('boot-images --drivers', () => {
  it('a table by class: network and storage by default', async () => {
    const r = await runCli(['boot-images', '--path', wim, '--drivers']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^winpe\.wim \(x64\) - HDC: 1$/m);
    assert.match(r.stdout, /^winpe\.wim \(x64\) - Net: 2$/m);
    assert.match(r.stdout, /^winpe\.wim \(x64\) - SCSIAdapter: 2$/m);
    assert.match(r.stdout, /^oem3\.inf\s+Added\s+Realtek\s+2\.1\.3\.15\s+2023-07-12\s+2$/m);
    assert.match(r.stdout, /^storahci\.inf\s+Inbox\s+Microsoft\s+10\.0\.26100\.2\s+2006-06-21\s+1 \(\+1 compatible\)$/m);
  });

  it('--json: one object per package with its ids; --driver-class picks classes', async () => {
    const r = await runCli(['boot-images', '--path', wim, '--drivers', '--driver-class', 'hdc', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0], {
      BootImage: 'winpe.wim',
      Architecture: 'x64',
      Class: 'HDC',
      Inf: 'storahci.inf',
      Origin: 'Inbox',
      Provider: 'Microsoft',
      Version: '10.0.26100.2',
      Date: '2006-06-21',
      HardwareIds: ['PCI\\VEN_1022&DEV_7901'],
      CompatibleIds: ['PCI\\CC_010601'],
      ClassGuid: '4d36e96a-e325-11ce-bfc1-08002be10318',
      Path: 'Windows\\INF\\storahci.inf',
      StorePath: null,
      Problems: [],
    });
  });

  it('warns for a boot image without such drivers; --driver-class without --drivers is a conflict', async () => {
    const r = await runCli(['boot-images', '--path', bare, '--drivers']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /No driver of the requested classes/);
    assert.match(r.stderr, /WARNING: .*no network \(Net class\) driver/);
    const c = await runCli(['boot-images', '--path', bare, '--driver-class', 'Net', '--json']);
    assert.equal(c.code, 2);
    assert.equal((JSON.parse(c.stdout) as JsonError).error.id, 'ParameterConflict');
  });
});

describe('verify --require-hardware-id (media already written)', () => {
  let iso: string;
  let img: string;
  before(async () => {
    iso = join(work.path, 'verify.iso');
    img = join(work.path, 'verify.img');
    for (const [type, out] of [['cddvd', iso], ['usbimage', img]] as const) {
      const r = await runCli(['create', '--media-type', type, '--path', out, '--boot-image', wim, '--json']);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  it('an ISO: the boot.wim is read in place; served devices are counted, a missing one is DriverMissing', async () => {
    const ok = await runCli(['verify', '--path', iso, '--require-hardware-id', IWAN_ID, '--require-hardware-id', 'PCI\\VEN_8086&DEV_7D0B', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const [row] = JSON.parse(ok.stdout) as { Verified: boolean; DevicesServed: number }[];
    assert.equal(row!.Verified, true);
    assert.equal(row!.DevicesServed, 2);
    const bad = await runCli(['verify', '--path', iso, '--require-hardware-id', BROADCOM, '--json']);
    assert.equal(bad.code, 4);
    assert.equal((JSON.parse(bad.stdout) as JsonError).error.id, 'DriverMissing');
  });

  it('a FAT32 disk image: the same check through a staged copy of boot.wim', async () => {
    const bad = await runCli(['verify', '--path', img, '--require-hardware-id', `Net:${BROADCOM}`]);
    assert.equal(bad.code, 4, bad.stderr);
    assert.match(bad.stderr, /ERROR \[DriverMissing\].*needs a Net class driver/);
    const ok = await runCli(['verify', '--path', img, '--require-hardware-id', 'PCI\\VEN_10EC&DEV_8168&SUBSYS_11111111&REV_01', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { DevicesServed: number }[])[0]!.DevicesServed, 1);
  });
});
