// FAKE — for tests only. Stands in for `diskpart.exe`: a CommandRunner that returns scripted exit
// codes (recorded HRESULTs from public reports, see diskpart.ts) and records each call, including
// the script file's text as it was at the time of the call. It never touches a disk.

import { readFileSync, statSync } from 'node:fs';
import type { CommandResult, CommandRunner } from '../../../src/disk/windows/diskpart.js';

export interface FakeDiskpartCall {
  readonly file: string;
  readonly args: readonly string[];
  /** The script file's content when diskpart was "run". */
  readonly script: string;
  /** The script file's permission bits (0o600 expected; meaningless on Windows). */
  readonly mode: number;
}

export interface FakeDiskpart {
  readonly runner: CommandRunner;
  readonly calls: FakeDiskpartCall[];
}

/** Each call takes the next result; the last one repeats. Results default to empty output. */
export function fakeDiskpart(results: readonly (number | Partial<CommandResult>)[], onRun?: (call: FakeDiskpartCall) => void | Promise<void>): FakeDiskpart {
  const calls: FakeDiskpartCall[] = [];
  const runner: CommandRunner = async (file, args) => {
    const scriptPath = args[1] ?? '';
    const call = { file, args, script: readFileSync(scriptPath, 'ascii'), mode: statSync(scriptPath).mode & 0o777 };
    calls.push(call);
    await onRun?.(call);
    const r = results[Math.min(calls.length - 1, results.length - 1)] ?? 0;
    const result = typeof r === 'number' ? { exitCode: r } : r;
    return {
      exitCode: result.exitCode,
      stdout: result.stdout ?? `FAKE diskpart run ${calls.length}\r\n`,
      stderr: result.stderr ?? '',
    };
  };
  return { runner, calls };
}
