// Machines recorded in public sources (test/fixtures/disk/windows/README.md says where each comes
// from and which values are real, inferred or reconstructed), taken through everything the
// Windows disk layer does with Get-Disk output: parsing, the safety verdicts, the disks listing
// (Get-CaptureMediaDisk), resolving -Path, and the identity re-check just before diskpart.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { identityOf, type DiskInfo, type SafetyContext } from '../../../src/disk/model.js';
import { listDisksWithVerdicts } from '../../../src/disk/disk-rows.js';
import {
  buildDiskInfos,
  getDiskByNumberScript,
  getPartitionByDriveLetterScript,
  getPartitionsOfDiskScript,
  getVolumesOfDiskScript,
  GET_VOLUME_SCRIPT,
  parseDisks,
  parsePageFiles,
  parsePartitions,
  parseSystemRoot,
  parseVolumes,
} from '../../../src/disk/windows/get-disk.js';
import { judgeWindowsDisk } from '../../../src/disk/windows/safety.js';
import { WindowsDiskProvider } from '../../../src/disk/windows/provider.js';
import { diskpartScript, prepareWindowsDisk, whatIfPlan } from '../../../src/disk/windows/diskpart.js';
import { FakePowerShellSession } from '../../fakes/windows/fake-powershell-session.js';
import { fakeDiskpart } from '../../fakes/windows/fake-diskpart.js';
import { formatResultText } from '../../../src/cli/present.js';
import { diskRow, fixture, fixtureWith, machineSession, type MachineFixtures, safetyContext } from './fixtures.js';

const context = safetyContext;
/** What `capture-media disks` / Get-CaptureMediaDisk judges with (src/job/commands/disks.ts): no size requirement. */
const LISTING: SafetyContext = { disksInUse: new Map(), requiredBytes: 0, allowFixedDisk: false };
const noSleep = async (): Promise<void> => {};

const LAPTOP: MachineFixtures = {
  disks: 'laptop-card-reader.get-disk.json',
  partitions: 'laptop-card-reader.get-partition.json',
  volumes: 'laptop-card-reader.get-volume.json',
};
const NVME_LAPTOP: MachineFixtures = { disks: 'nvme-laptop.get-disk.json' };
const SANDISK: MachineFixtures = { disks: 'usb-sandisk-3.2gen1.get-disk.json' };
const KINGSTON: MachineFixtures = {
  disks: 'nvme-card-reader-with-card.get-disk.json',
  partitions: 'nvme-card-reader-with-card.get-partition.json',
  volumes: 'nvme-card-reader-with-card.get-volume.json',
};

async function listOf(machine: MachineFixtures): Promise<DiskInfo[]> {
  return new WindowsDiskProvider(machineSession(machine)).list();
}

function disk(disks: readonly DiskInfo[], n: number): DiskInfo {
  const d = disks.find((x) => x.number === n);
  assert.ok(d, `disk ${n} in the fixture`);
  return d;
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error & { id?: string }> {
  return promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => {
      assert.ok(e instanceof Error);
      return e as Error & { id?: string };
    },
  );
}

/**
 * The session prepareWindowsDisk talks to for disk N: the first Get-Disk -Number N (the identity
 * re-check) answers `recheck`, later ones `after`; after diskpart the disk shows one FAT32
 * partition G: — the reconstructed usb-stick "after" state moved to disk N (the success check
 * counts partitions and FAT32 volumes and reads the letter; it does not compare sizes).
 */
function prepareSession(n: number, recheck: string, after: string): FakePowerShellSession {
  return new FakePowerShellSession([
    { match: (s) => s === getDiskByNumberScript(n), output: recheck, times: 1 },
    { match: (s) => s === getDiskByNumberScript(n), output: after },
    { match: (s) => s === getPartitionsOfDiskScript(n), output: fixtureWith('usb-stick.after.get-partition-1.json', { DiskNumber: n }) },
    { match: (s) => s === getVolumesOfDiskScript(n), output: fixture('usb-stick.after.get-volume-1.json') },
  ]);
}

