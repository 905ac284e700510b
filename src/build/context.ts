// What a build pipeline gets from the job that runs it: where to report, when to stop, and the
// log's path for the result object. The job layer's context satisfies it; a pipeline never sees
// the host (CLI or bridge) behind it.

import type { ProgressEvent } from '../io/progress.js';

export type MessageLevel = 'verbose' | 'info' | 'warning';

export interface BuildReporter {
  progress(event: ProgressEvent): void;
  log(level: MessageLevel, message: string): void;
}

export interface BuildContext {
  readonly reporter: BuildReporter;
  readonly signal: AbortSignal;
  /** The CMTrace log the job writes, for the result's LogPath; undefined when there is none. */
  readonly logPath: string | undefined;
}
