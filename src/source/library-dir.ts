// Case-insensitive name resolution inside a content library.
//
// On a distribution point the library lives on NTFS, where `PkgLib`, `pkglib` and `PKGLIB` are
// one folder and ConfigMgr itself is not consistent about case (hash folders and blob names are
// usually upper case, but tools and copies differ). A library copied to, or mounted on, Linux
// keeps whatever case it had, so we never build a path by assuming one: each folder is listed
// once (cached for the life of the library object) and names are matched case-insensitively.

import type { Dirent } from 'node:fs';
import { opendir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../errors.js';
import { foldCase } from './ini.js';
import { invalidError, unreadableError } from './library-error.js';

export interface DirEntry {
  /** The name as stored on disk. */
  readonly name: string;
  readonly path: string;
  readonly isDirectory: boolean;
  readonly isFile: boolean;
  readonly isSymbolicLink: boolean;
}

interface Listing {
  readonly entries: readonly DirEntry[];
  readonly byFolded: ReadonlyMap<string, readonly DirEntry[]>;
}

export class LibraryDirectories {
  private readonly listings = new Map<string, Promise<Listing | undefined>>();

  /** Entries of `dir`, or undefined when it does not exist. Unreadable → ContentLibraryUnreadable. */
  async list(dir: string): Promise<readonly DirEntry[] | undefined> {
    return (await this.listing(dir))?.entries;
  }

  /**
   * The child of `dir` whose name equals `name` ignoring case, or undefined. An exact match wins;
   * two names differing only in case (possible on Linux, never on NTFS) with no exact match are
   * ambiguous and refused rather than guessed.
   */
  async find(dir: string, name: string): Promise<DirEntry | undefined> {
    const listing = await this.listing(dir);
    if (!listing) return undefined;
    const matches = listing.byFolded.get(foldCase(name));
    if (!matches || matches.length === 0) return undefined;
    const exact = matches.find((entry) => entry.name === name);
    if (exact) return exact;
    if (matches.length > 1) {
      throw invalidError(
        join(dir, name),
        `${dir} holds ${matches.map((m) => JSON.stringify(m.name)).join(' and ')}, which differ only in case; ` +
          `the content library (written on NTFS) cannot contain both, so it is not clear which to read.`,
      );
    }
    return matches[0];
  }

  private listing(dir: string): Promise<Listing | undefined> {
    let pending = this.listings.get(dir);
    if (!pending) {
      pending = readListing(dir);
      this.listings.set(dir, pending);
      // A failed listing is not cached: the next call reports the error afresh.
      pending.catch(() => this.listings.delete(dir));
    }
    return pending;
  }
}

async function readListing(dir: string): Promise<Listing | undefined> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error: unknown) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw unreadableError(dir, error);
  }
  const entries: DirEntry[] = [];
  const byFolded = new Map<string, DirEntry[]>();
  for (const dirent of dirents) {
    const entry: DirEntry = {
      name: dirent.name,
      path: join(dir, dirent.name),
      isDirectory: dirent.isDirectory(),
      isFile: dirent.isFile(),
      isSymbolicLink: dirent.isSymbolicLink(),
    };
    entries.push(entry);
    const folded = foldCase(dirent.name);
    const list = byFolded.get(folded);
    if (list) list.push(entry);
    else byFolded.set(folded, [entry]);
  }
  return { entries, byFolded };
}

/**
 * Check that `dir` can be listed without reading all of it: DataLib and FileLib on a large
 * distribution point hold tens of thousands of entries, and one entry proves List permission.
 */
export async function assertListable(dir: string): Promise<void> {
  try {
    const handle = await opendir(dir, { bufferSize: 1 });
    try {
      await handle.read();
    } finally {
      await handle.close();
    }
  } catch (error: unknown) {
    throw unreadableError(dir, error);
  }
}