describe('HP laptop with an empty two-slot USB card reader (laptop-card-reader.*, code-search index file id 11036048972)', () => {
  test('Get-Disk prints disks 0, 2, 1: list() orders them by number, the same whatever order they come in', async () => {
    const parsed = parseDisks(fixture(LAPTOP.disks));
    assert.deepEqual(
      parsed.map((d) => d.number),
      [0, 2, 1],
    );
    const listed = await listOf(LAPTOP);
    assert.deepEqual(
      listed.map((d) => [d.number, d.model]),
      [
        [0, 'WD Blue SN570 2TB'],
        [1, 'Generic- SD/MMC'],
        [2, 'Generic- SD/MMC/MS/MSPRO'],
      ],
    );
    const rest = {
      partitions: parsePartitions(fixture('laptop-card-reader.get-partition.json')),
      volumes: parseVolumes(fixture('laptop-card-reader.get-volume.json')),
      systemRoot: parseSystemRoot(fixture('workstation.system-root.txt')),
      pageFiles: parsePageFiles(fixture('workstation.pagefile.json')),
    };
    assert.deepEqual(buildDiskInfos({ disks: [...parsed].reverse(), ...rest }), listed);
    assert.deepEqual(buildDiskInfos({ disks: [...parsed].sort((a, b) => a.number - b.number), ...rest }), listed);
  });

  test('a disk number names the disk with that Number, not the one at that place in the output', async () => {
    const provider = new WindowsDiskProvider(machineSession(LAPTOP));
    assert.equal((await provider.resolve('2')).model, 'Generic- SD/MMC/MS/MSPRO');
    assert.equal((await provider.resolve('\\\\.\\PhysicalDrive1')).model, 'Generic- SD/MMC');
  });

  test('both empty slots (USB, Size 0, RAW, no partition): DiskTooSmall saying there is no medium, whatever the media needs', async () => {
    const disks = await listOf(LAPTOP);
    for (const n of [1, 2]) {
      const reader = disk(disks, n);
      assert.deepEqual([reader.busType, reader.removable, reader.sizeBytes, reader.partitions], ['USB', true, 0, []]);
      // LISTING has requiredBytes 0: before the zero-size rule in judgeDisk, "0 < 0" made the
      // disks listing call an empty reader usable.
      for (const ctx of [context(), LISTING, context({ allowFixedDisk: true })]) {
        const v = judgeWindowsDisk(reader, ctx);
        assert.equal(v.usable === false && v.id, 'DiskTooSmall', `disk ${n}, requiredBytes ${ctx.requiredBytes}`);
        assert.match(v.reason, new RegExp(`^\\\\\\\\\\.\\\\PhysicalDrive${n} reports a size of 0 bytes: there is no medium in it \\(a card reader without a card\\?\\)`));
      }
    }
  });

  test('the NVMe disk holding C:, SYSTEM and Windows RE tools: DiskIsSystem even with allowFixedDisk — and without the (inferred) IsSystem/IsBoot flags', async () => {
    const nvme = disk(await listOf(LAPTOP), 0);
    assert.deepEqual(
      nvme.partitions.map((p) => [p.mountpoints, p.fileSystem, p.label]),
      [
        [[], 'FAT32', 'SYSTEM'],
        [[], undefined, undefined],
        [['C:'], 'NTFS', 'Windows'],
        [[], 'NTFS', 'Windows RE tools'],
        [[], 'NTFS', undefined],
      ],
    );
    const v = judgeWindowsDisk(nvme, context({ allowFixedDisk: true }));
    assert.equal(v.usable === false && v.id, 'DiskIsSystem');
    // The record did not select IsSystem/IsBoot; the Windows directory on C: decides on its own.
    const flagsOff = parseDisks(fixture(LAPTOP.disks)).map((d) => ({ ...d, isSystem: false, isBoot: false }));
    const rebuilt = buildDiskInfos({
      disks: flagsOff,
      partitions: parsePartitions(fixture('laptop-card-reader.get-partition.json')),
      volumes: parseVolumes(fixture('laptop-card-reader.get-volume.json')),
      systemRoot: 'C:\\Windows',
      pageFiles: [],
    });
    assert.equal(disk(rebuilt, 0).isSystem, true);
  });

  test('Get-CaptureMediaDisk rows: the system disk and the two empty slots, none usable', async () => {
    const rows = await listDisksWithVerdicts(new WindowsDiskProvider(machineSession(LAPTOP)), LISTING);
    assert.deepEqual(
      rows.map((r) => [r.Number, r.Model, r.Serial, r.Bus, r.SizeBytes, r.Mounted, r.Usable, r.Verdict]),
      [
        [0, 'WD Blue SN570 2TB', null, 'NVMe', 2000398934016, ['C:'], false, 'DiskIsSystem'],
        [1, 'Generic- SD/MMC', null, 'USB', 0, [], false, 'DiskTooSmall'],
        [2, 'Generic- SD/MMC/MS/MSPRO', null, 'USB', 0, [], false, 'DiskTooSmall'],
      ],
    );
    assert.match(rows[1]?.Reason ?? '', /no medium/);
  });

  test('-Path D: or E: (an empty slot keeps its letter; no partition carries it): DiskNotFound saying there is no medium, and no disk is listed', async () => {
    for (const [target, letter] of [
      ['D:', 'D'],
      ['e', 'E'],
      ['E:\\', 'E'],
    ] as const) {
      const session = machineSession(LAPTOP);
      const error = await rejection(new WindowsDiskProvider(session).resolve(target));
      assert.equal(error.id, 'DiskNotFound', target);
      assert.match(error.message, new RegExp(`^Drive ${letter}: has no medium in it .*a card reader without a card\\?`), target);
      // Only the by-letter lookup and the constant Get-Volume listing ran: nothing picked a disk.
      assert.deepEqual(session.scripts, [getPartitionByDriveLetterScript(letter), GET_VOLUME_SCRIPT], target);
    }
  });

  test('-Path C: resolves to disk 0 (refused as the system disk); a letter Windows does not have keeps the old message', async () => {
    const provider = new WindowsDiskProvider(machineSession(LAPTOP));
    const c = await provider.resolve('C:');
    assert.equal(c.path, '\\\\.\\PhysicalDrive0');
    const v = provider.judge(c, context());
    assert.equal(v.usable === false && v.id, 'DiskIsSystem');
    const error = await rejection(provider.resolve('Q:'));
    assert.equal(error.id, 'DiskNotFound');
    assert.match(error.message, /No local disk partition has the drive letter Q: \(a network or subst drive is not a disk\)/);
  });
});

