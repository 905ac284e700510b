// DataLib: the data library of a ConfigMgr content library.
//
// Microsoft's "The content library in Configuration Manager" doc: the data library holds, for
// each content id, `DataLib\<ContentID>.INI` and a folder `DataLib\<ContentID>\` that mirrors
// the package's folder structure, where every file of the package is replaced by `<name>.INI`
// whose `[File]` section records the file's metadata and the hash that names its bytes in
// FileLib. Folders of the package are real folders here. The keys we read:
//   Hash=          SHA-256 of the file, 64 hex digits (upper case as ConfigMgr writes it)
//   Size=          decimal byte count
//   Attributes=    Win32 file attributes, hex (e.g. 20 = FILE_ATTRIBUTE_ARCHIVE)
//   TimeModified=  last write time as a FILETIME (100 ns ticks since 1601-01-01 UTC), decimal
// The `<ContentID>.INI` itself carries the content's own hash; we only require it to parse.

import { CaptureMediaError } from '../errors.js';
import { readIniFile } from './ini.js';
import type { LibraryDirectories } from './library-dir.js';
import { invalidError } from './library-error.js';
import { assertSafeName } from './safe-name.js';

export const FILE_SECTION = 'File';

/** Deepest folder nesting we follow: Windows paths cannot nest further within MAX_PATH-like limits. */
export const MAX_DEPTH = 64;

/** FILETIME of 1970-01-01T00:00:00Z: 100 ns ticks between 1601 and the Unix epoch. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
const FILETIME_TICKS_PER_MS = 10_000n;
/** Largest FILETIME Windows accepts (0x7FFFFFFFFFFFFFFF is reserved): keeps Date in range. */
const FILETIME_MAX = 0x7fff_35f4_f06c_58f0n;

export interface DataLibFileInfo {
  readonly sizeBytes: number;
  /** Upper-case hex, as ConfigMgr names the FileLib blob. */
  readonly sha256: string;
  readonly attributes: number;
  readonly modified: Date;
}

export interface DataLibFile extends DataLibFileInfo {
  /** Path components inside the package, each checked by assertSafeName. */
  readonly relativePath: readonly string[];
  /** The `<name>.INI` this entry was read from (for error messages). */
  readonly iniPath: string;
}

/** FILETIME decimal string → Date. */
export function filetimeToDate(value: bigint): Date {
  return new Date(Number((value - FILETIME_UNIX_EPOCH) / FILETIME_TICKS_PER_MS));
}

/** Date → FILETIME (for fixtures and round trips). */
export function dateToFiletime(date: Date): bigint {
  return BigInt(date.getTime()) * FILETIME_TICKS_PER_MS + FILETIME_UNIX_EPOCH;
}

function bad(iniPath: string, message: string): CaptureMediaError {
  return invalidError(iniPath, `${iniPath}: ${message}`);
}

/** Parse the `[File]` section of a DataLib file INI. */
export async function readFileInfo(iniPath: string): Promise<DataLibFileInfo> {
  const ini = await readIniFile(iniPath);
  const section = ini.section(FILE_SECTION);
  if (!section) throw bad(iniPath, `no [${FILE_SECTION}] section; this is not a content library file entry.`);

  const hash = section.get('Hash');
  if (hash === undefined || !/^[0-9a-f]{64}$/i.test(hash)) {
    throw bad(iniPath, `Hash=${hash ?? '(missing)'} is not a SHA-256 hash (64 hex digits).`);
  }

  const size = section.get('Size');
  if (size === undefined || !/^[0-9]{1,16}$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw bad(iniPath, `Size=${size ?? '(missing)'} is not a byte count.`);
  }

  // Attributes and TimeModified only shape the copy on the media; a library that lacks them is
  // still usable, so they default (no attributes; the Unix epoch) instead of failing the job.
  const attributesText = section.get('Attributes');
  let attributes = 0;
  if (attributesText !== undefined && attributesText !== '') {
    const digits = attributesText.replace(/^0x/i, '');
    if (!/^[0-9a-f]{1,8}$/i.test(digits)) throw bad(iniPath, `Attributes=${attributesText} is not hexadecimal file attributes.`);
    attributes = Number.parseInt(digits, 16);
  }

  const timeText = section.get('TimeModified');
  let modified = new Date(0);
  if (timeText !== undefined && timeText !== '') {
    if (!/^[0-9]{1,19}$/.test(timeText) || BigInt(timeText) > FILETIME_MAX) {
      throw bad(iniPath, `TimeModified=${timeText} is not a FILETIME.`);
    }
    modified = filetimeToDate(BigInt(timeText));
  }

  return { sizeBytes: Number(size), sha256: hash.toUpperCase(), attributes, modified };
}

/** `DataLib\<ContentID>.INI`: only required to exist and parse. */
export async function readContentIni(iniPath: string): Promise<void> {
  await readIniFile(iniPath);
}

const INI_SUFFIX = /\.ini$/i;

/**
 * Walk `DataLib\<ContentID>\` and return every file entry, sorted by path. Every folder name and
 * every file name (the INI name minus `.INI`) is checked with assertSafeName before use. Symbolic
 * links are refused: NTFS content written by ConfigMgr has none, and following one could leave
 * the library.
 */
export async function walkContentFolder(dirs: LibraryDirectories, contentDir: string): Promise<DataLibFile[]> {
  const files: DataLibFile[] = [];
  await walk(dirs, contentDir, [], files);
  files.sort((a, b) => comparePaths(a.relativePath, b.relativePath));
  // Two entries that differ only in case would be one file on the (case-insensitive) media.
  for (let i = 1; i < files.length; i++) {
    if (comparePaths(files[i - 1]!.relativePath, files[i]!.relativePath) === 0) {
      throw bad(files[i]!.iniPath, `names the same file as ${files[i - 1]!.iniPath} (they differ only in case).`);
    }
  }
  return files;
}

async function walk(dirs: LibraryDirectories, dir: string, prefix: readonly string[], out: DataLibFile[]): Promise<void> {
  if (prefix.length > MAX_DEPTH) throw bad(dir, `folders nest deeper than ${MAX_DEPTH} levels.`);
  const entries = await dirs.list(dir);
  if (!entries) throw invalidError(dir, `${dir} is missing from the content library.`);
  for (const entry of entries) {
    if (entry.isSymbolicLink) throw bad(entry.path, 'is a symbolic link; a content library written by ConfigMgr contains none.');
    if (entry.isDirectory) {
      const name = assertSafeName(entry.name, entry.path);
      await walk(dirs, entry.path, [...prefix, name], out);
    } else if (entry.isFile && INI_SUFFIX.test(entry.name)) {
      const name = assertSafeName(entry.name.replace(INI_SUFFIX, ''), entry.path);
      const info = await readFileInfo(entry.path);
      out.push({ ...info, relativePath: [...prefix, name], iniPath: entry.path });
    }
    // Anything else (a stray .sig, a desktop.ini left by Explorer) describes no package file.
  }
}

/** Order paths as Windows lists them: component by component, ignoring case. */
export function comparePaths(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!.toUpperCase();
    const y = b[i]!.toUpperCase();
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
