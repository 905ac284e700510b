// Putting the discs of a set in place all or none, recoverable after a crash at any instant.
//
// A set is several files (capture1.iso, capture2.iso, …) and no file system renames several files
// at once. So before the first change the commit writes a journal beside the set,
//   .capture-media-set.<host>-<pid>-<random>.journal
// naming every member: its new file (a verified temporary file), its old file (kept as a `.bak`
// hard link, or moved there where links are not supported), and both files' inode numbers, which
// tell later which of the two a name holds. Steps, each one atomic (one link, rename or unlink):
//   1. journal written and fsynced          4. old discs beyond the new count removed (leftovers)
//   2. each old disc linked to its .bak      5. the .bak files removed
//   3. each new disc renamed over its target 6. the journal removed
// Whatever instant a crash (kill -9, power loss) interrupts, recoverSetCommits() - run by the next
// `create` or `verify` in that folder before anything else - finishes the job from the journal:
// when every new disc still exists (under its temporary name or already in place) it completes the
// new set (roll forward); otherwise it puts every old disc back from its .bak (roll back). It never
// deletes a file the other outcome needs, and when neither outcome is possible it changes nothing
// and says so (DiscSetRecoveryFailed): the journal and every file it names stay for a person.
//
// Stale-file cleanup (atomic-output.ts) never removes a file a journal names.

import { randomBytes } from 'node:crypto';
import { chmod, link, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CaptureMediaError, errnoCode } from '../errors.js';
import { hostId } from '../io/host-id.js';
import { STALE_AFTER_MS, tempPathFor } from '../io/atomic-output.js';

const JOURNAL_FORMAT = 'capture-media-set-journal/1';
const JOURNAL_PATTERN = /^\.capture-media-set\.([0-9a-f]{8})-(\d+)-[0-9a-f]{8}\.journal$/;

interface JournalMember {
  /** File names, all in the journal's folder. */
  readonly target: string;
  /** The new disc's temporary file; null for an old disc the new set has no place for. */
  readonly temp: string | null;
  readonly backup: string | null;
  /** Inode numbers (decimal strings: they exceed 2^53 on some file systems). */
  readonly newIno: string | null;
  readonly oldIno: string | null;
}

interface Journal {
  readonly format: string;
  readonly host: string;
  readonly pid: number;
  readonly members: readonly JournalMember[];
}

export interface SetMember {
  readonly target: string;
  /** The verified, fsynced temporary file to put at `target`; null removes `target` (a leftover disc). */
  readonly temp: string | null;
  /** The new file's final mode (see finalModeFor). */
  readonly mode?: number;
}

export type RecoveryOutcome = 'completed' | 'restored';

