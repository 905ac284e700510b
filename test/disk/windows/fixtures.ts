// Loads the recorded/reconstructed PowerShell outputs (test/fixtures/disk/windows/, see its
// README for where each came from) and wires them into the FAKE PowerShell session.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/temp.js';
import type { SafetyContext } from '../../../src/disk/model.js';
import { FakePowerShellSession, type FakeReply } from '../../fakes/windows/fake-powershell-session.js';
import {
  GET_DISK_SCRIPT,
  GET_PARTITION_SCRIPT,
  GET_VOLUME_SCRIPT,
  PAGE_FILE_SCRIPT,
  SYSTEM_ROOT_SCRIPT,
  getPartitionByDriveLetterScript,
  getLogicalDiskScript,
} from '../../../src/disk/windows/get-disk.js';
import { IS_ELEVATED_SCRIPT } from '../../../src/disk/windows/elevation.js';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'disk', 'windows');

/** What `create` judges a disk with in these tests: 600 MiB of media, nothing in use, no -AllowFixedDisk. */
export const safetyContext = (overrides: Partial<SafetyContext> = {}): SafetyContext => ({
  disksInUse: new Map(),
  requiredBytes: 600 * 1024 * 1024,
  allowFixedDisk: false,
  ...overrides,
});

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A fixture with some fields of a JSON object changed (for "the second Get-Disk differs"). */
export function fixtureWith(name: string, changes: Record<string, unknown>): string {
  return JSON.stringify({ ...(JSON.parse(fixture(name)) as Record<string, unknown>), ...changes }, null, 4);
}

/** Exact-script replies for the five discovery queries of the "workstation" machine. */
export function workstationReplies(diskFixture = 'workstation.get-disk.json'): FakeReply[] {
  return [
    { match: (s) => s === GET_DISK_SCRIPT, output: fixture(diskFixture) },
    { match: (s) => s === GET_PARTITION_SCRIPT, output: fixture('workstation.get-partition.json') },
    { match: (s) => s === GET_VOLUME_SCRIPT, output: fixture('workstation.get-volume.json') },
    { match: (s) => s === SYSTEM_ROOT_SCRIPT, output: fixture('workstation.system-root.txt') },
    { match: (s) => s === PAGE_FILE_SCRIPT, output: fixture('workstation.pagefile.json') },
    { match: (s) => s === IS_ELEVATED_SCRIPT, output: 'True\r\n' },
    ...byLetterReplies(),
    // Win32_LogicalDisk for letters no partition has: Z: a mapped network share, S: a subst drive, Q: nothing.
    { match: (s) => s === getLogicalDiskScript('Z'), output: fixture('workstation.logicaldisk-z.json') },
    { match: (s) => s === getLogicalDiskScript('S'), output: fixture('workstation.logicaldisk-s.json') },
    { match: (s) => s === getLogicalDiskScript('Q'), output: '' },
  ];
}

/** What Get-Partition -DriveLetter X answers on the workstation: the matching row of the full listing (one object), or nothing. */
export function byLetterReplies(): FakeReply[] {
  const all = JSON.parse(fixture('workstation.get-partition.json')) as { DriveLetter: string }[];
  return ['C', 'E', 'F', 'Z'].map((letter) => {
    const row = all.find((p) => p.DriveLetter === letter);
    return { match: (s: string) => s === getPartitionByDriveLetterScript(letter), output: row === undefined ? '' : JSON.stringify(row, null, 4) };
  });
}

export function workstationSession(extra: readonly FakeReply[] = []): FakePowerShellSession {
  return new FakePowerShellSession([...extra, ...workstationReplies()]);
}

/** One machine from a public record: its Get-Disk, Get-Partition and Get-Volume outputs (README.md says which values are real). */
export interface MachineFixtures {
  readonly disks: string;
  /** Absent: the record has no Get-Partition / Get-Volume for the machine; the session prints nothing. */
  readonly partitions?: string;
  readonly volumes?: string;
}

/**
 * A FAKE session answering as that machine: the five discovery queries ($env:SystemRoot and the
 * page file are the Windows defaults C:\Windows and C:\pagefile.sys, from the workstation files —
 * no record shows them), and Get-Partition -DriveLetter X for every letter A-Z: the partition
 * fixture's row for X, or nothing, which is what -ErrorAction SilentlyContinue prints for a
 * letter no partition carries.
 */
export function machineSession(machine: MachineFixtures, extra: readonly FakeReply[] = []): FakePowerShellSession {
  const partitions = machine.partitions === undefined ? '' : fixture(machine.partitions);
  const rows = partitions === '' ? [] : (JSON.parse(partitions) as { DriveLetter: unknown }[]);
  const byLetter: FakeReply[] = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((letter) => {
    const row = rows.find((p) => p.DriveLetter === letter);
    return { match: (s: string) => s === getPartitionByDriveLetterScript(letter), output: row === undefined ? '' : JSON.stringify(row, null, 4) };
  });
  return new FakePowerShellSession([
    ...extra,
    { match: (s) => s === GET_DISK_SCRIPT, output: fixture(machine.disks) },
    { match: (s) => s === GET_PARTITION_SCRIPT, output: partitions },
    { match: (s) => s === GET_VOLUME_SCRIPT, output: machine.volumes === undefined ? '' : fixture(machine.volumes) },
    { match: (s) => s === SYSTEM_ROOT_SCRIPT, output: fixture('workstation.system-root.txt') },
    { match: (s) => s === PAGE_FILE_SCRIPT, output: fixture('workstation.pagefile.json') },
    ...byLetter,
  ]);
}

/**
 * What `Get-Disk -Number N` prints on that machine: the one object with that Number from a
 * Get-Disk fixture (an array or a single object), with some fields changed if asked.
 */
export function diskRow(name: string, number: number, changes: Record<string, unknown> = {}): string {
  const parsed = JSON.parse(fixture(name)) as Record<string, unknown> | Record<string, unknown>[];
  const row = (Array.isArray(parsed) ? parsed : [parsed]).find((d) => d.Number === number);
  if (row === undefined) throw new Error(`${name} has no disk ${number}`);
  return JSON.stringify({ ...row, ...changes }, null, 4);
}
