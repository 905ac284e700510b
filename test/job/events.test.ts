// The job event union: every host handles every event type. The compile-time half is the
// expected type error in the first test: `npm run build` type-checks test/, so it fails the day a
// handler map that leaves out an event type stops being an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatchEvent, reporterFor, type JobEvent, type JobEventHandlers } from '../../src/job/events.js';

test('a handler map without a handler for every event type does not compile', () => {
  // @ts-expect-error the 'error' handler is missing
  const partial: JobEventHandlers = { progress: () => undefined, log: () => undefined, result: () => undefined };
  assert.equal(typeof partial.progress, 'function');
});

test('reporterFor turns each report into its event and hands it to that type\'s handler', () => {
  const seen: JobEvent[] = [];
  const handlers: JobEventHandlers = { progress: (e) => seen.push(e) && undefined, log: (e) => seen.push(e) && undefined, result: (e) => seen.push(e) && undefined, error: (e) => seen.push(e) && undefined };
  const reporter = reporterFor(handlers);
  reporter.progress({ phase: 'write', percent: 50, bytesDone: 1, bytesTotal: 2, status: 'Writing' });
  reporter.log('warning', 'careful');
  reporter.result({ Path: ['x.iso'] });
  dispatchEvent({ type: 'error', id: 'WriteFailed', category: 'WriteError', message: 'disk full' }, handlers);
  assert.deepEqual(
    seen.map((e) => e.type),
    ['progress', 'log', 'result', 'error'],
  );
  assert.deepEqual(seen[1], { type: 'log', level: 'warning', message: 'careful' });
});
