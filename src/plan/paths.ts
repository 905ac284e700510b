// Checks on the paths a job reads and writes, done before any content is read. Only stat-level
// I/O here (stat, access); the real writes happen in the writers, which still handle failures.

import { constants } from 'node:fs';
import { access, stat, mkdtemp, rmdir } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, isAbsolute } from 'node:path';
import { CaptureMediaError, errnoCode, type ErrorId } from '../errors.js';

export async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (error: unknown) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** True when `child` is `parent` or lies inside it (after resolving both). */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The file names of a disc set: capture.iso -> capture1.iso, capture2.iso, … (as the wizard names them). */
export function discSetPath(isoPath: string, discNumber: number): string {
  const ext = extname(isoPath);
  return join(dirname(isoPath), `${basename(isoPath, ext)}${discNumber}${ext}`);
}

export interface OutputFileRule {
  readonly extensions: readonly string[];
  readonly kind: string; // "ISO file", "disk image file"
  readonly article: 'a' | 'an';
  readonly example: string;
}

export const ISO_OUTPUT: OutputFileRule = { extensions: ['.iso'], article: 'an', kind: 'ISO file', example: 'C:\\out\\capture.iso' };
export const IMAGE_OUTPUT: OutputFileRule = { extensions: ['.img', '.raw', '.bin'], article: 'a', kind: 'disk image file', example: 'C:\\out\\capture.img' };

/** Validate an output file path; returns it absolute. Existing files need --force (checked by the caller per set member). */
export async function checkOutputFile(path: string, rule: OutputFileRule): Promise<string> {
  const absolute = resolve(path);
  const ext = extname(absolute).toLowerCase();
  if (!rule.extensions.includes(ext)) {
    throw new CaptureMediaError(
      'OutputPathInvalid',
      `The output path "${path}" must be ${rule.article} ${rule.kind} ending in ${rule.extensions.join(', ')} (for example ${rule.example}).`,
      { target: path },
    );
  }
  const existing = await statOrUndefined(absolute);
  if (existing?.isDirectory()) {
    throw new CaptureMediaError('OutputPathInvalid', `The output path "${path}" is a directory; give ${rule.article} ${rule.kind} name inside it, e.g. ${join(path, 'capture' + rule.extensions[0])}.`, {
      target: path,
    });
  }
  if (existing && !existing.isFile()) {
    throw new CaptureMediaError('OutputPathInvalid', `The output path "${path}" exists and is not a regular file.`, { target: path });
  }
  const dir = dirname(absolute);
  const dirStat = await statOrUndefined(dir);
  if (!dirStat?.isDirectory()) {
    throw new CaptureMediaError('OutputDirectoryMissing', `The output folder "${dir}" does not exist. Create it first (New-Item -ItemType Directory "${dir}").`, {
      target: dir,
    });
  }
  try {
    await access(dir, constants.W_OK);
  } catch (error: unknown) {
    throw new CaptureMediaError('PermissionDenied', `The output folder "${dir}" is not writable by this account.`, { target: dir, cause: error });
  }
  return absolute;
}

export async function refuseExisting(paths: readonly string[], force: boolean): Promise<void> {
  if (force) return;
  for (const p of paths) {
    if (await statOrUndefined(p)) {
      throw new CaptureMediaError(
        'OutputExists',
        `"${p}" already exists. It is left untouched; use -Force (--force) to replace it once the new media is complete.`,
        { target: p },
      );
    }
  }
}

/** A folder we must create files in: exists, is a directory, and a probe directory can be made and removed. */
export async function checkWritableFolder(path: string, id: ErrorId, what: string): Promise<string> {
  const absolute = resolve(path);
  const s = await statOrUndefined(absolute);
  if (!s?.isDirectory()) {
    throw new CaptureMediaError(id, `The ${what} "${path}" does not exist or is not a folder.`, { target: path });
  }
  try {
    const probe = await mkdtemp(join(absolute, '.capture-media-probe-'));
    await rmdir(probe);
  } catch (error: unknown) {
    throw new CaptureMediaError(id, `The ${what} "${path}" is not writable (${errnoCode(error) ?? 'error'}). Choose a folder this account can write to.`, {
      target: path,
      cause: error,
    });
  }
  return absolute;
}
