// Matching required devices the way Windows ranks ids: the id, its shorter forms, then compatible
// forms; case-insensitive; against both hardware and compatible ids of INF model lines. Plus the
// warnings for a boot image without network or storage drivers, and DriverMissing.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkBootImageDrivers, classWarnings, parseRequirements, requireDevices } from '../../src/drivers/check.js';
import { classFromIds, idForms, parseDeviceRequirement } from '../../src/drivers/hardware-id.js';
import { readDriverInventory, type DriverInventory } from '../../src/drivers/inventory.js';
import { indexDriverIds, matchDevice } from '../../src/drivers/match.js';
import { CaptureMediaError } from '../../src/errors.js';
import { openWim } from '../../src/wim/index.js';
import { makeDriverWim } from '../helpers/driver-wim.js';
import { netInf } from '../helpers/inf-samples.js';
import { makeTempDir } from '../helpers/temp.js';
import { driverSet, IWAN_ID } from './fixture.js';

let work: { path: string; cleanup: () => void };
let full: DriverInventory;
let netOnly: DriverInventory;
let none: DriverInventory;

async function inventoryOf(wimPath: string): Promise<DriverInventory> {
  const wim = await openWim(wimPath);
  try {
    return await readDriverInventory(await wim.openImage(1), { architecture: 'x64', osVersion: wim.images[0]!.version });
  } finally {
    await wim.close();
  }
}

before(async () => {
  work = makeTempDir('drivers-match');
  full = await inventoryOf(makeDriverWim(work.path, driverSet(), { name: 'full' }));
  netOnly = await inventoryOf(makeDriverWim(work.path, [{ published: 'oem1.inf', content: netInf() }], { name: 'net' }));
  none = await inventoryOf(makeDriverWim(work.path, [], { name: 'none', extra: { 'Windows/System32/winpeshl.ini': '[LaunchApps]\r\n' } }));
});
after(() => work.cleanup());

describe('hardware id forms', () => {
  it('PCI: full id, then shorter hardware forms, then compatible forms (Windows order)', () => {
    assert.deepEqual(idForms('pci\\ven_8086&dev_15f3&subsys_00008086&rev_03'), [
      'PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03',
      'PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086',
      'PCI\\VEN_8086&DEV_15F3&REV_03',
      'PCI\\VEN_8086&DEV_15F3',
      'PCI\\VEN_8086',
    ]);
    assert.deepEqual(idForms('PCI\\VEN_144D&DEV_A808&CC_010802'), [
      'PCI\\VEN_144D&DEV_A808&CC_010802',
      'PCI\\VEN_144D&DEV_A808&CC_0108',
      'PCI\\VEN_144D&DEV_A808',
      'PCI\\VEN_144D&CC_010802',
      'PCI\\VEN_144D&CC_0108',
      'PCI\\VEN_144D',
      'PCI\\CC_010802',
      'PCI\\CC_0108',
    ]);
  });
  it('other buses drop trailing & parts down to two; ids without & stay as they are', () => {
    assert.deepEqual(idForms('USB\\VID_0BDA&PID_8153&REV_3000'), ['USB\\VID_0BDA&PID_8153&REV_3000', 'USB\\VID_0BDA&PID_8153']);
    assert.deepEqual(idForms('ACPI\\PNP0A08'), ['ACPI\\PNP0A08']);
  });
  it('a requirement: optional Class: prefix, several ids of one device, class from a PCI class code', () => {
    assert.deepEqual(parseDeviceRequirement('Net:PCI\\VEN_8086&DEV_15F3'), { text: 'Net:PCI\\VEN_8086&DEV_15F3', ids: ['PCI\\VEN_8086&DEV_15F3'], className: 'Net' });
    assert.equal(parseDeviceRequirement('PCI\\VEN_1&DEV_2&CC_0106, PCI\\CC_010601').className, 'HDC');
    assert.equal(classFromIds(['PCI\\VEN_1&DEV_2&CC_010802']), 'SCSIAdapter');
    assert.equal(classFromIds(['PCI\\VEN_1&DEV_2&CC_020000']), 'Net');
    assert.throws(() => parseRequirements(['  ']), (e: unknown) => e instanceof CaptureMediaError && e.id === 'InvalidParameter');
    assert.throws(() => parseRequirements(['PCI\\VEN 8086']), (e: unknown) => e instanceof CaptureMediaError && e.id === 'InvalidParameter');
  });
});

