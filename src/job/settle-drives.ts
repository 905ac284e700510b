// Several drives, one job (DESIGN.md §1): the drives that succeeded are reported as results, then
// one error names every drive that failed, so a script sees both (PowerShell: the results on the
// pipeline, then a non-terminating error).

import type { Reporter } from './events.js';
import { CaptureMediaError, type ErrorId } from '../errors.js';
import type { CreateResult } from '../build/result.js';

/** Ids that describe what happened to one drive; anything else is reported as WriteFailed. */
const DRIVE_OUTCOME_IDS: ReadonlySet<ErrorId> = new Set<ErrorId>(['WriteFailed', 'VerifyFailed', 'DiskChanged', 'DiskMounted', 'DiskpartFailed', 'PowerShellFailed']);

export function settleDrives(results: CreateResult[], failures: ReadonlyMap<string, CaptureMediaError>, driveCount: number, reporter: Reporter): CreateResult[] {
  if (failures.size === 0) return results;
  for (const r of results) reporter.result(r);
  const first = [...failures.values()][0]!;
  const list = [...failures].map(([path, e]) => `${path}: [${e.id}] ${e.message}`).join('; ');
  throw new CaptureMediaError(
    DRIVE_OUTCOME_IDS.has(first.id) ? first.id : 'WriteFailed',
    `${failures.size} of ${driveCount} drive(s) failed: ${list}${results.length ? `; ${results.length} drive(s) were written and verified` : ''}.`,
    { target: [...failures.keys()].join(', '), cause: first },
  );
}
