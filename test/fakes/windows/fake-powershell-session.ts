// FAKE — for tests only. A PowerShellSession that runs nothing: it answers each script with a
// recorded output (test/fixtures/disk/windows/) chosen by matching the script text, and keeps
// every script it was given so tests can check that no user string was pasted into PowerShell.
// Not exported from any production entry point; never construct it outside tests.

import type { PowerShellSession } from '../../../src/disk/windows/powershell-session.js';

export interface FakeReply {
  /** A substring of the script, a RegExp, or a predicate. The first reply that matches and has uses left answers. */
  readonly match: string | RegExp | ((script: string) => boolean);
  /** The recorded stdout, or an Error to reject with (PowerShell wrote to the error stream). */
  readonly output: string | Error;
  /** How many times this reply may answer; unlimited when absent. Lets a test change the answer on the second Get-Disk. */
  readonly times?: number;
}

export class FakePowerShellSession implements PowerShellSession {
  /** Every script received, in order. */
  readonly scripts: string[] = [];
  disposed = false;
  private readonly replies: { reply: FakeReply; left: number }[];

  constructor(replies: readonly FakeReply[]) {
    this.replies = replies.map((reply) => ({ reply, left: reply.times ?? Number.POSITIVE_INFINITY }));
  }

  async invoke(script: string): Promise<string> {
    if (this.disposed) throw new Error('FakePowerShellSession: invoke after dispose');
    this.scripts.push(script);
    for (const entry of this.replies) {
      if (entry.left <= 0 || !matches(entry.reply.match, script)) continue;
      entry.left -= 1;
      if (entry.reply.output instanceof Error) throw entry.reply.output;
      return entry.reply.output;
    }
    throw new Error(`FakePowerShellSession: no recorded output for script:\n${script}`);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function matches(match: FakeReply['match'], script: string): boolean {
  if (typeof match === 'string') return script.includes(match);
  if (match instanceof RegExp) return match.test(script);
  return match(script);
}