describe('laptop with two NVMe SSDs (nvme-laptop.get-disk.json, code-search index file id 9971136629)', () => {
  const INTEL_SERIAL = '0000_0000_0100_0000_E4D2_5CA7_DB4F_5501.';

  test('Get-Disk prints disk 1 before disk 0; the EUI-64 UniqueIds and the serials with their trailing dot are kept as printed', async () => {
    assert.deepEqual(
      parseDisks(fixture(NVME_LAPTOP.disks)).map((d) => d.number),
      [1, 0],
    );
    assert.deepEqual(
      (await listOf(NVME_LAPTOP)).map((d) => [d.number, d.model, d.serial, d.uniqueId, d.busType, d.removable]),
      [
        [0, 'SAMSUNG MZVL21T0HCLR-00BL7', '0025_38BA_11B7_787A.', 'eui.002538BA11B7787A', 'NVMe', false],
        [1, 'INTEL SSDPEKNU010TZ', INTEL_SERIAL, 'eui.0000000001000000E4D25CA7DB4F5501', 'NVMe', false],
      ],
    );
  });

  test('disk 0 (IsSystem, IsBoot): DiskIsSystem, even with allowFixedDisk', async () => {
    const v = judgeWindowsDisk(disk(await listOf(NVME_LAPTOP), 0), context({ allowFixedDisk: true }));
    assert.equal(v.usable === false && v.id, 'DiskIsSystem');
  });

  test('disk 1, the second internal SSD: DiskNotRemovable; usable only with allowFixedDisk', async () => {
    const intel = disk(await listOf(NVME_LAPTOP), 1);
    const refused = judgeWindowsDisk(intel, context());
    assert.equal(refused.usable === false && refused.id, 'DiskNotRemovable');
    assert.match(refused.reason, /is a fixed NVMe disk, not a removable or USB drive\. Pass -AllowFixedDisk/);
    const allowed = judgeWindowsDisk(intel, context({ allowFixedDisk: true }));
    assert.equal(allowed.usable, true, allowed.reason);
  });

  test('identity re-check: the serial with its trailing dot matches itself; without the dot it is another disk (DiskChanged)', async () => {
    const intel = disk(await listOf(NVME_LAPTOP), 1);
    assert.equal(identityOf(intel).serial, INTEL_SERIAL);

    const fake = fakeDiskpart([0]);
    const ps = prepareSession(1, diskRow(NVME_LAPTOP.disks, 1), diskRow(NVME_LAPTOP.disks, 1, { PartitionStyle: 'MBR' }));
    const result = await prepareWindowsDisk(intel, identityOf(intel), 'CAPTURE', { session: ps, runner: fake.runner, sleep: noSleep });
    assert.deepEqual(result, { driveLetter: 'G:', diskpartAttempts: 1 });
    // 1,024,208,494,592 bytes: the FAT32 partition is capped at 32 GiB.
    assert.equal(fake.calls[0]?.script, diskpartScript(1, 'CAPTURE', 1024208494592));
    assert.match(fake.calls[0]?.script ?? '', /size=32768/);

    const notRun = fakeDiskpart([0]);
    const withoutDot = prepareSession(1, diskRow(NVME_LAPTOP.disks, 1, { SerialNumber: INTEL_SERIAL.slice(0, -1) }), diskRow(NVME_LAPTOP.disks, 1));
    const error = await rejection(prepareWindowsDisk(intel, identityOf(intel), 'CAPTURE', { session: withoutDot, runner: notRun.runner, sleep: noSleep }));
    assert.equal(error.id, 'DiskChanged');
    assert.ok(error.message.includes(`serial was ${INTEL_SERIAL}, is now ${INTEL_SERIAL.slice(0, -1)})`), error.message);
    assert.equal(notRun.calls.length, 0);
  });

  test('disks renumbered since the check (Get-Disk -Number 1 now answers with the Samsung): DiskChanged, diskpart never runs', async () => {
    const intel = disk(await listOf(NVME_LAPTOP), 1);
    const fake = fakeDiskpart([0]);
    const swapped = prepareSession(1, diskRow(NVME_LAPTOP.disks, 0, { Number: 1 }), diskRow(NVME_LAPTOP.disks, 0, { Number: 1 }));
    const error = await rejection(prepareWindowsDisk(intel, identityOf(intel), 'CAPTURE', { session: swapped, runner: fake.runner, sleep: noSleep }));
    assert.equal(error.id, 'DiskChanged');
    assert.match(error.message, /serial was 0000_0000_0100_0000_E4D2_5CA7_DB4F_5501\., is now 0025_38BA_11B7_787A\./);
    assert.equal(fake.calls.length, 0);
  });
});

