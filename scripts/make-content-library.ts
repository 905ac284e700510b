// Builds a ConfigMgr content library from plain files, in the layout of Microsoft's "The content
// library in Configuration Manager" doc, for tests, demos and benchmarks:
//
//   <root>\PkgLib\<Pkg>.INI                 [Packages] <Pkg>.<ver>=
//   <root>\DataLib\<Pkg>.<ver>.INI          [Content] record of the content
//   <root>\DataLib\<Pkg>.<ver>\…\<f>.INI    [File] Size= TimeModified= Attributes= Hash=
//   <root>\FileLib\<hash4>\<hash>           the bytes (on --split-filelib ROOT2 for every other blob)
//   <root>\FileLib\<hash4>\<hash>.INI       [Content Id] <Pkg>.<ver>=  (every content using it)
//
// INI files are written as Windows writes them: CRLF, UTF-8 without BOM or (--utf16) UTF-16LE
// with a BOM. Running it again on the same root adds packages and versions (PkgLib and FileLib
// INIs are merged), which is how tests build several versions of one package.
//
//   node --import tsx scripts/make-content-library.ts --root OUT --package PKG00001 --version 1 \
//     --file boot.wim=boot.PKG00001.wim [--file more.txt=sub\more.txt] [--utf16] [--lowercase-hash]
//     [--lowercase-folders] [--split-filelib ROOT2]

import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { dateToFiletime } from '../src/source/datalib.js';
import { parseIni } from '../src/source/ini.js';

export interface MakeContentLibraryFile {
  /** Path of the file's bytes on disk… */
  readonly source?: string;
  /** …or the bytes themselves. */
  readonly bytes?: Uint8Array;
  /** Path inside the package, `\` or `/` separated (default: the source's base name). */
  readonly name?: string;
  readonly modified?: Date;
  /** Win32 attributes (default 0x20, FILE_ATTRIBUTE_ARCHIVE, as files copied to a source share have). */
  readonly attributes?: number;
}

export interface MakeContentLibraryOptions {
  readonly root: string;
  readonly packageId: string;
  /** One or several content versions, each holding the same files (default 1). */
  readonly version?: number | readonly number[];
  readonly files: readonly (string | MakeContentLibraryFile)[];
  /** Write every INI as UTF-16LE with a BOM (what the DP's profile API writes) instead of UTF-8. */
  readonly utf16?: boolean;
  /** Write Hash= and the FileLib names in lower case. */
  readonly lowercaseHash?: boolean;
  /** Name the top folders pkglib/datalib/filelib (a library copied with its case lost). */
  readonly lowercaseFolders?: boolean;
  /** A second root: blobs 0, 2, 4… go to its FileLib, the others to root's FileLib. */
  readonly splitFileLib?: string;
}

export interface MadeFile {
  readonly name: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly blobPath: string;
}

export interface MadeContentLibrary {
  readonly roots: readonly string[];
  readonly contentIds: readonly string[];
  readonly files: readonly MadeFile[];
}

const CRLF = '\r\n';

function encodeIni(lines: readonly string[], utf16: boolean): Buffer {
  const text = lines.join(CRLF) + CRLF;
  return utf16 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.from(text, 'utf8');
}

