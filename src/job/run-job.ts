// Runs one command for a host (CLI or bridge): sets up the log, runs, turns whatever was thrown
// into an error with a stable id, and returns the exit code. Hosts only present the outcome.

import { closeSync, constants, lstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandName, CommandParams } from './commands/params.js';
import { isInside } from '../plan/paths.js';
import type { ErrorJobEvent, Reporter } from './events.js';
import { checkPathParams } from '../plan/path-values.js';
import { CaptureMediaError, EXIT_OK, toCaptureMediaError } from '../errors.js';
import { createLogger, defaultLogPath, nullLogger, type Logger } from '../log/logger.js';
import { loggingReporter } from './context.js';
import { COMMANDS } from './commands/index.js';
import { PRODUCT_NAME_AND_VERSION } from '../version.js';

export interface JobOutcome {
  readonly exitCode: number;
  readonly error: CaptureMediaError | undefined;
}

const CMTRACE_START = '<![LOG[';

/**
 * The log is opened before anything else (so every later failure is logged), which is also why it
 * must never land on something the job reads or guards: the outputs, the boot image, a content
 * library, or any existing file that is not already a CMTrace log.
 */
function checkLogPath(logPath: string, params: CommandParams): void {
  const log = resolve(logPath);
  const refuse = (what: string) =>
    new CaptureMediaError('LogPathInvalid', `--log-path "${logPath}" is ${what}; the log must go to a file of its own (e.g. C:\\ProgramData\\CaptureMedia\\Logs\\CaptureMedia.log).`, {
      target: logPath,
    });
  if ((params.path ?? []).some((p) => resolve(p) === log)) throw refuse('one of the outputs');
  if (params.bootImage !== undefined && resolve(params.bootImage) === log) throw refuse('the boot image');
  if ((params.distributionPoint ?? []).some((dp) => isInside(log, dp))) throw refuse('inside the content library');
  // Only a regular file is read (never a FIFO, which would block this read forever, or a link:
  // LogFile refuses both with their own message), and opened without blocking.
  const existing = (() => {
    try {
      return lstatSync(log);
    } catch {
      return undefined;
    }
  })();
  if (!existing?.isFile()) return;
  let head: Buffer | undefined;
  try {
    const fd = openSync(log, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
    try {
      head = Buffer.alloc(CMTRACE_START.length);
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    head = undefined; // not there yet (or unreadable: winston will say so)
  }
  if (head !== undefined && head.length > 0 && head.toString('latin1') !== CMTRACE_START) throw refuse('an existing file that is not a CMTrace log');
}

async function openLog(params: CommandParams, reporter: Reporter): Promise<Logger> {
  if (params.logPath !== undefined) checkLogPath(params.logPath, params);
  const path = params.logPath ?? (process.env.CAPTUREMEDIA_NO_LOG === '1' ? undefined : defaultLogPath());
  if (path === undefined) return nullLogger;
  // A log that stops working mid-job (a full disk) is one warning; the job's outcome is its own.
  const onFailure = (message: string) => reporter.log('warning', message);
  try {
    return await createLogger({ path, component: 'capture-media', onFailure });
  } catch (error: unknown) {
    // An explicit --log-path that cannot be used is the user's error; the default one is not worth failing for.
    if (params.logPath !== undefined) throw error;
    onFailure(`The default log ${path} cannot be opened (${error instanceof Error ? error.message : String(error)}); the job goes on without a log.`);
    return nullLogger;
  }
}

export async function runJob(command: CommandName, params: CommandParams, reporter: Reporter, signal: AbortSignal): Promise<JobOutcome> {
  let logger: Logger = nullLogger;
  try {
    checkPathParams(params);
    logger = await openLog(params, reporter);
    logger.log('info', `${PRODUCT_NAME_AND_VERSION} ${command} started (pid ${process.pid}, node ${process.version}, ${process.platform})`);
    await COMMANDS[command](params, { reporter: loggingReporter(reporter, logger), signal, logger });
    logger.log('info', `capture-media ${command} finished`);
    return { exitCode: EXIT_OK, error: undefined };
  } catch (thrown: unknown) {
    const error = signal.aborted && !(thrown instanceof CaptureMediaError && thrown.id !== 'InternalError') ? new CaptureMediaError('Cancelled', 'The operation was cancelled.', { cause: thrown }) : toCaptureMediaError(thrown);
    logger.log('error', `${error.id}: ${error.message}${error.target ? ` (target: ${error.target})` : ''}`);
    if (error.id === 'InternalError' && thrown instanceof Error && thrown.stack) logger.log('error', thrown.stack);
    return { exitCode: error.exitCode, error };
  } finally {
    await logger.close();
  }
}

/** The error as the event both hosts present (the bridge as a line, the CLI as text or --json). */
export function errorEvent(error: CaptureMediaError): ErrorJobEvent {
  return { type: 'error', id: error.id, category: error.category, message: error.message, ...(error.target === undefined ? {} : { target: error.target }) };
}
