// The diskpart script, the retry policy, the identity re-check and the success check — against a
// FAKE diskpart and a FAKE PowerShell session (src/disk/windows/testing/).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { identityOf, type DiskInfo } from '../../../src/disk/model.js';
import { DeviceError } from '../../../src/errors.js';
import {
  DISKPART_MAX_ATTEMPTS,
  diskpartScript,
  execaRunner,
  prepareWindowsDisk,
  runDiskpart,
  validateDiskpartLabel,
  whatIfPlan,
  withDiskpartLock,
} from '../../../src/disk/windows/diskpart.js';
import { assertElevated, IS_ELEVATED_SCRIPT } from '../../../src/disk/windows/elevation.js';
import { getDiskByNumberScript, getPartitionsOfDiskScript, getVolumesOfDiskScript } from '../../../src/disk/windows/get-disk.js';
import { FakePowerShellSession, type FakeReply } from '../../fakes/windows/fake-powershell-session.js';
import { fakeDiskpart } from '../../fakes/windows/fake-diskpart.js';
import { fixture, fixtureWith, workstationSession } from './fixtures.js';
import { WindowsDiskProvider } from '../../../src/disk/windows/provider.js';

const GiB = 1024 ** 3;
/** Recorded diskpart exit codes (HRESULTs) from public reports; see diskpart.ts. */
const E_ACCESSDENIED = 2147942405; // 0x80070005, balena-io/etcher#3512
const VDS_E_NO_MEDIA = 2147755026; // 0x80042412, corpnewt/gibMacOS#22
const noSleep = async (): Promise<void> => {};

describe('diskpartScript', () => {
  test('a disk of 32 GiB or less: one partition over the whole disk', () => {
    assert.equal(
      diskpartScript(1, 'CAPTURE', 30752636928),
      'select disk 1\r\nclean\r\nconvert mbr\r\ncreate partition primary\r\nactive\r\nformat fs=fat32 quick label="CAPTURE"\r\nassign\r\nexit\r\n',
    );
    assert.match(diskpartScript(1, 'CAPTURE', 32 * GiB), /create partition primary\r\n/);
  });

  test('a disk larger than 32 GiB: the partition is capped at 32768 MB (Windows FAT32 formatter limit)', () => {
    assert.equal(
      diskpartScript(3, 'CONFIGURATI', 32 * GiB + 512),
      'select disk 3\r\nclean\r\nconvert mbr\r\ncreate partition primary size=32768\r\nactive\r\nformat fs=fat32 quick label="CONFIGURATI"\r\nassign\r\nexit\r\n',
    );
  });

  test('labels: lower case is stored upper case; quotes, long, empty, illegal characters are refused', () => {
    assert.equal(validateDiskpartLabel('Capture'), 'CAPTURE');
    assert.equal(validateDiskpartLabel('SCCM 2403'), 'SCCM 2403');
    for (const bad of ['', 'CONFIGURATIO', 'A"B', 'A" & clean', 'A\r\nclean', 'A.B', 'A:B', 'A*', 'Ä', ' LEADING', 'A\tB']) {
      assert.throws(() => validateDiskpartLabel(bad), { id: 'LabelInvalid' }, JSON.stringify(bad));
      assert.throws(() => diskpartScript(1, bad, GiB), { id: 'LabelInvalid' }, JSON.stringify(bad));
    }
  });

  test('bad disk numbers and a zero-size disk are refused', () => {
    assert.throws(() => diskpartScript(-1, 'A', GiB), { id: 'InvalidParameter' });
    assert.throws(() => diskpartScript(1.5, 'A', GiB), { id: 'InvalidParameter' });
    assert.throws(() => diskpartScript(4, 'A', 0), { id: 'DiskTooSmall' });
  });
});

