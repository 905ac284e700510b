// Parsing Get-Disk / Get-Partition / Get-Volume output into DiskInfo, and every safety verdict
// judgeDisk gives over the parsed fixtures.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeDisk, type DiskInfo } from '../../../src/disk/model.js';
import { asArray, buildDiskInfos, parseDisks, parsePartitions, parseVolumes, parsePageFiles, parseSystemRoot } from '../../../src/disk/windows/get-disk.js';
import { judgeWindowsDisk } from '../../../src/disk/windows/safety.js';
import { WindowsDiskProvider } from '../../../src/disk/windows/provider.js';
import { fixture, workstationSession, safetyContext } from './fixtures.js';

function workstation(diskFixture = 'workstation.get-disk.json'): DiskInfo[] {
  return buildDiskInfos({
    disks: parseDisks(fixture(diskFixture)),
    partitions: parsePartitions(fixture('workstation.get-partition.json')),
    volumes: parseVolumes(fixture('workstation.get-volume.json')),
    systemRoot: parseSystemRoot(fixture('workstation.system-root.txt')),
    pageFiles: parsePageFiles(fixture('workstation.pagefile.json')),
  });
}

function disk(disks: DiskInfo[], n: number): DiskInfo {
  const d = disks.find((x) => x.number === n);
  assert.ok(d, `disk ${n} in the fixture`);
  return d;
}

const context = safetyContext;

describe('ConvertTo-Json shapes', () => {
  test('no output is an empty list, one object is a one-element list, an array stays an array', () => {
    assert.deepEqual(asArray('q', ''), []);
    assert.deepEqual(asArray('q', '\r\n'), []);
    assert.equal(asArray('q', fixture('vm-single.get-disk.json')).length, 1);
    assert.equal(asArray('q', fixture('workstation.get-disk.json')).length, 5);
  });

  test('a single disk (not an array) parses: the VMware system disk recorded in ansible/ansible#51595', () => {
    const [vm] = parseDisks(fixture('vm-single.get-disk.json'));
    assert.ok(vm);
    assert.equal(vm.number, 0);
    assert.equal(vm.busType, 'SAS');
    assert.equal(vm.sizeBytes, 53687091200);
    assert.equal(vm.serialNumber, undefined);
    assert.equal(vm.uniqueId, 'SCSI\\DISK&VEN_VMWARE&PROD_VIRTUAL_DISK\\5&1982005&0&000000:autotest');
    const [info] = buildDiskInfos({ disks: [vm], partitions: [], volumes: [], systemRoot: undefined, pageFiles: [] });
    assert.equal(info?.isSystem, true);
    assert.equal(judgeDisk(info!, context()).usable, false);
  });

  test('BusType and PartitionStyle as enum numbers give the same disks as the names', () => {
    assert.deepEqual(workstation('workstation.get-disk.numeric.json'), workstation());
  });

  test('enum numbers map to Get-Disk names (STORAGE_BUS_TYPE order); SD and MMC count as removable', () => {
    const row = (busType: number) => JSON.stringify({ ...JSON.parse(fixture('vm-single.get-disk.json')), BusType: busType, IsSystem: false, IsBoot: false });
    const names = [7, 12, 13, 15, 17, 1, 11, 8, 99].map((b) => parseDisks(row(b))[0]?.busType);
    assert.deepEqual(names, ['USB', 'SD', 'MMC', 'File Backed Virtual', 'NVMe', 'SCSI', 'SATA', 'RAID', 'Unknown (99)']);
    const removable = [7, 12, 13, 15, 17, 1].map((b) => buildDiskInfos({ disks: parseDisks(row(b)), partitions: [], volumes: [], systemRoot: undefined, pageFiles: [] })[0]?.removable);
    assert.deepEqual(removable, [true, true, true, false, false, false]);
  });

  test('the BOM some hosts put before output, and garbage, are handled', () => {
    assert.equal(parseDisks(`\uFEFF${fixture('vm-single.get-disk.json')}`).length, 1);
    assert.throws(() => parseDisks('Get-Disk : Access denied'), { id: 'PowerShellFailed' });
    assert.throws(() => parseDisks('{"Number": "zero"}'), { id: 'PowerShellFailed' });
  });
});

