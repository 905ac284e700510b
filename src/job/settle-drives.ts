// Several drives, one job: the drives that succeeded are reported as results, then one error names
// every drive that failed, so a script sees both (PowerShell: the results on the pipeline, then an
// error record).

import type { BuildOutcome } from '../build/result.js';
import { CaptureMediaError, type ErrorId } from '../errors.js';
import type { Reporter } from './events.js';

/** Ids that describe what happened to one drive; anything else is reported as WriteFailed. */
const DRIVE_OUTCOME_IDS: ReadonlySet<ErrorId> = new Set<ErrorId>(['WriteFailed', 'VerifyFailed', 'DiskChanged', 'DiskMounted', 'DiskpartFailed', 'PowerShellFailed']);

/** Report every result; then, if any target failed, throw one error naming each failed target. */
export function settleOutcome(outcome: BuildOutcome, reporter: Reporter): void {
  const { results, failures, targetCount } = outcome;
  for (const r of results) reporter.result(r);
  if (failures.size === 0) return;
  const first = [...failures.values()][0]!;
  const list = [...failures].map(([path, e]) => `${path}: [${e.id}] ${e.message}`).join('; ');
  throw new CaptureMediaError(
    DRIVE_OUTCOME_IDS.has(first.id) ? first.id : 'WriteFailed',
    `${failures.size} of ${targetCount} drive(s) failed: ${list}${results.length ? `; ${results.length} drive(s) were written and verified` : ''}.`,
    { target: [...failures.keys()].join(', '), cause: first },
  );
}