describe('runDiskpart', () => {
  test('writes the script to a private temp file and runs diskpart /s <file>; the file is removed afterwards', async () => {
    const fake = fakeDiskpart([0]);
    const script = diskpartScript(1, 'CAPTURE', GiB);
    const run = await runDiskpart(script, { runner: fake.runner, sleep: noSleep });
    assert.equal(run.attempts, 1);
    const call = fake.calls[0];
    assert.ok(call);
    assert.equal(call.file, 'diskpart');
    assert.equal(call.args[0], '/s');
    assert.equal(call.script, script);
    if (process.platform !== 'win32') assert.equal(call.mode, 0o600);
    const { existsSync } = await import('node:fs');
    assert.equal(existsSync(call.args[1] ?? ''), false);
  });

  test('the real execa runner reports exit code and output as data (checked with node, not diskpart)', async () => {
    const r = await execaRunner(process.execPath, ['-e', 'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)']);
    assert.deepEqual(r, { exitCode: 3, stdout: 'out', stderr: 'err' });
    const missing = await execaRunner('/nonexistent/diskpart', []);
    assert.equal(missing.exitCode, undefined);
  });

  test('a transient failure twice, then success: 3 runs, with back-off', async () => {
    const fake = fakeDiskpart([E_ACCESSDENIED, E_ACCESSDENIED, 0]);
    const waits: number[] = [];
    const run = await runDiskpart('x\r\n', { runner: fake.runner, sleep: async (ms) => void waits.push(ms) });
    assert.equal(run.attempts, 3);
    assert.equal(fake.calls.length, 3);
    assert.deepEqual(waits, [2000, 4000]);
  });

  test('negative exit codes (int32 view of the HRESULT) are recognised as the same code', async () => {
    const fake = fakeDiskpart([E_ACCESSDENIED | 0, 0]);
    assert.equal((await runDiskpart('x\r\n', { runner: fake.runner, sleep: noSleep })).attempts, 2);
  });

  test('a permanent failure: DiskpartFailed at once, exit code and output kept', async () => {
    const fake = fakeDiskpart([{ exitCode: VDS_E_NO_MEDIA, stdout: 'Virtual Disk Service error:\r\nThere is no media in the device.\r\n', stderr: '' }]);
    const error = await runDiskpart('x\r\n', { runner: fake.runner, sleep: noSleep }).then(
      () => assert.fail('should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DeviceError);
    assert.equal(error.id, 'DiskpartFailed');
    assert.equal(error.exitCode_, VDS_E_NO_MEDIA);
    assert.match(error.stdout, /no media/);
    assert.equal(error.command, 'diskpart');
    assert.equal(fake.calls.length, 1);
    assert.equal(error.exitCode, 5); // the CLI exit code for DiskpartFailed
  });

  test('real permanent HRESULTs are not retried: invalid function, invalid argument, disk offline', async () => {
    // 0x80070001 ERROR_INVALID_FUNCTION (corpnewt/gibMacOS#88, #215), 0x80070057 E_INVALIDARG
    // "No usable free extent could be found" (gibMacOS#114), 0x8004280A VDS_E_DISK_IS_OFFLINE (etcher-sdk#197).
    for (const code of [2147942401, 2147942487, 2147756042]) {
      const fake = fakeDiskpart([code, 0]);
      await assert.rejects(runDiskpart('x\r\n', { runner: fake.runner, sleep: noSleep }), { id: 'DiskpartFailed' });
      assert.equal(fake.calls.length, 1, `0x${code.toString(16)}`);
    }
  });

  test('VDS_E_DEVICE_IN_USE (0x80042413, gibMacOS#165: "The device is in use") is retried, then succeeds', async () => {
    const fake = fakeDiskpart([{ exitCode: 2147755027, stdout: 'Virtual Disk Service error:\r\nThe device is in use.\r\n', stderr: '' }, 0]);
    assert.equal((await runDiskpart('x\r\n', { runner: fake.runner, sleep: noSleep })).attempts, 2);
  });

  test('documented script error codes (1-5) are not retried', async () => {
    const fake = fakeDiskpart([5]);
    await assert.rejects(runDiskpart('x\r\n', { runner: fake.runner, sleep: noSleep }), { id: 'DiskpartFailed' });
    assert.equal(fake.calls.length, 1);
  });

  test(`${DISKPART_MAX_ATTEMPTS} transient failures: DiskpartFailed after ${DISKPART_MAX_ATTEMPTS} runs`, async () => {
    const fake = fakeDiskpart([E_ACCESSDENIED]);
    const error = await runDiskpart('x\r\n', { runner: fake.runner, sleep: noSleep }).catch((e: unknown) => e);
    assert.ok(error instanceof DeviceError);
    assert.equal(error.id, 'DiskpartFailed');
    assert.equal(error.exitCode_, E_ACCESSDENIED);
    assert.equal(fake.calls.length, DISKPART_MAX_ATTEMPTS);
  });

  test('cancel during the back-off: Cancelled, no further run', async () => {
    const fake = fakeDiskpart([E_ACCESSDENIED]);
    const controller = new AbortController();
    const sleep = async (_ms: number, signal?: AbortSignal) => {
      controller.abort();
      signal?.throwIfAborted();
    };
    await assert.rejects(runDiskpart('x\r\n', { runner: fake.runner, sleep, signal: controller.signal }), { id: 'Cancelled' });
    assert.equal(fake.calls.length, 1);
  });

  test('the lock: two preparations never run diskpart at the same time', async () => {
    let running = 0;
    let maxRunning = 0;
    const slow = fakeDiskpart([0], async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 20));
      running -= 1;
    });
    const order: string[] = [];
    await Promise.all([
      withDiskpartLock(async () => {
        await runDiskpart('a\r\n', { runner: slow.runner });
        order.push('a');
      }),
      withDiskpartLock(async () => {
        await runDiskpart('b\r\n', { runner: slow.runner });
        order.push('b');
      }),
      withDiskpartLock(async () => {
        throw new Error('a failing holder releases the lock');
      }).catch(() => order.push('failed')),
      withDiskpartLock(async () => {
        await runDiskpart('c\r\n', { runner: slow.runner });
        order.push('c');
      }),
    ]);
    assert.equal(maxRunning, 1);
    assert.deepEqual(order, ['a', 'b', 'failed', 'c']);
  });
});

