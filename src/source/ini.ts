// INI files of the ConfigMgr content library (PkgLib\<PackageID>.INI, DataLib\<ContentID>.INI,
// DataLib\<ContentID>\…\<name>.INI, FileLib\<hash4>\<hash>.INI).
//
// Microsoft's "The content library in Configuration Manager" doc describes these as INI files; the
// distribution point writes them through the Win32 profile API, so what we accept follows
// GetPrivateProfileString: UTF-16LE with a BOM or 8-bit text (we read UTF-8, with or without a BOM,
// since a library copied or rebuilt by tools may be either), CRLF or LF, `[Section]`, `key=value`,
// `;` comment lines, section and key names compared case-insensitively. Where a key repeats, the
// last one wins (as a reader that loads the whole file into a map does; the Win32 API would return
// the first — we take the last, as later writers of the file mean it to win). A repeated section is
// merged.
//
// The files are tiny (a few hundred bytes); anything over INI_MAX_BYTES is not one of them and is
// refused before it is read, so a hostile library cannot make us allocate without bound.

import { CaptureMediaError } from '../errors.js';
import { libraryIoError } from './library-error.js';
import { openRegularFile } from '../io/open-regular.js';

/** Largest INI file we read: content library INIs are well under 4 KiB. */
export const INI_MAX_BYTES = 1024 * 1024;

const BOM_UTF8 = [0xef, 0xbb, 0xbf] as const;
const BOM_UTF16LE = [0xff, 0xfe] as const;
const BOM_UTF16BE = [0xfe, 0xff] as const;

export type IniEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface IniEntry {
  /** Key as written in the file (case preserved: PkgLib keys are content ids). */
  readonly key: string;
  readonly value: string;
}

export interface IniSection {
  /** Section name as first written in the file. */
  readonly name: string;
  /** Entries in file order; a repeated key keeps only its last value, at its first position. */
  readonly entries: readonly IniEntry[];
  /** Case-insensitive key lookup. */
  get(key: string): string | undefined;
  has(key: string): boolean;
}

export interface IniFile {
  readonly encoding: IniEncoding;
  readonly sections: readonly IniSection[];
  /** Case-insensitive section lookup. */
  section(name: string): IniSection | undefined;
}

class MutableSection implements IniSection {
  readonly name: string;
  private readonly byKey = new Map<string, { key: string; value: string }>();

  constructor(name: string) {
    this.name = name;
  }

  set(key: string, value: string): void {
    const folded = foldCase(key);
    const existing = this.byKey.get(folded);
    if (existing) existing.value = value;
    else this.byKey.set(folded, { key, value });
  }

  get entries(): readonly IniEntry[] {
    return [...this.byKey.values()].map(({ key, value }) => ({ key, value }));
  }

  get(key: string): string | undefined {
    return this.byKey.get(foldCase(key))?.value;
  }

  has(key: string): boolean {
    return this.byKey.has(foldCase(key));
  }
}

