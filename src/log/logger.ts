// The core's logger: winston writing CMTrace lines to a rolled file (README "Safety": Logs). Console
// output is not winston's job here: the CLI and the bridge present messages themselves (stderr
// text, or NDJSON `log` events), so stdout stays clean for --json and the bridge.

import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatCmTraceLine, type CmTraceSeverity } from './cmtrace.js';
import { CaptureMediaError } from '../errors.js';
import { LogFile } from './log-file.js';
import type TransportStream from 'winston-transport';

export const LOG_FILE_NAME = 'CaptureMedia.log';
export { LOG_ROLL_BYTES, LOG_ROLL_FILES } from './log-file.js';

export type LogLevel = 'verbose' | 'info' | 'warning' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, component?: string): void;
  readonly path: string | undefined;
  close(): Promise<void>;
}

const SEVERITY: Record<LogLevel, CmTraceSeverity> = { verbose: 1, info: 1, warning: 2, error: 3 };
const WINSTON_LEVEL: Record<LogLevel, string> = { verbose: 'verbose', info: 'info', warning: 'warn', error: 'error' };

/** Default log location: %ProgramData%\CaptureMedia\Logs on Windows, $XDG_STATE_HOME/capture-media on Linux. */
export function defaultLogPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return `${programData}\\CaptureMedia\\Logs\\${LOG_FILE_NAME}`;
  }
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME ?? homedir(), '.local', 'state');
  return join(state, 'capture-media', LOG_FILE_NAME);
}

type Winston = typeof import('winston');

const cmtraceFormat = (winston: Winston, component: string) =>
  winston.format.printf((info) => {
    const level = (info.cmLevel as LogLevel | undefined) ?? 'info';
    return formatCmTraceLine({
      message: String(info.message),
      time: new Date(),
      component: typeof info.component === 'string' ? info.component : component,
      severity: SEVERITY[level],
      thread: process.pid,
      file: typeof info.file === 'string' ? info.file : '',
    });
  });

/**
 * Opens the log; winston is imported here, not at start-up, so a run without a log never loads it.
 * winston formats and routes; the file is our LogFile (synchronous appends, so close() has nothing
 * to wait for and a log that fails cannot stall or end the process). A write failure calls
 * `onFailure` once with a message for the user (a warning), and the job goes on: the log must
 * never change a job's outcome or exit code.
 */
export async function createLogger(options: { path?: string; component?: string; onFailure?: (message: string) => void }): Promise<Logger> {
  const path = options.path;
  const component = options.component ?? 'capture-media';
  if (path === undefined) return nullLogger;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error: unknown) {
    throw new CaptureMediaError('LogPathInvalid', `Cannot create the log folder for ${path}: ${String((error as Error).message)}. Pass --log-path with a writable location.`, {
      target: path,
      cause: error,
    });
  }
  const file = LogFile.open(path, options.onFailure ?? (() => undefined));
  const { default: winston } = await import('winston');
  const MESSAGE = Symbol.for('message');
  // winston re-exports winston-transport's base class at run time; its typings omit it.
  const Transport = (winston as unknown as { Transport: typeof TransportStream }).Transport;
  class CmTraceFileTransport extends Transport {
    override log(info: Record<string | symbol, unknown>, next: () => void): void {
      file.append(`${String(info[MESSAGE])}\r\n`);
      next();
    }
  }
  const transport = new CmTraceFileTransport();
  const logger = winston.createLogger({ level: 'verbose', format: cmtraceFormat(winston, component), transports: [transport] });
  let closed = false;
  return {
    path,
    log(level, message, comp) {
      if (closed) return;
      logger.log({ level: WINSTON_LEVEL[level], message, cmLevel: level, component: comp ?? component });
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      // winston hands lines to the transport on later ticks; 'finish' says all were handed over.
      // The timer is a ref'd bound (not unref'd): the process stays alive until close settles.
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          file.close();
          resolve();
        };
        const timer = setTimeout(done, 2000);
        logger.once('finish', done);
        logger.end();
      });
    },
  };
}

export const nullLogger: Logger = {
  path: undefined,
  log() {},
  async close() {},
};