describe('prepareWindowsDisk', () => {
  async function stick(): Promise<DiskInfo> {
    return new WindowsDiskProvider(workstationSession()).resolve('1');
  }

  function session(recheck: string, after: { partitions: string; volumes: string } | undefined): FakePowerShellSession {
    const replies: FakeReply[] = [
      { match: (s) => s === getDiskByNumberScript(1), output: recheck, times: 1 },
      { match: (s) => s === getDiskByNumberScript(1), output: fixture('usb-stick.get-disk-1.json') },
    ];
    if (after) {
      replies.push({ match: (s) => s === getPartitionsOfDiskScript(1), output: after.partitions });
      replies.push({ match: (s) => s === getVolumesOfDiskScript(1), output: after.volumes });
    }
    return new FakePowerShellSession(replies);
  }

  const good = { partitions: fixture('usb-stick.after.get-partition-1.json'), volumes: fixture('usb-stick.after.get-volume-1.json') };
  const raw = { partitions: fixture('usb-stick.after-raw.get-partition-1.json'), volumes: fixture('usb-stick.after-raw.get-volume-1.json') };

  test('identity unchanged, diskpart exits 0, the re-query shows one FAT32 MBR partition: returns its letter', async () => {
    const disk = await stick();
    const ps = session(fixture('usb-stick.get-disk-1.json'), good);
    const fake = fakeDiskpart([0]);
    const result = await prepareWindowsDisk(disk, identityOf(disk), 'capture', { session: ps, runner: fake.runner, sleep: noSleep });
    assert.deepEqual(result, { driveLetter: 'G:', diskpartAttempts: 1 });
    assert.equal(fake.calls[0]?.script, diskpartScript(1, 'CAPTURE', 30752636928));
    // The re-check ran before diskpart: the first script is Get-Disk -Number 1.
    assert.equal(ps.scripts[0], getDiskByNumberScript(1));
  });

  test('the second Get-Disk shows another serial: DiskChanged naming the field, diskpart never runs', async () => {
    const disk = await stick();
    const fake = fakeDiskpart([0]);
    const ps = session(fixtureWith('usb-stick.get-disk-1.json', { SerialNumber: 'AA00000000000001' }), good);
    await assert.rejects(prepareWindowsDisk(disk, identityOf(disk), 'CAPTURE', { session: ps, runner: fake.runner, sleep: noSleep }), (e: unknown) => {
      assert.equal((e as { id?: string }).id, 'DiskChanged');
      assert.match((e as Error).message, /serial was 4C530001230517115433, is now AA00000000000001/);
      return true;
    });
    assert.equal(fake.calls.length, 0);
  });

  test('the second Get-Disk shows another size (a different stick on the same number): DiskChanged', async () => {
    const disk = await stick();
    const fake = fakeDiskpart([0]);
    const ps = session(fixtureWith('usb-stick.get-disk-1.json', { Size: 31004295168 }), good);
    await assert.rejects(prepareWindowsDisk(disk, identityOf(disk), 'CAPTURE', { session: ps, runner: fake.runner, sleep: noSleep }), /sizeBytes was 30752636928, is now 31004295168/);
    const swapped = session(fixture('usb-stick-swapped.get-disk-1.json'), good);
    await assert.rejects(prepareWindowsDisk(disk, identityOf(disk), 'CAPTURE', { session: swapped, runner: fake.runner, sleep: noSleep }), { id: 'DiskChanged' });
    assert.equal(fake.calls.length, 0);
  });

  test('the disk is gone (Get-Disk -Number errors): DiskChanged', async () => {
    const disk = await stick();
    const fake = fakeDiskpart([0]);
    const ps = new FakePowerShellSession([{ match: 'Get-Disk -Number 1', output: new Error('No MSFT_Disk objects found with property Number equal to 1.') }]);
    await assert.rejects(prepareWindowsDisk(disk, identityOf(disk), 'CAPTURE', { session: ps, runner: fake.runner }), { id: 'DiskChanged' });
    assert.equal(fake.calls.length, 0);
  });

  test('diskpart exits 0 but the re-query shows no FAT32 volume: DiskpartFailed (text never parsed)', async () => {
    const disk = await stick();
    const fake = fakeDiskpart([{ exitCode: 0, stdout: 'DiskPart hat das Volume erfolgreich formatiert.\r\n' }]);
    const ps = session(fixture('usb-stick.get-disk-1.json'), raw);
    const error = await prepareWindowsDisk(disk, identityOf(disk), 'CAPTURE', { session: ps, runner: fake.runner, sleep: noSleep }).catch((e: unknown) => e);
    assert.ok(error instanceof DeviceError);
    assert.equal(error.id, 'DiskpartFailed');
    assert.equal(error.exitCode_, 0);
    assert.match(error.message, /no FAT32 volume/);
    assert.match(error.stdout, /erfolgreich/);
  });

  test('a label diskpart cannot take is refused before anything runs', async () => {
    const disk = await stick();
    const fake = fakeDiskpart([0]);
    const ps = session(fixture('usb-stick.get-disk-1.json'), good);
    await assert.rejects(prepareWindowsDisk(disk, identityOf(disk), 'CAP"TURE', { session: ps, runner: fake.runner }), { id: 'LabelInvalid' });
    assert.deepEqual(ps.scripts, []);
    assert.equal(fake.calls.length, 0);
  });

  test('the label never reaches PowerShell; only disk numbers do', async () => {
    const disk = await stick();
    const ps = session(fixture('usb-stick.get-disk-1.json'), good);
    await prepareWindowsDisk(disk, identityOf(disk), 'SECRETLABEL', { session: ps, runner: fakeDiskpart([0]).runner, sleep: noSleep });
    for (const s of ps.scripts) assert.ok(!s.includes('SECRETLABEL'), s);
    assert.deepEqual(new Set(ps.scripts), new Set([getDiskByNumberScript(1), getPartitionsOfDiskScript(1), getVolumesOfDiskScript(1)]));
  });
});

