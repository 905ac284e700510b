// The events that flow from a running job to its host (docs/bridge.md): a discriminated union on
// `type`. Each host (the CLI, the bridge) presents them through a JobEventHandlers map, which must
// name a handler for every type: adding an event type that a host ignores is a compile error.

import type { MessageLevel } from '../build/context.js';
import type { ErrorCategory, ErrorId } from '../errors.js';
import type { ProgressEvent } from '../io/progress.js';

export type LogEventLevel = MessageLevel;

export interface ProgressJobEvent extends ProgressEvent {
  readonly type: 'progress';
}
export interface LogJobEvent {
  readonly type: 'log';
  readonly level: LogEventLevel;
  readonly message: string;
}
export interface ResultJobEvent {
  readonly type: 'result';
  readonly data: Readonly<Record<string, unknown>>;
}
export interface ErrorJobEvent {
  readonly type: 'error';
  readonly id: ErrorId;
  readonly category: ErrorCategory;
  readonly message: string;
  readonly target?: string;
}

export type JobEvent = ProgressJobEvent | LogJobEvent | ResultJobEvent | ErrorJobEvent;
export type JobEventType = JobEvent['type'];
export type JobEventHandlers<R = void> = { readonly [K in JobEventType]: (event: Extract<JobEvent, { type: K }>) => R };

export function dispatchEvent<R>(event: JobEvent, handlers: JobEventHandlers<R>): R {
  return (handlers[event.type] as (e: JobEvent) => R)(event);
}

/** What a job reports to its host while it runs; an error ends the job and is returned, not reported. */
export interface Reporter {
  progress(event: ProgressEvent): void;
  log(level: LogEventLevel, message: string): void;
  result(data: Readonly<Record<string, unknown>>): void;
}

/** The Reporter a host gets from its handler map: each call becomes its event, dispatched. */
export function reporterFor(handlers: JobEventHandlers<unknown>): Reporter {
  return {
    progress: (event) => void dispatchEvent({ type: 'progress', ...event }, handlers),
    log: (level, message) => void dispatchEvent({ type: 'log', level, message }, handlers),
    result: (data) => void dispatchEvent({ type: 'result', data }, handlers),
  };
}
