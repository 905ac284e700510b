// The USB drive pipeline with its Windows strategy (src/build/usb-drives-windows.ts) driven end to end with the FAKE
// PowerShell session and the FAKE diskpart (the only fakes in the project: there is no Windows
// here), replaying recorded Get-Disk outputs. The "new volume" G: is a temp folder, so the copy
// and the read-back verification are real.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildUsbDrives } from '../../src/build/usb-drives.js';
import { windowsUsbStrategy, type WindowsUsbDeps } from '../../src/build/usb-drives-windows.js';
import type { MediaPlan } from '../../src/plan/media-plan.js';
import { openBootImage, type OpenedBootImage } from '../../src/source/boot-image-source.js';
import { createMediaPlan } from '../../src/plan/media-plan.js';
import type { Reporter } from '../../src/job/events.js';
import { diskpartScript } from '../../src/disk/windows/diskpart.js';
import { getDiskByNumberScript, getPartitionsOfDiskScript, getVolumesOfDiskScript } from '../../src/disk/windows/get-disk.js';
import { IS_ELEVATED_SCRIPT } from '../../src/disk/windows/elevation.js';
import { FakePowerShellSession } from '../fakes/windows/fake-powershell-session.js';
import { WindowsDiskProvider } from '../../src/disk/windows/provider.js';
import { fakeDiskpart } from '../fakes/windows/fake-diskpart.js';
import { CaptureMediaError } from '../../src/errors.js';
import { settleOutcome } from '../../src/job/settle-drives.js';
import { fixture, workstationReplies } from '../disk/windows/fixtures.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';

let dir: string;
let cleanup: () => void;
let boot: OpenedBootImage;
let wim: string;

before(async () => {
  ({ path: dir, cleanup } = makeTempDir('usb-windows'));
  wim = makeWinPeWim(join(dir, 'wim'), {});
  boot = await openBootImage({ kind: 'file', path: wim });
});
after(async () => {
  await boot.close();
  cleanup();
});

/** The pipeline's results for the good drives (its failures, as data, are asserted where a test expects them). */
async function buildOnWindows(plan: MediaPlan, created: Date, reporter: Reporter, deps: WindowsUsbDeps): Promise<Record<string, unknown>[]> {
  const signal = new AbortController().signal;
  const outcome = await buildUsbDrives(plan, boot, created, { reporter, signal, logPath: undefined }, windowsUsbStrategy(signal, deps));
  assert.equal(outcome.failures.size, 0, [...outcome.failures.values()].map((e) => e.message).join('; '));
  return outcome.results;
}

function recorder(): Reporter & { logs: string[]; results: Record<string, unknown>[] } {
  const logs: string[] = [];
  const results: Record<string, unknown>[] = [];
  return { logs, results, progress() {}, log: (_l, m) => logs.push(m), result: (r) => results.push({ ...r }) };
}

function session(elevated: boolean): FakePowerShellSession {
  return new FakePowerShellSession([
    { match: (s) => s === IS_ELEVATED_SCRIPT, output: elevated ? 'True\r\n' : 'False\r\n' },
    { match: (s) => s === getDiskByNumberScript(1), output: fixture('usb-stick.get-disk-1.json') },
    { match: (s) => s === getPartitionsOfDiskScript(1), output: fixture('usb-stick.after.get-partition-1.json') },
    { match: (s) => s === getVolumesOfDiskScript(1), output: fixture('usb-stick.after.get-volume-1.json') },
    ...workstationReplies(),
  ]);
}

/**
 * The recorded workstation has its files on C: (the system disk). The job's own paths here are
 * Linux paths, so they are presented to the Windows provider as the C:\data folder they would be.
 */
class WorkstationProvider extends WindowsDiskProvider {
  override diskOfPath(path: string): Promise<string | undefined> {
    return super.diskOfPath(path.startsWith('/') ? 'C:\\data' : path);
  }
}

async function plan(whatIf: boolean) {
  return createMediaPlan({ mediaType: 'Usb', path: ['1'], bootImage: wim, temporaryFolder: dir, formatMedia: true, yes: !whatIf, whatIf });
}

