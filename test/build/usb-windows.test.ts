// The Windows USB pipeline (src/media/build-usb-windows.ts) driven end to end with the FAKE
// PowerShell session and the FAKE diskpart (the only fakes in the project: there is no Windows
// here), replaying recorded Get-Disk outputs. The "new volume" G: is a temp folder, so the copy
// and the read-back verification are real.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildUsbDrivesWindows } from '../../src/build/build-usb-windows.js';
import { openBootImage, type OpenedBootImage } from '../../src/source/boot-image-source.js';
import { createMediaPlan } from '../../src/plan/media-plan.js';
import { nullLogger } from '../../src/log/logger.js';
import type { Reporter } from '../../src/job/events.js';
import { diskpartScript } from '../../src/disk/windows/diskpart.js';
import { getDiskByNumberScript, getPartitionsOfDiskScript, getVolumesOfDiskScript } from '../../src/disk/windows/get-disk.js';
import { IS_ELEVATED_SCRIPT } from '../../src/disk/windows/elevation.js';
import { FakePowerShellSession } from '../fakes/windows/fake-powershell-session.js';
import { WindowsDiskProvider } from '../../src/disk/windows/provider.js';
import { fakeDiskpart } from '../fakes/windows/fake-diskpart.js';
import { CaptureMediaError } from '../../src/errors.js';
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
  const results = await buildUsbDrivesWindows(await plan(false), boot, new Date(0), { reporter: rep, signal: new AbortController().signal, logger: nullLogger }, {
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
    buildUsbDrivesWindows(await plan(false), boot, new Date(0), { reporter: recorder(), signal: new AbortController().signal, logger: nullLogger }, { session: ps, provider: new WorkstationProvider(ps), runner: diskpart.runner }),
    (e: unknown) => e instanceof CaptureMediaError && e.id === 'PermissionDenied',
  );
  assert.equal(diskpart.calls.length, 0);
  assert.deepEqual(ps.scripts, [IS_ELEVATED_SCRIPT]);
});

test('-WhatIf: the exact diskpart script and the disk are told, nothing runs', async () => {
  const ps = session(true);
  const diskpart = fakeDiskpart([0]);
  const rep = recorder();
  const results = await buildUsbDrivesWindows(await plan(true), boot, new Date(0), { reporter: rep, signal: new AbortController().signal, logger: nullLogger }, { session: ps, provider: new WorkstationProvider(ps), runner: diskpart.runner });
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
    buildUsbDrivesWindows(p, boot, new Date(0), { reporter: recorder(), signal: new AbortController().signal, logger: nullLogger }, { session: ps, provider: new WorkstationProvider(ps), runner: diskpart.runner }),
    (e: unknown) => e instanceof CaptureMediaError && e.id === 'DiskIsSystem',
  );
  assert.equal(diskpart.calls.length, 0);
});
