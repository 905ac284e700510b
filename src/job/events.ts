// The events that flow from a running job to its host (DESIGN.md §3, docs/bridge.md): a
// discriminated union on `type`, with a handler map typed over every kind so that adding an
// event type without handling it everywhere is a compile error.

import type { ErrorCategory, ErrorId } from '../errors.js';
import type { ProgressEvent } from '../io/progress.js';

export const BRIDGE_PROTOCOL = 1;

export type LogEventLevel = 'verbose' | 'info' | 'warning';

export interface ProgressBridgeEvent extends ProgressEvent {
  readonly type: 'progress';
}
export interface LogBridgeEvent {
  readonly type: 'log';
  readonly level: LogEventLevel;
  readonly message: string;
}
export interface ResultBridgeEvent {
  readonly type: 'result';
  readonly data: Readonly<Record<string, unknown>>;
}
export interface ErrorBridgeEvent {
  readonly type: 'error';
  readonly id: ErrorId;
  readonly category: ErrorCategory;
  readonly message: string;
  readonly target?: string;
}

export type BridgeEvent = ProgressBridgeEvent | LogBridgeEvent | ResultBridgeEvent | ErrorBridgeEvent;
export type BridgeEventType = BridgeEvent['type'];
export type BridgeEventHandlers<R> = { [K in BridgeEventType]: (event: Extract<BridgeEvent, { type: K }>) => R };

export function dispatchEvent<R>(event: BridgeEvent, handlers: BridgeEventHandlers<R>): R {
  return (handlers[event.type] as (e: BridgeEvent) => R)(event);
}

/** What a job reports to its host; the CLI and the bridge each implement it. */
export interface Reporter {
  progress(event: ProgressEvent): void;
  log(level: LogEventLevel, message: string): void;
  result(data: Readonly<Record<string, unknown>>): void;
}
