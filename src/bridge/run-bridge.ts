// `capture-media bridge`: one JSON request on stdin, NDJSON events on stdout (docs/bridge.md).
// Closing stdin after the request cancels the job.

import { createInterface } from 'node:readline';
import { CaptureMediaError, EXIT_CANCELLED } from '../errors.js';
import { dispatchEvent, reporterFor, type JobEvent, type JobEventHandlers } from '../job/events.js';
import { errorEvent, runJob } from '../job/run-job.js';
import { writeAndWait } from '../io/write-and-wait.js';
import { armCancelDeadline, CANCEL_DEADLINE_MS } from '../job/cancel-deadline.js';
import type { BridgeRequest } from './schema.js';
import { describeSchemaErrors, validateBridgeRequest } from './validate-request.js';

const MAX_REQUEST_BYTES = 1024 * 1024;

/** Set once the host has gone away (its end of stdout closed: EPIPE); nothing more is written. */
let hostGone = false;

function emit(event: JobEvent): void {
  if (hostGone) return;
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** Every event goes to the host as one NDJSON line, `type` first. */
const ndjsonHandlers: JobEventHandlers = { progress: emit, log: emit, result: emit, error: emit };

function readRequestLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, crlfDelay: Infinity });
    let done = false;
    rl.on('line', (line) => {
      if (done || line.trim() === '') return;
      done = true;
      rl.close();
      resolve(line.length > MAX_REQUEST_BYTES ? '' : line);
    });
    rl.on('close', () => {
      if (!done) resolve(undefined);
    });
  });
}

export async function runBridge(): Promise<number> {
  const controller = new AbortController();
  // A host that vanishes without closing stdin still closes stdout: EPIPE cancels the job, and
  // nothing more is written (an unhandled EPIPE would crash instead of cleaning up).
  process.stdout.on('error', () => {
    hostGone = true;
    controller.abort();
  });
  const line = await readRequestLine(process.stdin);
  let request: BridgeRequest;
  try {
    if (line === undefined) throw new CaptureMediaError('BridgeRequestInvalid', 'stdin closed before a request line arrived.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error: unknown) {
      throw new CaptureMediaError('BridgeRequestInvalid', `The request is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (!validateBridgeRequest(parsed)) {
      throw new CaptureMediaError('BridgeRequestInvalid', `The request does not match protocol 1: ${describeSchemaErrors()}`);
    }
    request = parsed;
  } catch (error: unknown) {
    const e = error as CaptureMediaError;
    dispatchEvent(errorEvent(e), ndjsonHandlers);
    if (!hostGone) await writeAndWait(process.stdout, '');
    return e.exitCode;
  }

  // The host keeps stdin open for the job's lifetime; its end is the cancel signal.
  const cancel = () => {
    if (controller.signal.aborted) return;
    controller.abort();
    armCancelDeadline(() => {
      emit(errorEvent(new CaptureMediaError('Cancelled', `The operation was cancelled; cleanup did not finish within ${CANCEL_DEADLINE_MS / 1000} s, so it stopped there (the next run removes what is left).`)));
      process.exit(EXIT_CANCELLED);
    });
  };
  process.stdin.on('end', cancel);
  process.stdin.on('close', cancel);
  process.stdin.resume();
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  process.on('SIGHUP', cancel);

  const outcome = await runJob(request.command, stripNulls(request.params), reporterFor(ndjsonHandlers), controller.signal);
  if (outcome.error) dispatchEvent(errorEvent(outcome.error), ndjsonHandlers);
  if (!hostGone) await writeAndWait(process.stdout, '');
  return controller.signal.aborted && outcome.error?.id === 'Cancelled' ? EXIT_CANCELLED : outcome.exitCode;
}

/** PowerShell's ConvertTo-Json writes $null for unset values; treat them as absent. */
function stripNulls<T extends object>(params: T): T {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null)) as T;
}
