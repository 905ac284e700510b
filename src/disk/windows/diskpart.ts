// Preparing a USB drive on Windows the way the ConfigMgr wizard does: one diskpart script that
// wipes the disk and leaves one active FAT32 partition with a drive letter (README "On Windows").
//
// What the script does to the disk, command by command (diskpart reference:
// https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/diskpart):
//   select disk N        focus on disk N. Nothing is written.
//   clean                removes all partition and volume information: zeroes the MBR/GPT
//                        (first and last sectors). Data in the old partitions' sectors stays but
//                        is no longer reachable. From here on the disk's old contents are gone.
//   convert mbr          sets an (empty) MBR partition table: BIOS firmware boots only from MBR.
//   create partition primary [size=32768]
//                        one primary partition from 1 MiB; capped at 32768 MiB on larger disks
//                        because Windows' own FAT32 formatter refuses volumes over 32 GiB
//                        (https://learn.microsoft.com/en-us/troubleshoot/windows-server/backup-and-storage/fat-file-system-limits-for-drives).
//   active               marks it active (boot flag 0x80) so BIOS boot code starts it.
//   format fs=fat32 quick label="…"
//                        writes the FAT32 boot sector, FSInfo and empty FATs (quick: no surface scan).
//   assign               gives the volume the next free drive letter.
//   exit
//
// Success is judged by diskpart's exit code AND by re-querying Get-Disk/Get-Partition/Get-Volume:
// diskpart's text is localised ("DiskPart hat einen Fehler festgestellt…"), so it is kept for the
// error report and never parsed. Retries are decided on the exit code too (see TRANSIENT_EXIT_CODES).
//
// diskpart is not re-entrant (a second instance waits for or fights over the VDS service), so
// every run goes through one process-wide lock, as etcher-sdk does (lib/diskpart.ts: a mutex,
// a temp script file, `diskpart /s`, retries with a delay).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { identityDifference, type DiskIdentity, type DiskInfo } from '../model.js';
import { CaptureMediaError, DeviceError, throwIfAborted } from '../../errors.js';
import { firstNonLabelChar } from '../../fat/volume-label.js';
import type { PowerShellSession } from './powershell-session.js';
import {
  getPartitionsOfDiskScript,
  getVolumesOfDiskScript,
  parsePartitions,
  parseVolumes,
  physicalDrivePath,
  queryDisk,
  type RawDisk,
} from './get-disk.js';

const GiB = 1024 ** 3;
/** Windows' FAT32 formatter (format, diskpart, Explorer) makes volumes of at most 32 GiB. */
export const WINDOWS_FAT32_MAX_BYTES = 32 * GiB;
/** The partition size diskpart is given on larger disks, in MiB (diskpart's unit for size=). */
export const FAT32_PARTITION_SIZE_MB = 32768;

/** Runs before giving up, the first included (a transient failure 5 times -> DiskpartFailed). */
export const DISKPART_MAX_ATTEMPTS = 5;
/** Waits between attempts; etcher-sdk uses a flat 2 s, we back off a little more for slow USB bridges. */
export const DISKPART_RETRY_DELAYS_MS: readonly number[] = [2000, 4000, 6000, 8000];

/**
 * Exit codes after which running the script again is worth it. `diskpart /s` exits with the
 * failing command's HRESULT (as an unsigned 32-bit number) — the public reports below show
 * exactly these values — besides the small codes 1-5 its documentation lists for script errors
 * (never transient: syntax, missing file, fatal exception).
 *  - 0x80070005 E_ACCESSDENIED: `clean` fails with "Cannot zero sectors on disk … Error code:
 *    5@0101000F" in the VDS event log and succeeds when simply run again
 *    (balena-io-modules/etcher-image-write#46, balena-io/etcher#571, #1991, #2812, #3512).
 *  - 0x80004005 E_FAIL: same symptom reported as the exit code (balena-io/etcher#2453).
 *  - 0x80070015 ERROR_NOT_READY "The device is not ready": a USB bridge still settling after the
 *    previous step (rufus logs show it clearing after a retry, pbatard/rufus#1400).
 *  - 0x80042413 VDS_E_DEVICE_IN_USE, 0x80042404 VDS_E_ANOTHER_CALL_IN_PROGRESS: another
 *    VDS client (Explorer's AutoPlay, a second diskpart) holds the disk for a moment
 *    (https://learn.microsoft.com/en-us/windows/win32/vds/virtual-disk-service-common-return-codes).
 * Not transient, never retried: 0x80042412 VDS_E_NO_MEDIA (card reader without a card,
 * corpnewt/gibMacOS#22), 0x8004280A VDS_E_DISK_IS_OFFLINE, and everything else.
 * The whole script is re-run on a retry: it starts with `select disk` + `clean`, so a second run
 * from any point of failure starts again from an empty disk.
 */