/** Case folding for names: Windows compares INI names case-insensitively (invariant culture). */
export function foldCase(name: string): string {
  return name.toUpperCase();
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/**
 * Decide the encoding and decode. A UTF-16 file written without a BOM (some tools do) is
 * recognised by its first character being ASCII with a zero high byte.
 */
export function decodeIniText(bytes: Uint8Array, name: string): { text: string; encoding: IniEncoding } {
  let encoding: IniEncoding = 'utf-8';
  let body = bytes;
  if (startsWith(bytes, BOM_UTF16LE)) {
    encoding = 'utf-16le';
    body = bytes.subarray(2);
  } else if (startsWith(bytes, BOM_UTF16BE)) {
    encoding = 'utf-16be';
    body = bytes.subarray(2);
  } else if (startsWith(bytes, BOM_UTF8)) {
    body = bytes.subarray(3);
  } else if (bytes.length >= 2 && bytes[0] !== 0 && bytes[0]! < 0x80 && bytes[1] === 0) {
    encoding = 'utf-16le';
  }
  if (encoding !== 'utf-8' && body.length % 2 !== 0) {
    throw new CaptureMediaError('ContentLibraryInvalid', `${name} is not a valid INI file: UTF-16 text with an odd byte count.`, {
      target: name,
    });
  }
  if (encoding === 'utf-16be') {
    // TextDecoder's utf-16be needs full ICU; swapping the byte pairs works on every Node build.
    const swapped = new Uint8Array(body.length);
    for (let i = 0; i < body.length; i += 2) {
      swapped[i] = body[i + 1]!;
      swapped[i + 1] = body[i]!;
    }
    body = swapped;
  }
  try {
    const decoder = new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'utf-16le', { fatal: true, ignoreBOM: true });
    return { text: decoder.decode(body), encoding };
  } catch (error: unknown) {
    throw new CaptureMediaError('ContentLibraryInvalid', `${name} is not a valid INI file: it is not valid ${encoding} text.`, {
      target: name,
      cause: error,
    });
  }
}

/** Parse INI text already decoded. Lines before the first section are ignored, as Windows does. */
export function parseIniText(text: string, encoding: IniEncoding = 'utf-8'): IniFile {
  const sections = new Map<string, MutableSection>();
  let current: MutableSection | undefined;
  for (const rawLine of text.split(/\r\n|\n|\r/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const close = line.indexOf(']');
      // GetPrivateProfileString takes a section line without `]` to its end; so do we.
      const sectionName = (close < 0 ? line.slice(1) : line.slice(1, close)).trim();
      const folded = foldCase(sectionName);
      current = sections.get(folded);
      if (!current) {
        current = new MutableSection(sectionName);
        sections.set(folded, current);
      }
      continue;
    }
    if (!current) continue;
    const equals = line.indexOf('=');
    // A line without `=` is a key with no value (GetPrivateProfileSection returns it as such).
    const key = (equals < 0 ? line : line.slice(0, equals)).trim();
    const value = equals < 0 ? '' : line.slice(equals + 1).trim();
    if (key === '') continue;
    current.set(key, value);
  }
  const list = [...sections.values()];
  return {
    encoding,
    sections: list,
    section: (name: string) => sections.get(foldCase(name)),
  };
}

/** Parse INI bytes; `name` (usually the path) names the file in errors. */
export function parseIni(bytes: Uint8Array, name: string): IniFile {
  if (bytes.length > INI_MAX_BYTES) {
    throw new CaptureMediaError(
      'ContentLibraryInvalid',
      `${name} is ${bytes.length} bytes; content library INI files are small, the limit is ${INI_MAX_BYTES} bytes.`,
      { target: name },
    );
  }
  const { text, encoding } = decodeIniText(bytes, name);
  return parseIniText(text, encoding);
}

/** Read and parse an INI file, refusing one over the size cap before reading it. */
export async function readIniFile(path: string): Promise<IniFile> {
  let bytes: Buffer;
  try {
    const handle = await openRegularFile(path, (kind) => new CaptureMediaError('ContentLibraryInvalid', `${path} is ${kind}, not a file: a content library holds only regular files.`, { target: path }));
    try {
      const { size } = await handle.stat();
      if (size > INI_MAX_BYTES) {
        throw new CaptureMediaError(
          'ContentLibraryInvalid',
          `${path} is ${size} bytes; content library INI files are small, the limit is ${INI_MAX_BYTES} bytes.`,
          { target: path },
        );
      }
      // Read one byte past the size seen, so a file growing under us still hits the cap.
      const buffer = Buffer.alloc(Math.min(size + 1, INI_MAX_BYTES + 1));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      bytes = buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  } catch (error: unknown) {
    if (error instanceof CaptureMediaError) throw error;
    throw libraryIoError(error, path);
  }
  return parseIni(bytes, path);
}
