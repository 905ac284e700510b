// Output files appear complete or not at all (the wizard deletes an existing ISO at
// once, even on cancel; we never do). Each output is written to a temporary file beside the target
// (same folder, so same volume or share: rename stays atomic), fsynced, verified, then renamed over.
//
// Stale temporary files (after a kill -9 or power loss) are recognised by name:
//   .<target name>.capture-media-<host>-<pid>-<random>.tmp   (a new file being written)
//   .<target name>.capture-media-<host>-<pid>-<random>.bak   (an old disc kept while a set is put in place)
// <host> is hostId() (machine + PID namespace). A run removes such files in its output folder
// only when it can tell they are abandoned: the host id is its own and the pid is not a live
// process, or the file is older than STALE_AFTER_MS (pid reuse; another host's crashed run).
// Files named by a disc-set journal are never removed here: set-commit.ts owns them.

import { randomBytes } from 'node:crypto';
import { chmod, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CaptureMediaError, errnoCode } from '../errors.js';
import { hostId } from './host-id.js';
import { FileSink } from './sink.js';

// The host part is optional so that names from before it existed are still recognised (by age only).
const TEMP_PATTERN = /^\..+\.capture-media-(?:([0-9a-f]{8})-)?(\d+)-[0-9a-f]{8}\.(tmp|bak)$/;
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Room the temp name adds to the target's name must not push it past 255 bytes (NTFS, ext4, FAT). */
const TEMP_NAME_KEEP_CHARS = 100;

export function tempPathFor(target: string, kind: 'tmp' | 'bak' = 'tmp'): string {
  const name = basename(target).slice(0, TEMP_NAME_KEEP_CHARS);
  return join(dirname(target), `.${name}.capture-media-${hostId()}-${process.pid}-${randomBytes(4).toString('hex')}.${kind}`);
}

/**
 * The mode the finished output gets: the replaced file's mode when there is one (an admin's
 * chmod survives --force), else what the umask gives a new file (0666 & ~umask), as `cp` does.
 * The temporary file stays 0600 until then, so a half-written medium is private.
 */
export async function finalModeFor(target: string): Promise<number> {
  const old = await stat(target).catch(() => undefined);
  if (old?.isFile()) return old.mode & 0o7777;
  const mask = process.umask();
  return 0o666 & ~mask;
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
export async function removeStaleTempFiles(dir: string, now = Date.now(), protectedNames: ReadonlySet<string> = new Set()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_PATTERN.exec(name);
    if (!m || protectedNames.has(name)) continue;
    const ours = m[1] === hostId();
    const pid = Number(m[2]);
    const path = join(dir, name);
    const s = await stat(path).catch(() => undefined);
    if (!s?.isFile()) continue;
    const old = now - s.mtimeMs > STALE_AFTER_MS;
    // Another host's pid means nothing here: its files go only once they are old.
    if (ours ? pid !== process.pid && (!processAlive(pid) || old) : old) {
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
      // Private (0600) while incomplete; the replaced file's mode, or the umask's, once it is the output.
      await chmod(this.tempPath, await finalModeFor(this.targetPath));
      await rename(this.tempPath, this.targetPath);
    } catch (error: unknown) {
      throw new CaptureMediaError('WriteFailed', `Cannot rename ${this.tempPath} to ${this.targetPath}: ${(error as Error).message}`, {
        target: this.targetPath,
        cause: error,
      });
    }
    this.#state = 'committed';
  }

  /** The temporary file was put in place by someone else (set-commit.ts): discard() must leave it. */
  markCommitted(): void {
    if (this.#state !== 'closed') throw new CaptureMediaError('InternalError', 'Only a closed output can be put in place.');
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
