// What every command gets from its host (CLI or bridge): where to report, when to stop, where to log.

import type { Reporter } from './events.js';
import type { Logger } from '../log/logger.js';

export interface JobContext {
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** A reporter that also writes every message to the CMTrace log. */
export function loggingReporter(inner: Reporter, logger: Logger): Reporter {
  return {
    progress: (event) => inner.progress(event),
    log(level, message) {
      logger.log(level, message);
      inner.log(level, message);
    },
    result(data) {
      logger.log('info', `Result: ${JSON.stringify(data)}`);
      inner.result(data);
    },
  };
}