describe('USB SanDisk 3.2Gen1 stick (usb-sandisk-3.2gen1.get-disk.json, https://github.com/FedoraQt/MediaWriter/issues/802)', () => {
  const SHORT_SERIAL = '0101de45443e0fbc03de';
  /** The USB serial as the PnP instance id in the same log carries it. */
  const USB_SERIAL = '0101de45443e0fbc03dee8b3b2edf1cd507fa7ade83ae32d6759c01b58aa7e3';

  test('a USB disk whose serial is the 20 characters MSFT_Disk reports, not the 64 of the USB serial', async () => {
    const [stick] = await listOf(SANDISK);
    assert.ok(stick);
    assert.deepEqual(
      [stick.number, stick.model, stick.busType, stick.removable, stick.sizeBytes, stick.serial, stick.uniqueId],
      [5, 'USB SanDisk 3.2Gen1', 'USB', true, 30784094208, SHORT_SERIAL, undefined],
    );
    assert.equal(stick.serial?.length, 20);
    assert.ok(USB_SERIAL.startsWith(SHORT_SERIAL));
  });

  test('usable, in create and in the listing', async () => {
    const [stick] = await listOf(SANDISK);
    assert.ok(stick);
    const v = judgeWindowsDisk(stick, context());
    assert.equal(v.usable, true, v.reason);
    assert.equal(v.reason, 'USB disk, 30784094208 bytes, USB SanDisk 3.2Gen1.');
    const [row] = await listDisksWithVerdicts(new WindowsDiskProvider(machineSession(SANDISK)), LISTING);
    assert.equal(row?.Verdict, 'Usable');
  });

  test('identity re-check: passes with the same MSFT_Disk row; the full 64-character serial would be a different identity', async () => {
    const [stick] = await listOf(SANDISK);
    assert.ok(stick);
    const fake = fakeDiskpart([0]);
    const ps = prepareSession(5, diskRow(SANDISK.disks, 5), diskRow(SANDISK.disks, 5));
    const result = await prepareWindowsDisk(stick, identityOf(stick), 'CAPTURE', { session: ps, runner: fake.runner, sleep: noSleep });
    assert.deepEqual(result, { driveLetter: 'G:', diskpartAttempts: 1 });
    // Under 32 GiB: one partition over the whole stick.
    assert.equal(fake.calls[0]?.script, diskpartScript(5, 'CAPTURE', 30784094208));
    assert.match(fake.calls[0]?.script ?? '', /^select disk 5\r\n[^]*create partition primary\r\n/);

    const notRun = fakeDiskpart([0]);
    const other = prepareSession(5, diskRow(SANDISK.disks, 5, { SerialNumber: USB_SERIAL }), diskRow(SANDISK.disks, 5));
    const error = await rejection(prepareWindowsDisk(stick, identityOf(stick), 'CAPTURE', { session: other, runner: notRun.runner, sleep: noSleep }));
    assert.equal(error.id, 'DiskChanged');
    assert.ok(error.message.includes(`serial was ${SHORT_SERIAL}, is now ${USB_SERIAL}`), error.message);
    assert.equal(notRun.calls.length, 0);
  });
});