async function sha256Of(file: MakeContentLibraryFile): Promise<{ hash: string; size: number }> {
  const hash = createHash('sha256');
  if (file.bytes) {
    hash.update(file.bytes);
    return { hash: hash.digest('hex').toUpperCase(), size: file.bytes.length };
  }
  let size = 0;
  for await (const chunk of createReadStream(file.source!, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { hash: hash.digest('hex').toUpperCase(), size };
}

/** Keys of a section in an existing INI we are about to extend (so reruns merge). */
async function existingKeys(path: string, section: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  const ini = parseIni(await readFile(path), path);
  return ini.section(section)?.entries.map((e) => e.key) ?? [];
}

function folderNames(options: MakeContentLibraryOptions): { pkgLib: string; dataLib: string; fileLib: string } {
  return options.lowercaseFolders
    ? { pkgLib: 'pkglib', dataLib: 'datalib', fileLib: 'filelib' }
    : { pkgLib: 'PkgLib', dataLib: 'DataLib', fileLib: 'FileLib' };
}

export async function makeContentLibrary(options: MakeContentLibraryOptions): Promise<MadeContentLibrary> {
  const utf16 = options.utf16 ?? false;
  const packageId = options.packageId.toUpperCase();
  const versions = options.version === undefined ? [1] : typeof options.version === 'number' ? [options.version] : [...options.version];
  const names = folderNames(options);
  const roots = [options.root, ...(options.splitFileLib ? [options.splitFileLib] : [])];
  for (const root of roots) await mkdir(join(root, names.fileLib), { recursive: true });
  await mkdir(join(options.root, names.pkgLib), { recursive: true });
  await mkdir(join(options.root, names.dataLib), { recursive: true });

  const files = options.files.map((f) => (typeof f === 'string' ? { source: f } : f));
  const contentIds = versions.map((v) => `${packageId}.${v}`);
  const made: MadeFile[] = [];

  // FileLib: one blob per distinct hash, with the list of content ids that use it.
  for (const [index, file] of files.entries()) {
    const name = file.name ?? basename(file.source ?? `file${index}`);
    const { hash, size } = await sha256Of(file);
    const written = options.lowercaseHash ? hash.toLowerCase() : hash;
    const fileLibRoot = options.splitFileLib && index % 2 === 0 ? options.splitFileLib : options.root;
    const bucket = join(fileLibRoot, names.fileLib, written.slice(0, 4));
    await mkdir(bucket, { recursive: true });
    const blobPath = join(bucket, written);
    if (file.bytes) await writeFile(blobPath, file.bytes);
    else await copyFile(file.source!, blobPath);
    const blobIni = `${blobPath}.INI`;
    const users = new Set([...(await existingKeys(blobIni, 'Content Id')), ...contentIds]);
    await writeFile(blobIni, encodeIni(['[Content Id]', ...[...users].map((id) => `${id}=`)], utf16));
    made.push({ name, sha256: hash, sizeBytes: size, blobPath });

    // DataLib: the package tree, one <name>.INI per file.
    const modified = file.modified ?? (file.source ? (await stat(file.source)).mtime : new Date(Date.UTC(2024, 0, 1)));
    const parts = name.split(/[\\/]/);
    for (const contentId of contentIds) {
      const dir = join(options.root, names.dataLib, contentId, ...parts.slice(0, -1));
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, `${parts[parts.length - 1]}.INI`),
        encodeIni(
          [
            '[File]',
            `Size=${size}`,
            `TimeModified=${dateToFiletime(modified)}`,
            `Attributes=${(file.attributes ?? 0x20).toString(16).toUpperCase()}`,
            `Hash=${written}`,
          ],
          utf16,
        ),
      );
    }
  }

  // DataLib\<ContentID>.INI: the reader only needs it to exist and parse; what we record is the
  // content's file count and size, not a claim about every key a real DP writes there.
  const totalBytes = made.reduce((sum, f) => sum + f.sizeBytes, 0);
  for (const contentId of contentIds) {
    await mkdir(join(options.root, names.dataLib, contentId), { recursive: true });
    await writeFile(
      join(options.root, names.dataLib, `${contentId}.INI`),
      encodeIni(['[Content]', `Files=${made.length}`, `Size=${totalBytes}`], utf16),
    );
  }

  // PkgLib\<Pkg>.INI: every content id held for the package.
  const pkgIni = join(options.root, names.pkgLib, `${packageId}.INI`);
  const listed = new Set([...(await existingKeys(pkgIni, 'Packages')), ...contentIds]);
  await writeFile(pkgIni, encodeIni(['[Packages]', ...[...listed].map((id) => `${id}=`)], utf16));

  return { roots, contentIds, files: made };
}

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      root: { type: 'string' },
      package: { type: 'string' },
      version: { type: 'string', multiple: true },
      file: { type: 'string', multiple: true },
      utf16: { type: 'boolean', default: false },
      'lowercase-hash': { type: 'boolean', default: false },
      'lowercase-folders': { type: 'boolean', default: false },
      'split-filelib': { type: 'string' },
    },
    strict: true,
  });
  if (!values.root || !values.package || !values.file?.length) {
    console.error('usage: make-content-library --root OUT --package PKG00001 [--version N …] --file PATH[=name-in-package] … ' +
      '[--utf16] [--lowercase-hash] [--lowercase-folders] [--split-filelib ROOT2]');
    return 2;
  }
  const files = values.file.map((spec): MakeContentLibraryFile => {
    const at = spec.lastIndexOf('=');
    return at > 0 ? { source: resolve(spec.slice(0, at)), name: spec.slice(at + 1) } : { source: resolve(spec) };
  });
  const made = await makeContentLibrary({
    root: resolve(values.root),
    packageId: values.package,
    version: (values.version ?? ['1']).map((v) => Number.parseInt(v, 10)),
    files,
    utf16: values.utf16,
    lowercaseHash: values['lowercase-hash'],
    lowercaseFolders: values['lowercase-folders'],
    ...(values['split-filelib'] ? { splitFileLib: resolve(values['split-filelib']) } : {}),
  });
  console.log(JSON.stringify(made, null, 2));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