export const TRANSIENT_EXIT_CODES: ReadonlySet<number> = new Set([0x80070005, 0x80004005, 0x80070015, 0x80042413, 0x80042404]);

// ---------------------------------------------------------------------------------------------
// The script.

/**
 * The FAT label as diskpart will be given it: 1-11 characters that a FAT volume label may hold
 * (Microsoft FAT spec §6.1 short-name characters plus space; Windows' `label` command also
 * refuses * ? / \ | . , ; : + = [ ] < > "), upper-cased as format stores it. The quote is what
 * matters most here: it would end label="…" and let the rest be read as diskpart syntax.
 */
export function validateDiskpartLabel(label: string): string {
  const upper = label.toUpperCase();
  if (upper.length < 1 || upper.length > 11) {
    throw new CaptureMediaError('LabelInvalid', `The FAT32 volume label must be 1 to 11 characters; "${label}" has ${label.length}.`, { target: label });
  }
  if (firstNonLabelChar(upper) !== undefined) {
    throw new CaptureMediaError(
      'LabelInvalid',
      `The FAT32 volume label "${label}" may only hold letters, digits, spaces and $ % ' - _ @ ~ \` ! ( ) { } ^ # &.`,
      { target: label },
    );
  }
  if (upper.startsWith(' ')) throw new CaptureMediaError('LabelInvalid', `The FAT32 volume label "${label}" starts with a space.`, { target: label });
  return upper;
}

/** The exact diskpart script (CRLF line ends, as diskpart /s expects on every Windows version). */
export function diskpartScript(diskNumber: number, label11: string, diskSizeBytes: number): string {
  if (!Number.isSafeInteger(diskNumber) || diskNumber < 0 || diskNumber > 0xffff_ffff) {
    throw new CaptureMediaError('InvalidParameter', `Not a disk number: ${String(diskNumber)}.`);
  }
  if (!Number.isSafeInteger(diskSizeBytes) || diskSizeBytes <= 0) {
    throw new CaptureMediaError('DiskTooSmall', `Disk ${diskNumber} reports a size of ${String(diskSizeBytes)} bytes (no media?).`);
  }
  const label = validateDiskpartLabel(label11);
  const size = diskSizeBytes > WINDOWS_FAT32_MAX_BYTES ? ` size=${FAT32_PARTITION_SIZE_MB}` : '';
  return [
    `select disk ${diskNumber}`,
    'clean',
    'convert mbr',
    `create partition primary${size}`,
    'active',
    `format fs=fat32 quick label="${label}"`,
    'assign',
    'exit',
    '',
  ].join('\r\n');
}

// ---------------------------------------------------------------------------------------------
// Running diskpart.

