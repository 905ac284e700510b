// Runs one command for a host (CLI or bridge): sets up the log, runs, turns whatever was thrown
// into an error with a stable id, and returns the exit code. Hosts only present the outcome.

import type { BridgeCommand, BridgeParams } from '../bridge/schema.js';
import type { Reporter } from '../bridge/events.js';
import { CaptureMediaError, EXIT_OK, toCaptureMediaError } from '../errors.js';
import { createLogger, defaultLogPath, nullLogger, type Logger } from '../log/logger.js';
import { loggingReporter } from './context.js';
import { COMMANDS } from './commands/index.js';

export interface JobOutcome {
  readonly exitCode: number;
  readonly error: CaptureMediaError | undefined;
}

function openLog(params: BridgeParams): Logger {
  const path = params.logPath ?? (process.env.CAPTUREMEDIA_NO_LOG === '1' ? undefined : defaultLogPath());
  if (path === undefined) return nullLogger;
  try {
    return createLogger({ path, component: 'capture-media' });
  } catch (error: unknown) {
    // An explicit --log-path that cannot be used is the user's error; the default one is not worth failing for.
    if (params.logPath !== undefined) throw error;
    return nullLogger;
  }
}

export async function runJob(command: BridgeCommand, params: BridgeParams, reporter: Reporter, signal: AbortSignal): Promise<JobOutcome> {
  let logger: Logger = nullLogger;
  try {
    logger = openLog(params);
    logger.log('info', `capture-media ${command} started (pid ${process.pid}, node ${process.version}, ${process.platform})`);
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

export function errorObject(error: CaptureMediaError): { id: string; category: string; message: string; target?: string } {
  return { id: error.id, category: error.category, message: error.message, ...(error.target === undefined ? {} : { target: error.target }) };
}

/** Write to a stream and wait until it is handed to the OS (pipes are asynchronous on Windows). */
export function writeAndWait(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}