describe('NVMe desktop with a USB card reader holding a card, serial "[" (nvme-card-reader-with-card.*, code-search index file id 32657926787)', () => {
  test('Get-Disk numbers 0 and 3 (not contiguous); the reader serial "[" parses and is kept as is', async () => {
    assert.deepEqual(
      parseDisks(fixture(KINGSTON.disks)).map((d) => [d.number, d.serialNumber]),
      [
        [0, '0000_0000_0000_0000_0026_B738_2EB0_D4E5.'],
        [3, '['],
      ],
    );
    const reader = disk(await listOf(KINGSTON), 3);
    assert.deepEqual(
      [reader.model, reader.serial, reader.busType, reader.removable, reader.sizeBytes],
      ['Generic STORAGE DEVICE', '[', 'USB', true, 63834161152],
    );
  });

  test('the disks listing row for the reader: serial "[" shown as is, in JSON and as text; the card is usable', async () => {
    const rows = await listDisksWithVerdicts(new WindowsDiskProvider(machineSession(KINGSTON)), LISTING);
    assert.deepEqual(
      rows.map((r) => [r.Number, r.Verdict]),
      [
        [0, 'DiskIsSystem'],
        [3, 'Usable'],
      ],
    );
    const row = rows[1];
    assert.deepEqual(row, {
      Path: '\\\\.\\PhysicalDrive3',
      Number: 3,
      Model: 'Generic STORAGE DEVICE',
      Serial: '[',
      Bus: 'USB',
      SizeBytes: 63834161152,
      Removable: true,
      // Drive letters: diskpart's clean releases them, so they are no reason to refuse on Windows.
      Mounted: ['F:', 'G:'],
      Usable: true,
      Verdict: 'Usable',
      Reason: 'USB disk, 63834161152 bytes, Generic STORAGE DEVICE.',
    });
    assert.deepEqual(JSON.parse(JSON.stringify(row)), row);
    assert.match(formatResultText({ ...row }), /^Serial +: \[$/m);
    assert.match(whatIfPlan(disk(await listOf(KINGSTON), 3), 'CAPTURE'), /^ {2}Serial: \[$/m);
  });

  test('the reader\'s partitions and volumes (FAT32 F:, an unknown file system on G:); disk 0 holding C: and D: is the system disk', async () => {
    const disks = await listOf(KINGSTON);
    assert.deepEqual(
      disk(disks, 3).partitions.map((p) => [p.path, p.mountpoints, p.fileSystem, p.label]),
      [
        ['Disk 3 Partition 1', ['F:'], 'FAT32', 'M62XX-TBOOT'],
        ['Disk 3 Partition 2', ['G:'], undefined, 'M62xx-TRoot'],
      ],
    );
    assert.equal(judgeWindowsDisk(disk(disks, 3), context()).usable, true);
    const nvme = disk(disks, 0);
    assert.equal(nvme.partitions.find((p) => p.mountpoints.includes('D:'))?.label, '新加卷');
    const v = judgeWindowsDisk(nvme, context({ allowFixedDisk: true }));
    assert.equal(v.usable === false && v.id, 'DiskIsSystem');
  });

  test('-Path F: (and G:, the number, the device path) resolves to the reader; C: and D: to disk 0; there is no disk 1', async () => {
    const provider = new WindowsDiskProvider(machineSession(KINGSTON));
    for (const t of ['F:', 'f', 'G:\\', '3', '\\\\.\\PhysicalDrive3']) {
      const d = await provider.resolve(t);
      assert.deepEqual([d.path, d.serial], ['\\\\.\\PhysicalDrive3', '['], t);
    }
    for (const t of ['C:', 'D:']) assert.equal((await provider.resolve(t)).path, '\\\\.\\PhysicalDrive0', t);
    await assert.rejects(provider.resolve('1'), { id: 'DiskNotFound' });
    assert.equal(await provider.diskOfPath('F:\\captures\\boot.iso'), '\\\\.\\PhysicalDrive3');
  });

  test('identity re-check with the "[" serial: passes with the same row; DiskChanged when the serial reads differently', async () => {
    const reader = disk(await listOf(KINGSTON), 3);
    assert.equal(identityOf(reader).serial, '[');
    const fake = fakeDiskpart([0]);
    const ps = prepareSession(3, diskRow(KINGSTON.disks, 3), diskRow(KINGSTON.disks, 3));
    const result = await prepareWindowsDisk(reader, identityOf(reader), 'CAPTURE', { session: ps, runner: fake.runner, sleep: noSleep });
    assert.deepEqual(result, { driveLetter: 'G:', diskpartAttempts: 1 });
    // 59.45 GB card: the FAT32 partition is capped at 32 GiB.
    assert.equal(fake.calls[0]?.script, diskpartScript(3, 'CAPTURE', 63834161152));
    assert.match(fake.calls[0]?.script ?? '', /size=32768/);

    const notRun = fakeDiskpart([0]);
    const other = prepareSession(3, diskRow(KINGSTON.disks, 3, { SerialNumber: null }), diskRow(KINGSTON.disks, 3));
    const error = await rejection(prepareWindowsDisk(reader, identityOf(reader), 'CAPTURE', { session: other, runner: notRun.runner, sleep: noSleep }));
    assert.equal(error.id, 'DiskChanged');
    assert.ok(error.message.includes('serial was [, is now undefined'), error.message);
    assert.equal(notRun.calls.length, 0);
  });
});