describe('elevation and -WhatIf', () => {
  test('not elevated: PermissionDenied with a clear message', async () => {
    const ps = new FakePowerShellSession([{ match: (s) => s === IS_ELEVATED_SCRIPT, output: 'False\r\n' }]);
    await assert.rejects(assertElevated(ps), (e: unknown) => {
      assert.equal((e as { id?: string }).id, 'PermissionDenied');
      assert.match((e as Error).message, /Run as administrator/);
      return true;
    });
  });

  test('elevated: passes; an odd answer is an error, not a yes', async () => {
    await assertElevated(new FakePowerShellSession([{ match: (s) => s === IS_ELEVATED_SCRIPT, output: 'True\r\n' }]));
    await assert.rejects(assertElevated(new FakePowerShellSession([{ match: () => true, output: '' }])), { id: 'PowerShellFailed' });
  });

  test('whatIfPlan names the disk (number, model, serial, size, bus) and prints the exact script', async () => {
    const disk = await new WindowsDiskProvider(workstationSession()).resolve('E:');
    assert.equal(
      whatIfPlan(disk, 'CAPTURE'),
      [
        'What if: erase disk 1 and format it FAT32 (all data on it is lost):',
        '  Disk:   1 (\\\\.\\PhysicalDrive1)',
        '  Model:  SanDisk Ultra',
        '  Serial: 4C530001230517115433',
        '  Size:   28.6 GiB (30752636928 bytes)',
        '  Bus:    USB',
        '  diskpart script:',
        '    select disk 1',
        '    clean',
        '    convert mbr',
        '    create partition primary',
        '    active',
        '    format fs=fat32 quick label="CAPTURE"',
        '    assign',
        '    exit',
      ].join('\n'),
    );
  });
});
