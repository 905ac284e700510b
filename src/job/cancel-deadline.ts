// A cancel (Ctrl+C, SIGTERM, the bridge's stdin closing) must end the process within seconds even
// when the job cannot notice it: a read the OS never completes (a hung share, a device) holds a
// thread-pool thread that no AbortSignal reaches. After CANCEL_DEADLINE_MS of cleaning up, the host
// gives up on the rest of the cleanup and exits 130; the files left are the same as after kill -9,
// which the next run cleans up (docs/reliability.md).

export const CANCEL_DEADLINE_MS = 10_000;

/** Call once the job is asked to stop; `stop` says so and exits. Unref'd: it never keeps a finished process alive. */
export function armCancelDeadline(stop: () => void, ms = CANCEL_DEADLINE_MS): void {
  setTimeout(stop, ms).unref();
}