test('disk 1 (a USB stick): diskpart script run once, files copied onto G:, read back and verified', async () => {
  const volume = join(dir, 'G');
  mkdirSync(volume);
  const ps = session(true);
  const diskpart = fakeDiskpart([0]);
  const rep = recorder();
  const results = await buildOnWindows(await plan(false), new Date(0), rep, {
    session: ps,
    provider: new WorkstationProvider(ps),
    runner: diskpart.runner,
    sleep: async () => {},
    volumeRoot: (letter) => {
      assert.equal(letter, 'G:');
      return volume;
    },
  });
  assert.equal(diskpart.calls.length, 1);
  assert.equal(diskpart.calls[0]!.script, diskpartScript(1, 'CONFIGURATI', 30752636928));
  assert.equal(results.length, 1);
  assert.equal(results[0]!.Verified, true);
  assert.ok(existsSync(join(volume, 'efi', 'boot', 'bootx64.efi')));
  assert.equal(readFileSync(join(volume, 'MediaLabel.txt'), 'utf8'), 'label=Configuration Manager\r\n');
  assert.ok(ps.scripts.indexOf(IS_ELEVATED_SCRIPT) === 0, 'elevation is checked before anything else');
});

test('not elevated: PermissionDenied before any disk query or diskpart', async () => {
  const ps = session(false);
  const diskpart = fakeDiskpart([0]);
  await assert.rejects(
    buildOnWindows(await plan(false), new Date(0), recorder(), { session: ps, provider: new WorkstationProvider(ps), runner: diskpart.runner }),
    (e: unknown) => e instanceof CaptureMediaError && e.id === 'PermissionDenied',
  );
  assert.equal(diskpart.calls.length, 0);
  assert.deepEqual(ps.scripts, [IS_ELEVATED_SCRIPT]);
});

test('-WhatIf: the exact diskpart script and the disk are told, nothing runs', async () => {
  const ps = session(true);
  const diskpart = fakeDiskpart([0]);
  const rep = recorder();
  const results = await buildOnWindows(await plan(true), new Date(0), rep, { session: ps, provider: new WorkstationProvider(ps), runner: diskpart.runner });
  assert.deepEqual(results, []);
  assert.equal(diskpart.calls.length, 0);
  const text = rep.logs.join('\n');
  assert.match(text, /select disk 1\n\s+clean\n\s+convert mbr\n\s+create partition primary\n\s+active\n\s+format fs=fat32 quick label="CONFIGURATI"\n\s+assign/);
  assert.match(text, /Serial:/);
});

test('the system disk is refused before diskpart', async () => {
  const ps = session(true);
  const diskpart = fakeDiskpart([0]);
  const p = await createMediaPlan({ mediaType: 'Usb', path: ['0'], bootImage: wim, temporaryFolder: dir, formatMedia: true, yes: true });
  await assert.rejects(
    buildOnWindows(p, new Date(0), recorder(), { session: ps, provider: new WorkstationProvider(ps), runner: diskpart.runner }),
    (e: unknown) => e instanceof CaptureMediaError && e.id === 'DiskIsSystem',
  );
  assert.equal(diskpart.calls.length, 0);
});

test('a drive diskpart cannot prepare is a failure returned as data; the job raises one error naming it', async () => {
  const ps = session(true);
  const diskpart = fakeDiskpart([{ exitCode: 2147755026 /* VDS_E_NO_MEDIA */, stdout: 'Virtual Disk Service error:\r\nThere is no media in the device.\r\n', stderr: '' }]);
  const signal = new AbortController().signal;
  const outcome = await buildUsbDrives(await plan(false), boot, new Date(0), { reporter: recorder(), signal, logPath: undefined }, windowsUsbStrategy(signal, {
    session: ps,
    provider: new WorkstationProvider(ps),
    runner: diskpart.runner,
    sleep: async () => {},
  }));
  assert.deepEqual(outcome.results, []);
  assert.equal(outcome.targetCount, 1);
  const failure = [...outcome.failures.values()][0];
  assert.equal(failure?.id, 'DiskpartFailed');
  const rep = recorder();
  assert.throws(
    () => settleOutcome(outcome, rep),
    (e: unknown) => e instanceof CaptureMediaError && e.id === 'DiskpartFailed' && /1 of 1 drive\(s\) failed/.test(e.message) && e.target === [...outcome.failures.keys()][0],
  );
});