describe('matching against the boot image', () => {
  const match = (text: string) => matchDevice(parseDeviceRequirement(text), indexDriverIds(full));

  it('specific → generic: the full id matches its own model line first', () => {
    const m = match(IWAN_ID);
    assert.equal(m.matchedId, IWAN_ID);
    assert.equal(m.rank, 0);
    assert.equal(m.drivers[0]!.driver.name, 'net1ic64.inf');
  });
  it('a revision the INF does not list falls back to VEN&DEV (case-insensitive)', () => {
    const m = match('pci\\ven_10ec&dev_8168&subsys_11111111&rev_99');
    assert.equal(m.matchedId, 'PCI\\VEN_10EC&DEV_8168');
    assert.equal(m.drivers[0]!.driver.name, 'oem3.inf');
    assert.ok(m.rank > 0);
  });
  it('compatible ids: a class-code NVMe device is served by the inbox stornvme.inf', () => {
    const m = match('PCI\\VEN_144D&DEV_A808&SUBSYS_A801144D&REV_00,PCI\\VEN_144D&DEV_A808&CC_010802');
    assert.equal(m.matchedId, 'PCI\\CC_010802');
    assert.equal(m.drivers[0]!.driver.name, 'stornvme.inf');
  });
  it("an INF's compatible id matches too (storahci lists PCI\\CC_010601 as one)", () => {
    const m = match('PCI\\VEN_8086&DEV_A352&CC_010601');
    assert.equal(m.matchedId, 'PCI\\CC_010601');
    assert.equal(m.drivers[0]!.asHardwareId, false);
  });
  it('a more specific INF line wins over a generic one', () => {
    const m = match('PCI\\VEN_8086&DEV_A77F&CC_0104');
    assert.equal(m.drivers[0]!.driver.name, 'iastorvd.inf');
  });
  it('unmatched: DriverMissing names each id and the class it needs', () => {
    assert.throws(
      () => requireDevices(full, parseRequirements([IWAN_ID, 'PCI\\VEN_14E4&DEV_1687&CC_0200', 'SCSIAdapter:PCI\\VEN_1000&DEV_0097']), 'boot.wim'),
      (e: unknown) => {
        assert.ok(e instanceof CaptureMediaError);
        assert.equal(e.id, 'DriverMissing');
        assert.equal(e.exitCode, 4);
        assert.match(e.message, /2 of 3 required device/);
        assert.match(e.message, /PCI\\VEN_14E4&DEV_1687&CC_0200 needs a Net class driver/);
        assert.match(e.message, /PCI\\VEN_1000&DEV_0097 needs a SCSIAdapter class driver/);
        assert.equal(e.target, 'PCI\\VEN_14E4&DEV_1687&CC_0200, PCI\\VEN_1000&DEV_0097');
        return true;
      },
    );
  });
});

describe('class warnings', () => {
  it('a boot image with network and storage drivers: no warning', () => {
    assert.deepEqual(classWarnings(full, 'boot.wim'), []);
  });
  it('no storage driver: one warning naming the classes and the cost', () => {
    const w = classWarnings(netOnly, 'boot.wim');
    assert.equal(w.length, 1);
    assert.match(w[0]!, /no storage controller \(SCSIAdapter or HDC class\) driver for x64/);
    assert.match(w[0]!, /may not see the reference computer's disk/);
  });
  it('no driver at all: network and storage warnings', async () => {
    const logs: string[] = [];
    const wim = await openWim(makeDriverWim(work.path, [], { name: 'none2' }));
    try {
      await checkBootImageDrivers({ image: await wim.openImage(1), architecture: 'x64', osVersion: undefined, name: 'boot.wim' }, [], { log: (level, m) => logs.push(`${level}: ${m}`) });
    } finally {
      await wim.close();
    }
    assert.equal(logs.filter((l) => l.startsWith('warning')).length, 2);
    assert.ok(logs.some((l) => /no network \(Net class\) driver for x64.*Sysprep/.test(l)));
    assert.equal(classWarnings(none, 'x').length, 2);
  });
});
