// Output files appear complete or not at all (the wizard deletes an existing ISO at
// once, even on cancel; we never do). Each output is written to a temporary file beside the target
// (same folder, so same volume or share: rename stays atomic), fsynced, verified, then renamed over.
//
// Stale temporary files (after a kill -9 or power loss) are recognised by name:
//   .<target name>.capture-media-<pid>-<random>.tmp   (a new file being written)
//   .<target name>.capture-media-<pid>-<random>.bak   (a hard link to an old disc while a set is put in place)
// A run removes such files in its output folder when the pid in the name is not a live process,
// or the file is older than STALE_AFTER_MS (pid reuse), before it writes anything itself.

import { randomBytes } from 'node:crypto';
import { chmod, link, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CaptureMediaError, errnoCode } from '../errors.js';
import { FileSink } from './sink.js';

const TEMP_PATTERN = /^\..+\.capture-media-(\d+)-[0-9a-f]{8}\.(tmp|bak)$/;
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Room the temp name adds to the target's name must not push it past 255 bytes (NTFS, ext4, FAT). */
const TEMP_NAME_KEEP_CHARS = 100;

export function tempPathFor(target: string): string {
  const name = basename(target).slice(0, TEMP_NAME_KEEP_CHARS);
  return join(dirname(target), `.${name}.capture-media-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return errnoCode(error) === 'EPERM';
  }
}

/** Remove our stale temporary files from `dir`; returns the names removed. */
export async function removeStaleTempFiles(dir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_PATTERN.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    const path = join(dir, name);
    const s = await stat(path).catch(() => undefined);
    if (!s?.isFile()) continue;
    if (pid !== process.pid && (!processAlive(pid) || now - s.mtimeMs > STALE_AFTER_MS)) {
      await rm(path, { force: true });
      removed.push(name);
    }
  }
  return removed;
}

export class AtomicOutput {
  readonly tempPath: string;
  #sink: FileSink | undefined;
  #state: 'open' | 'closed' | 'committed' | 'discarded' = 'open';

  private constructor(
    readonly targetPath: string,
    tempPath: string,
    sink: FileSink,
  ) {
    this.tempPath = tempPath;
    this.#sink = sink;
  }

  static async create(targetPath: string): Promise<AtomicOutput> {
    const tempPath = tempPathFor(targetPath);
    try {
      return new AtomicOutput(targetPath, tempPath, await FileSink.create(tempPath, 'wx', 0o600));
    } catch (error: unknown) {
      const code = errnoCode(error);
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new CaptureMediaError('PermissionDenied', `Cannot create a file in ${dirname(targetPath)} (${code}): choose an output folder this account can write to.`, {
          target: targetPath,
          cause: error,
        });
      }
      throw new CaptureMediaError('WriteFailed', `Cannot create ${tempPath}: ${(error as Error).message}`, { target: targetPath, cause: error });
    }
  }

  get sink(): FileSink {
    if (!this.#sink) throw new CaptureMediaError('InternalError', 'The output is already closed.');
    return this.#sink;
  }

  /** Flush and fsync the temporary file; it stays invisible under its temporary name. */
  async close(): Promise<void> {
    if (this.#state !== 'open') return;
    await this.sink.close(true);
    this.#sink = undefined;
    this.#state = 'closed';
  }

  /** Rename over the target (atomic on one volume; replaces an existing target only now). */
  async commit(): Promise<void> {
    await this.close();
    try {
      // Private (0600) while incomplete; an ordinary readable file once it is the real output.
      await chmod(this.tempPath, 0o644);
      await rename(this.tempPath, this.targetPath);
    } catch (error: unknown) {
      throw new CaptureMediaError('WriteFailed', `Cannot rename ${this.tempPath} to ${this.targetPath}: ${(error as Error).message}`, {
        target: this.targetPath,
        cause: error,
      });
    }
    this.#state = 'committed';
  }

  /** The rename of commit() alone, for commitAll (the temp file is already closed and chmodded). */
  async placeOver(): Promise<void> {
    await rename(this.tempPath, this.targetPath);
    this.#state = 'committed';
  }

  /** Remove the temporary file; the target is untouched. Safe to call in any state. */
  async discard(): Promise<void> {
    if (this.#state === 'committed' || this.#state === 'discarded') return;
    if (this.#sink) await this.#sink.abandon();
    this.#sink = undefined;
    await rm(this.tempPath, { force: true }).catch(() => undefined);
    this.#state = 'discarded';
  }
}

/**
 * Put several outputs (the discs of a set) in place all or none, with every target always either
 * the old file or the new one, never missing: each existing target is first hard-linked to
 * `.<name>.capture-media-<pid>-<hex>.bak` (it stays in place), then each new file is renamed over
 * its target (atomic); if any rename fails, the old files are renamed back from their links. The
 * links are removed at the end; one left by a crash is a stale temp file like the others (the
 * target holds the old or the new media either way). Where hard links are not supported (FAT, some
 * shares) the renames still happen one by one, each atomic, without the rollback.
 */
export async function commitAll(outputs: readonly AtomicOutput[]): Promise<void> {
  if (outputs.length === 1) return outputs[0]!.commit();
  for (const out of outputs) {
    await out.close();
    await chmod(out.tempPath, 0o644);
  }
  const backups: { target: string; backup: string }[] = [];
  try {
    for (const out of outputs) {
      if (!(await stat(out.targetPath).catch(() => undefined))) continue;
      const backup = join(dirname(out.targetPath), `.${basename(out.targetPath).slice(0, TEMP_NAME_KEEP_CHARS)}.capture-media-${process.pid}-${randomBytes(4).toString('hex')}.bak`);
      try {
        await link(out.targetPath, backup);
        backups.push({ target: out.targetPath, backup });
      } catch {
        // No hard links here: no rollback for this member, but its rename below is still atomic.
      }
    }
    for (const out of outputs) await out.placeOver();
  } catch (error: unknown) {
    for (const { target, backup } of backups) await rename(backup, target).catch(() => undefined);
    throw new CaptureMediaError('WriteFailed', `Putting the new media in place failed (${(error as Error).message}); the previous files are restored.`, {
      target: outputs.map((o) => o.targetPath).join(', '),
      cause: error,
    });
  } finally {
    for (const { backup } of backups) await rm(backup, { force: true }).catch(() => undefined);
  }
}