describe('real recordings (test/fixtures/disk/windows/README.md says where each comes from)', () => {
  const alone = (name: string) => buildDiskInfos({ disks: parseDisks(fixture(name)), partitions: [], volumes: [], systemRoot: undefined, pageFiles: [] });

  test('offline disk from a lab transcript (raw numbers over remoting): DiskOffline, even with allowFixedDisk; the IDE system disk: DiskIsSystem', () => {
    const disks = alone('lab-offline.get-disk.json');
    assert.deepEqual(
      disks.map((d) => [d.number, d.busType, d.offline, d.readOnly]),
      [
        [0, 'ATA', false, false],
        [1, 'SAS', true, true],
      ],
    );
    const offline = judgeWindowsDisk(disk(disks, 1), context({ allowFixedDisk: true }));
    assert.equal(offline.usable === false && offline.id, 'DiskOffline');
    assert.match(offline.usable === false ? offline.reason : '', /offline/i);
    const system = judgeWindowsDisk(disk(disks, 0), context({ allowFixedDisk: true }));
    assert.equal(system.usable === false && system.id, 'DiskIsSystem');
  });

  test('a 1 TB NVMe SSD in a USB enclosure that reports BusType USB (HIKSEMI MD202): usable, as USB', () => {
    const [enclosure] = alone('usb-nvme-enclosure.get-disk.json');
    assert.ok(enclosure);
    assert.equal(enclosure.busType, 'USB');
    assert.equal(enclosure.sizeBytes, 1024209543168);
    assert.equal(judgeWindowsDisk(enclosure, context()).usable, true);
  });

  test('Windows PowerShell 5.1 writes a partition without a letter as "DriveLetter": null (JavaScriptSerializer), pwsh 7 as "\\u0000": both mean none', () => {
    const row = (letter: unknown) => JSON.stringify({ DiskNumber: 1, PartitionNumber: 1, DriveLetter: letter, Size: 1024, AccessPaths: null });
    for (const none of [null, '\u0000', '', 0]) assert.equal(parsePartitions(row(none))[0]?.driveLetter, undefined, JSON.stringify(none));
    assert.equal(parsePartitions(row('e'))[0]?.driveLetter, 'E');
    assert.equal(parsePartitions(row(69))[0]?.driveLetter, 'E');
  });
});