/** Inode of a path, or null when it does not exist. */
async function inodeOf(path: string): Promise<string | null> {
  try {
    const s = await stat(path, { bigint: true });
    return s.isFile() ? String(s.ino) : null;
  } catch (error: unknown) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/** Make renames and links durable before the next step relies on them (not possible on Windows: skipped). */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

/**
 * Test hook, inert unless a test sets CAPTUREMEDIA_TEST_COMMIT_PAUSE_MS: before each step it
 * announces the step on stderr and pauses, so a test can SIGKILL the process between any two steps
 * (test/reliability/set-commit.test.ts). Nothing else reads this variable.
 */
async function stepHook(step: { n: number }, what: string): Promise<void> {
  step.n += 1;
  const pause = Number(process.env.CAPTUREMEDIA_TEST_COMMIT_PAUSE_MS);
  if (!Number.isFinite(pause) || pause <= 0) return;
  process.stderr.write(`capture-media test hook: commit step ${step.n}: ${what}\n`);
  await sleep(pause);
}

function journalPathIn(dir: string): string {
  return join(dir, `.capture-media-set.${hostId()}-${process.pid}-${randomBytes(4).toString('hex')}.journal`);
}

async function writeJournal(path: string, journal: Journal): Promise<void> {
  // 'wx': a fresh file. A crash while writing leaves a journal that does not parse, which
  // recovery treats as "nothing changed yet" - true, since step 2 starts only after this fsync.
  const handle = await open(path, 'wx', 0o600);
  try {
    await writeFile(handle, `${JSON.stringify(journal, null, 1)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Put the members in place all or none (see the file comment). */
export async function commitSet(members: readonly SetMember[]): Promise<void> {
  const dir = dirname(members[0]!.target);
  const step = { n: 0 };
  const planned: JournalMember[] = [];
  for (const m of members) {
    const oldIno = await inodeOf(m.target);
    const newIno = m.temp === null ? null : await inodeOf(m.temp);
    if (m.temp !== null && newIno === null) throw new CaptureMediaError('InternalError', `The new disc ${m.temp} is missing before the commit.`, { target: m.target });
    if (m.temp === null && oldIno === null) continue;
    if (m.temp !== null && m.mode !== undefined) await chmod(m.temp, m.mode);
    planned.push({
      target: basename(m.target),
      temp: m.temp === null ? null : basename(m.temp),
      backup: oldIno === null ? null : basename(tempPathFor(m.target, 'bak')),
      newIno,
      oldIno,
    });
  }
  const journal: Journal = { format: JOURNAL_FORMAT, host: hostId(), pid: process.pid, members: planned };
  const journalPath = journalPathIn(dir);
  await stepHook(step, 'write the journal');
  await writeJournal(journalPath, journal);
  await syncFolder(dir);
  try {
    for (const m of planned) {
      if (m.backup === null) continue;
      await stepHook(step, `keep the old ${m.target}`);
      try {
        await link(join(dir, m.target), join(dir, m.backup));
      } catch (error: unknown) {
        // No hard links here (FAT, some shares): move the old disc aside instead. The target is
        // missing until step 3 fills it; the journal knows where the old one is.
        if (errnoCode(error) === 'EEXIST') throw error;
        await rename(join(dir, m.target), join(dir, m.backup));
      }
    }
    await syncFolder(dir);
    for (const m of planned) {
      await stepHook(step, m.temp === null ? `remove the leftover ${m.target}` : `put the new ${m.target} in place`);
      if (m.temp === null) await rm(join(dir, m.target), { force: true });
      else await rename(join(dir, m.temp), join(dir, m.target));
    }
    await syncFolder(dir);
  } catch (error: unknown) {
    // A live failure (a target turned into a folder, a share went read-only): undo from the journal.
    const restored = await recoverJournal(journalPath, 'restore').catch(() => undefined);
    throw new CaptureMediaError(
      'WriteFailed',
      `Putting the new discs in place failed (${(error as Error).message}); ${restored ? 'the previous discs are restored' : `the journal ${journalPath} records where each disc is`}.`,
      { target: members.map((m) => m.target).join(', '), cause: error },
    );
  }
  for (const m of planned) {
    if (m.backup === null) continue;
    await stepHook(step, `remove the kept old ${m.target}`);
    await rm(join(dir, m.backup), { force: true });
  }
  await stepHook(step, 'remove the journal');
  await rm(journalPath, { force: true });
  await syncFolder(dir);
}

function parseJournal(text: string): Journal | undefined {
  try {
    const j = JSON.parse(text) as Partial<Journal>;
    if (j.format !== JOURNAL_FORMAT || !Array.isArray(j.members)) return undefined;
    const safe = (n: unknown) => n === null || (typeof n === 'string' && n !== '' && basename(n) === n && n !== '.' && n !== '..');
    for (const m of j.members) {
      if (typeof m?.target !== 'string' || !safe(m.target) || !safe(m.temp) || !safe(m.backup)) return undefined;
    }
    return j as Journal;
  } catch {
    return undefined;
  }
}

/**
 * Bring one journal's set to the old or the new state. `prefer` 'either' completes the new set when
 * it can (a crash), 'restore' puts the old set back (a live failure). Returns what it did.
 */
async function recoverJournal(journalPath: string, prefer: 'either' | 'restore'): Promise<RecoveryOutcome | 'nothing-done-yet'> {
  const dir = dirname(journalPath);
  const journal = parseJournal(await readFile(journalPath, 'utf8').catch(() => ''));
  if (!journal) {
    // Torn while being written: no member was touched yet (steps 2-6 follow its fsync).
    await rm(journalPath, { force: true });
    return 'nothing-done-yet';
  }
  const at = (name: string) => join(dir, name);
  const state = await Promise.all(
    journal.members.map(async (m) => ({
      m,
      target: await inodeOf(at(m.target)),
      temp: m.temp === null ? null : await inodeOf(at(m.temp)),
      backup: m.backup === null ? null : await inodeOf(at(m.backup)),
    })),
  );
  const newThere = state.every(({ m, target, temp }) => m.temp === null || target === m.newIno || temp === m.newIno);
  const oldThere = state.every(({ m, target, backup }) => m.oldIno === null || target === m.oldIno || backup === m.oldIno);

  if (prefer === 'either' && newThere) {
    for (const { m, target, temp } of state) {
      if (m.temp !== null && target !== m.newIno && temp === m.newIno) await rename(at(m.temp), at(m.target));
      if (m.temp === null && target !== null && target === m.oldIno) await rm(at(m.target), { force: true });
    }
    await syncFolder(dir);
    for (const { m, backup } of state) if (m.backup !== null && backup === m.oldIno) await rm(at(m.backup), { force: true });
    await rm(journalPath, { force: true });
    await syncFolder(dir);
    return 'completed';
  }
  if (oldThere) {
    for (const { m, target, backup } of state) {
      if (m.oldIno !== null && target !== m.oldIno) await rename(at(m.backup!), at(m.target));
      else if (m.oldIno === null && target !== null && target === m.newIno) await rm(at(m.target), { force: true });
      else if (m.oldIno !== null && backup === m.oldIno) await rm(at(m.backup!), { force: true }); // a second link to the target
    }
    await syncFolder(dir);
    for (const { m, temp } of state) if (m.temp !== null && temp === m.newIno) await rm(at(m.temp), { force: true });
    await rm(journalPath, { force: true });
    await syncFolder(dir);
    return 'restored';
  }
  throw new CaptureMediaError(
    'DiscSetRecoveryFailed',
    `An interrupted disc-set commit in ${dir} cannot be completed or undone: some of its files were removed by someone else. Nothing was changed; ${journalPath} lists where each disc is (see docs/reliability.md).`,
    { target: journalPath },
  );
}

function journalIsAbandoned(name: string, mtimeMs: number, now: number): boolean {
  const m = JOURNAL_PATTERN.exec(name);
  if (!m) return false;
  if (now - mtimeMs > STALE_AFTER_MS) return true;
  if (m[1] !== hostId()) return false; // another machine's pid says nothing here
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error: unknown) {
    return errnoCode(error) !== 'EPERM';
  }
}

/**
 * Finish every interrupted set commit in `dir` whose process is gone. Returns one line per set for
 * the log. Journals of live commits (another run right now) are left alone.
 */
export async function recoverSetCommits(dir: string, now = Date.now()): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const said: string[] = [];
  for (const name of names) {
    if (!JOURNAL_PATTERN.test(name)) continue;
    const s = await stat(join(dir, name)).catch(() => undefined);
    if (!s?.isFile() || !journalIsAbandoned(name, s.mtimeMs, now)) continue;
    let outcome: Awaited<ReturnType<typeof recoverJournal>>;
    try {
      outcome = await recoverJournal(join(dir, name), 'either');
    } catch (error: unknown) {
      if (error instanceof CaptureMediaError) throw error;
      // A read-only folder, a share gone: the journal and every file stay as they are for next time.
      throw new CaptureMediaError(
        'DiscSetRecoveryFailed',
        `An interrupted disc-set commit in ${dir} (${name}) could not be finished: ${errnoCode(error) ?? (error as Error).message}. Nothing was removed; run again where this account can write to ${dir}.`,
        { target: join(dir, name), cause: error },
      );
    }
    said.push(
      outcome === 'completed'
        ? `Completed a disc set that an interrupted run had started to put in place (${name}).`
        : outcome === 'restored'
          ? `Restored the previous disc set that an interrupted run had started to replace (${name}).`
          : `Removed an incomplete journal of an interrupted run (${name}); no disc had been changed.`,
    );
  }
  return said;
}

/** The file names every journal in `dir` refers to: never "stale", whoever's they are. */
export async function namesInJournals(dir: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!JOURNAL_PATTERN.test(name)) continue;
    const journal = parseJournal(await readFile(join(dir, name), 'utf8').catch(() => ''));
    for (const m of journal?.members ?? []) for (const n of [m.temp, m.backup]) if (n) names.add(n);
  }
  return names;
}