export interface CommandResult {
  /** Undefined when the process did not start or was killed. */
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a command is run: execa for real, a FAKE diskpart in tests (src/disk/windows/testing/). */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandResult>;

/** The real runner. `reject: false`: a non-zero exit is data (the retry decision), not an exception. */
export const execaRunner: CommandRunner = async (file, args) => {
  const result = await execa(file, [...args], { reject: false, windowsHide: true, encoding: 'utf8', stripFinalNewline: false });
  return { exitCode: result.exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
};

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const realSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

export interface RunDiskpartOptions {
  readonly runner?: CommandRunner;
  /**
   * Checked before each attempt and during the back-off. A diskpart already running is NOT
   * killed: stopping it between `clean` and `format` leaves the disk no better off, and VDS
   * may keep the disk locked; a quick format takes seconds.
   */
  readonly signal?: AbortSignal;
  readonly sleep?: Sleep;
  /** Where the script file goes (default: the OS temp folder). */
  readonly tempDir?: string;
  /** Called before each retry: the log line. */
  readonly onRetry?: (attempt: number, exitCode: number | undefined, delayMs: number) => void;
}

export interface DiskpartRun {
  readonly attempts: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Unsigned 32-bit, as HRESULTs are written: Node may report a negative int32 for 0x8xxxxxxx. */
export function normalizeExitCode(code: number | undefined): number | undefined {
  return code === undefined ? undefined : code >>> 0;
}

export function isTransientDiskpartExit(code: number | undefined): boolean {
  const c = normalizeExitCode(code);
  return c !== undefined && TRANSIENT_EXIT_CODES.has(c);
}

function hex(code: number | undefined): string {
  return code === undefined ? 'none' : `${code} (0x${code.toString(16).toUpperCase().padStart(8, '0')})`;
}

let lockTail: Promise<unknown> = Promise.resolve();

/** Process-wide mutual exclusion for diskpart: callers run one after another, in call order. */
export function withDiskpartLock<T>(fn: () => Promise<T>): Promise<T> {
  const run = lockTail.then(fn, fn);
  lockTail = run.catch(() => undefined);
  return run;
}

/**
 * Writes `script` to a private temp file (mode 0600, in a fresh 0700 folder) and runs
 * `diskpart /s <file>` until it exits 0, retrying transient failures. Callers hold the lock
 * (prepareWindowsDisk does, through withDiskpartLock).
 */
export async function runDiskpart(script: string, options: RunDiskpartOptions = {}): Promise<DiskpartRun> {
  const runner = options.runner ?? execaRunner;
  const sleep = options.sleep ?? realSleep;
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'capture-media-diskpart-'));
  const file = join(dir, 'prepare.txt');
  try {
    await writeFile(file, script, { encoding: 'ascii', mode: 0o600, flag: 'wx' });
    const args = ['/s', file];
    for (let attempt = 1; ; attempt += 1) {
      throwIfAborted(options.signal);
      const result = await runner('diskpart', args);
      const exitCode = normalizeExitCode(result.exitCode);
      if (exitCode === 0) return { attempts: attempt, stdout: result.stdout, stderr: result.stderr };
      const transient = isTransientDiskpartExit(exitCode);
      if (!transient || attempt >= DISKPART_MAX_ATTEMPTS) {
        throw new DeviceError(
          'DiskpartFailed',
          transient
            ? `diskpart failed ${attempt} times with the transient error ${hex(exitCode)}; giving up. Unplug and re-insert the drive, then try again.`
            : `diskpart failed with exit code ${hex(exitCode)}.`,
          { command: 'diskpart', args, exitCode, stdout: result.stdout, stderr: result.stderr },
        );
      }
      const wait = DISKPART_RETRY_DELAYS_MS[attempt - 1] ?? DISKPART_RETRY_DELAYS_MS[DISKPART_RETRY_DELAYS_MS.length - 1] ?? 2000;
      options.onRetry?.(attempt, exitCode, wait);
      try {
        await sleep(wait, options.signal);
      } catch (error: unknown) {
        throw new CaptureMediaError('Cancelled', 'The operation was cancelled.', { cause: error });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The whole preparation: re-check, wipe, verify.

export interface PrepareDeps extends RunDiskpartOptions {
  readonly session: PowerShellSession;
  /** How often to re-query for the drive letter `assign` gave (it can lag by a moment). Default 5. */
  readonly verifyAttempts?: number;
  readonly verifyDelayMs?: number;
}

export interface PreparedDisk {
  /** The new volume's drive letter, "E:". */
  readonly driveLetter: string;
  readonly diskpartAttempts: number;
}

function identityOfRaw(raw: RawDisk): DiskIdentity {
  // The same fields, built the same way, as identityOf(buildDiskInfos(...)) in get-disk.ts.
  return {
    path: physicalDrivePath(raw.number),
    sizeBytes: raw.sizeBytes,
    serial: raw.serialNumber,
    model: raw.friendlyName,
    uniqueId: raw.uniqueId,
    majorMinor: undefined,
    number: raw.number,
  };
}

async function freshDisk(session: PowerShellSession, diskNumber: number): Promise<RawDisk | undefined> {
  try {
    return await queryDisk(session, diskNumber);
  } catch (error: unknown) {
    if (error instanceof CaptureMediaError && error.id === 'Cancelled') throw error;
    // Get-Disk -Number N errors when the disk is gone (unplugged, renumbered).
    return undefined;
  }
}

/**
 * On Windows too: re-check the identity immediately before the first destructive
 * command (inside the diskpart lock, so waiting for another drive cannot open a gap), run the
 * script, then judge the result by what Windows now reports for the disk.
 */
export async function prepareWindowsDisk(disk: DiskInfo, expectedIdentity: DiskIdentity, label: string, deps: PrepareDeps): Promise<PreparedDisk> {
  const diskNumber = disk.number;
  if (diskNumber === undefined) throw new CaptureMediaError('InvalidParameter', `${disk.path} has no Windows disk number.`, { target: disk.path });
  // Validates the label (LabelInvalid) before anything touches the disk.
  const script = diskpartScript(diskNumber, label, expectedIdentity.sizeBytes);
  const sleep = deps.sleep ?? realSleep;

  const run = await withDiskpartLock(async () => {
    throwIfAborted(deps.signal);
    const now = await freshDisk(deps.session, diskNumber);
    if (now === undefined) {
      throw new CaptureMediaError('DiskChanged', `Disk ${diskNumber} (${disk.path}) is no longer there; nothing was written.`, { target: disk.path });
    }
    const difference = identityDifference(expectedIdentity, identityOfRaw(now));
    if (difference !== undefined) {
      throw new CaptureMediaError('DiskChanged', `Disk ${diskNumber} changed since it was checked (${difference}); nothing was written.`, {
        target: disk.path,
      });
    }
    // Cheap second look at the flags that make a disk untouchable; the full verdict was given earlier by judgeDisk.
    if (now.isSystem || now.isBoot) throw new CaptureMediaError('DiskIsSystem', `Disk ${diskNumber} is now a system or boot disk; nothing was written.`, { target: disk.path });
    if (now.isOffline || now.isReadOnly) throw new CaptureMediaError('DiskOffline', `Disk ${diskNumber} is now offline or read-only; nothing was written.`, { target: disk.path });
    return runDiskpart(script, deps);
  });

  const attempts = deps.verifyAttempts ?? 5;
  let problem = '';
  for (let i = 1; i <= attempts; i += 1) {
    problem = '';
    const raw = await freshDisk(deps.session, diskNumber);
    const partitions = parsePartitions(await deps.session.invoke(getPartitionsOfDiskScript(diskNumber)));
    const volumes = parseVolumes(await deps.session.invoke(getVolumesOfDiskScript(diskNumber)));
    const fat32 = volumes.filter((v) => v.fileSystem?.toUpperCase() === 'FAT32');
    if (raw === undefined) problem = 'the disk is gone';
    else if (raw.partitionStyle.toUpperCase() !== 'MBR') problem = `the partition style is ${raw.partitionStyle}, not MBR`;
    else if (partitions.length !== 1) problem = `the disk has ${partitions.length} partitions, not 1`;
    else if (fat32.length !== 1) problem = `there is no FAT32 volume (file systems: ${volumes.map((v) => v.fileSystem ?? 'RAW').join(', ') || 'none'})`;
    const letter = partitions[0]?.driveLetter ?? fat32[0]?.driveLetter;
    if (problem === '' && letter === undefined) problem = 'the new volume has no drive letter';
    if (problem === '' && letter !== undefined) return { driveLetter: `${letter}:`, diskpartAttempts: run.attempts };
    // Only a missing letter is worth waiting for (mount manager lag); a wrong layout will not fix itself.
    if (problem !== 'the new volume has no drive letter' || i === attempts) break;
    await sleep(deps.verifyDelayMs ?? 1000, deps.signal);
  }
  throw new DeviceError(
    'DiskpartFailed',
    `diskpart exited 0 but disk ${diskNumber} is not prepared: ${problem}.`,
    { command: 'diskpart', args: ['/s', '<script>'], exitCode: 0, stdout: run.stdout, stderr: run.stderr },
    { target: disk.path },
  );
}

// ---------------------------------------------------------------------------------------------
// -WhatIf

function humanSize(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** What -WhatIf prints: the disk that would be wiped, and the exact script. */
export function whatIfPlan(disk: DiskInfo, label: string): string {
  if (disk.number === undefined) throw new CaptureMediaError('InvalidParameter', `${disk.path} has no Windows disk number.`, { target: disk.path });
  const script = diskpartScript(disk.number, label, disk.sizeBytes);
  const lines = [
    `What if: erase disk ${disk.number} and format it FAT32 (all data on it is lost):`,
    `  Disk:   ${disk.number} (${disk.path})`,
    `  Model:  ${disk.model ?? '(none reported)'}`,
    `  Serial: ${disk.serial ?? '(none reported)'}`,
    `  Size:   ${humanSize(disk.sizeBytes)} (${disk.sizeBytes} bytes)`,
    `  Bus:    ${disk.busType}`,
    '  diskpart script:',
    ...script
      .split('\r\n')
      .filter((l) => l !== '')
      .map((l) => `    ${l}`),
  ];
  return lines.join('\n');
}