describe('DiskInfo from the workstation fixture', () => {
  const disks = workstation();

  test('paths, numbers, bus types and removable flags', () => {
    assert.deepEqual(
      disks.map((d) => [d.path, d.number, d.busType, d.removable]),
      [
        ['\\\\.\\PhysicalDrive0', 0, 'NVMe', false],
        ['\\\\.\\PhysicalDrive1', 1, 'USB', true],
        ['\\\\.\\PhysicalDrive2', 2, 'SCSI', false],
        ['\\\\.\\PhysicalDrive3', 3, 'SATA', false],
        ['\\\\.\\PhysicalDrive4', 4, 'USB', true],
      ],
    );
  });

  test('the USB stick: identity fields, one FAT32 partition mounted at E:', () => {
    const stick = disk(disks, 1);
    assert.equal(stick.model, 'SanDisk Ultra');
    assert.equal(stick.serial, '4C530001230517115433');
    assert.equal(stick.sizeBytes, 30752636928);
    assert.deepEqual(stick.partitions, [
      { path: 'Disk 1 Partition 1', sizeBytes: 30751588352, mountpoints: ['E:'], fileSystem: 'FAT32', label: 'SANDISK' },
    ]);
  });

  test('serial numbers padded with spaces by the bridge are trimmed', () => {
    assert.equal(disk(disks, 3).serial, 'WD-WCC6Y0ABCDEF');
  });

  test('partitions without a letter (NUL char) have no mountpoint; folder mount points are kept', () => {
    const nvme = disk(disks, 0);
    assert.deepEqual(
      nvme.partitions.map((p) => [p.path, p.mountpoints, p.fileSystem]),
      [
        ['Disk 0 Partition 1', [], 'FAT32'],
        ['Disk 0 Partition 2', [], undefined],
        ['Disk 0 Partition 3', ['C:'], 'NTFS'],
        ['Disk 0 Partition 4', [], 'NTFS'],
      ],
    );
    assert.deepEqual(disk(disks, 2).partitions[1]?.mountpoints, ['F:', 'C:\\Backups\\']);
  });

  test('a disk holding the Windows directory or a page file is a system disk even when Get-Disk says otherwise', () => {
    const flagsOff = parseDisks(fixture('workstation.get-disk.json')).map((d) => (d.number === 0 ? { ...d, isSystem: false, isBoot: false } : d));
    const build = (systemRoot: string | undefined, pageFiles: string[]) =>
      buildDiskInfos({
        disks: flagsOff,
        partitions: parsePartitions(fixture('workstation.get-partition.json')),
        volumes: parseVolumes(fixture('workstation.get-volume.json')),
        systemRoot,
        pageFiles,
      });
    assert.equal(disk(build('C:\\Windows', []), 0).isSystem, true);
    assert.equal(disk(build(undefined, ['C:\\pagefile.sys']), 0).isSystem, true);
    assert.equal(disk(build(undefined, ['F:\\pagefile.sys']), 2).isSystem, true);
    assert.equal(disk(build(undefined, []), 0).isSystem, false);
  });
});

describe('safety verdicts (judgeDisk over the parsed fixtures)', () => {
  const disks = workstation();

  test('USB stick: usable on Windows (diskpart clean releases its drive letter)', () => {
    const verdict = judgeWindowsDisk(disk(disks, 1), context());
    assert.equal(verdict.usable, true, verdict.reason);
  });

  // Why Windows has its own rule: diskpart's clean releases the letter. The disks listing uses the
  // provider's rule too (recorded-machines.test.ts), so it agrees with create.
  test('USB stick: the platform-neutral rule alone calls its drive letter "mounted"', () => {
    const verdict = judgeDisk(disk(disks, 1), context());
    assert.equal(verdict.usable, false);
    assert.equal(verdict.usable === false && verdict.id, 'DiskMounted');
  });

  test('USB-attached SSD reported as SCSI (UASP bridge): DiskNotRemovable unless allowFixedDisk', () => {
    const ssd = disk(disks, 2);
    const refused = judgeWindowsDisk(ssd, context());
    assert.equal(refused.usable === false && refused.id, 'DiskNotRemovable');
    assert.equal(judgeWindowsDisk(ssd, context({ allowFixedDisk: true })).usable, true);
  });

  test('system NVMe disk: DiskIsSystem, even with allowFixedDisk', () => {
    const v = judgeWindowsDisk(disk(disks, 0), context({ allowFixedDisk: true }));
    assert.equal(v.usable === false && v.id, 'DiskIsSystem');
  });

  test('offline disk: DiskOffline', () => {
    const v = judgeWindowsDisk(disk(disks, 3), context({ allowFixedDisk: true }));
    assert.equal(v.usable === false && v.id, 'DiskOffline');
  });

  test('card reader with no media (Size 0): DiskTooSmall', () => {
    const v = judgeWindowsDisk(disk(disks, 4), context());
    assert.equal(v.usable === false && v.id, 'DiskTooSmall');
  });

  test('a disk holding the output folder: DiskInUseBySource (found through diskOfPath)', async () => {
    const provider = new WindowsDiskProvider(workstationSession());
    const outputDisk = await provider.diskOfPath('E:\\media\\capture.iso');
    assert.equal(outputDisk, '\\\\.\\PhysicalDrive1');
    const v = judgeWindowsDisk(disk(disks, 1), context({ disksInUse: new Map([[outputDisk!, 'the output folder E:\\media']]) }));
    assert.equal(v.usable === false && v.id, 'DiskInUseBySource');
  });
});
