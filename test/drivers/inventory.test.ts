// The driver inventory read from real WIMs (wimlib-imagex) holding the INFs of fixture.ts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readDriverInventory, packageIds, type DriverInventory } from '../../src/drivers/inventory.js';
import { openWim } from '../../src/wim/index.js';
import { makeDriverWim } from '../helpers/driver-wim.js';
import { makeTempDir } from '../helpers/temp.js';
import { driverSet } from './fixture.js';

let work: { path: string; cleanup: () => void };
let x64: DriverInventory;
let arm64: DriverInventory;

async function inventoryOf(wimPath: string, architecture: 'x64' | 'arm64'): Promise<DriverInventory> {
  const wim = await openWim(wimPath);
  try {
    const image = await wim.openImage(1);
    return await readDriverInventory(image, { architecture, osVersion: wim.images[0]!.version });
  } finally {
    await wim.close();
  }
}

before(async () => {
  work = makeTempDir('drivers-inventory');
  x64 = await inventoryOf(makeDriverWim(work.path, driverSet(), { name: 'x64' }), 'x64');
  arm64 = await inventoryOf(makeDriverWim(work.path, driverSet(), { name: 'arm64', arch: 12 }), 'arm64');
});
after(() => work.cleanup());

describe('driver inventory of a boot image', () => {
  it('lists each package once, published name first, with its store copy', () => {
    assert.deepEqual(
      x64.drivers.map((d) => [d.name, d.origin, d.className, d.provider]),
      [
        ['net1ic64.inf', 'Inbox', 'Net', 'Intel'],
        ['oem3.inf', 'Added', 'Net', 'Realtek'],
        ['storahci.inf', 'Inbox', 'HDC', 'Microsoft'],
        ['stornvme.inf', 'Inbox', 'SCSIAdapter', 'Microsoft'],
        ['iastorvd.inf', 'Added', 'SCSIAdapter', 'Intel Corporation'],
      ],
    );
    assert.equal(x64.infFiles, 10);
    const oem = x64.drivers.find((d) => d.name === 'oem3.inf')!;
    assert.equal(oem.path, 'Windows\\INF\\oem3.inf');
    assert.equal(oem.storePath, 'Windows\\System32\\DriverStore\\FileRepository\\rt640x64.inf_amd64_2c34e6b5a7e4d1f0\\rt640x64.inf');
    assert.equal(oem.driverVersion, '2.1.3.15');
    assert.equal(oem.driverDate, '2023-07-12');
    assert.equal(x64.drivers.find((d) => d.name === 'storahci.inf')!.storePath, undefined);
    assert.equal(x64.drivers.find((d) => d.name === 'iastorvd.inf')!.path, 'Windows\\System32\\DriverStore\\FileRepository\\iastorvd.inf_amd64_5e6f7a8b9c0d1e2f\\iastorvd.inf');
  });

  it('reads the ids of the models section for the image architecture', () => {
    assert.deepEqual(packageIds(x64.drivers[1]!), { hardwareIds: ['PCI\\VEN_10EC&DEV_8168&SUBSYS_86771043&REV_15', 'PCI\\VEN_10EC&DEV_8168'], compatibleIds: [] });
    assert.deepEqual(packageIds(x64.drivers.find((d) => d.name === 'storahci.inf')!), { hardwareIds: ['PCI\\VEN_1022&DEV_7901'], compatibleIds: ['PCI\\CC_010601'] });
    const armNet = arm64.drivers.find((d) => d.name === 'net1ic64.inf')!;
    assert.deepEqual(packageIds(armNet).hardwareIds, ['PCI\\VEN_8086&DEV_ARM1']);
    // x64-only INFs list no device on arm64 (but are still inventoried).
    assert.deepEqual(arm64.drivers.find((d) => d.name === 'storahci.inf')!.models, []);
  });

  it('passes over what is not a driver INF, and reads broken UTF-16 with problems', () => {
    assert.deepEqual(
      x64.skipped.map((s) => s.path),
      ['Windows\\INF\\broken.inf', 'Windows\\INF\\layout.inf'],
    );
  });
});
