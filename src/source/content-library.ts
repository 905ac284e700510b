// The ConfigMgr content library reader: package id → the package's files and where their bytes
// are. Implements the content library layout after Microsoft's "The content library in
// Configuration Manager" doc (and "Understanding the Configuration Manager content library" on
// the ConfigMgr team blog):
//
//   <root>\PkgLib\<PackageID>.INI        [Packages] <PackageID>.<version>=      (pkglib.ts)
//   <root>\DataLib\<ContentID>.INI       the content's own record
//   <root>\DataLib\<ContentID>\…\<name>.INI   [File] Hash= Size= Attributes= TimeModified=  (datalib.ts)
//   <root>\FileLib\<hash4>\<hash>        the bytes, on any root                  (filelib.ts)
//
// Several roots may be given (`\\dp\SCCMContentLib$` plus `\\dp\SCCMContentLibE$` …): PkgLib
// and DataLib are looked up root by root (the root holding the package first), FileLib blobs
// in every root. Every name is matched ignoring case (library-dir.ts) and checked before use
// (safe-name.ts); every failure names the exact path (library-error.ts).

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureMediaError, IntegrityError } from '../errors.js';
import type { ContentSource } from '../io/content.js';
import { readContentIni, walkContentFolder } from './datalib.js';
import { blobRelativePath, findBlob } from './filelib.js';
import { hashCheckedSource } from './hash-checked-source.js';
import { readIniFile } from './ini.js';
import { assertListable, LibraryDirectories } from './library-dir.js';
import { invalidError, READ_ACCESS_HINT, unreadableError } from './library-error.js';
import { DATALIB, FILELIB, normalizePackageId, packageIdFromIniName, pickLatestContent, PKGLIB } from './pkglib.js';

export interface ContentFile {
  /** Path components inside the package (each a safe single name). */
  readonly relativePath: readonly string[];
  readonly sizeBytes: number;
  /** SHA-256, upper-case hex. */
  readonly sha256: string;
  /** Win32 file attributes from the DataLib entry. */
  readonly attributes: number;
  readonly modified: Date;
  /** The FileLib blob holding the bytes (on whichever root has it). */
  readonly blobPath: string;
}

export interface PackageContent {
  readonly packageId: string;
  /** `<PackageID>.<version>` of the highest version listed in PkgLib. */
  readonly contentId: string;
  readonly version: number;
  /** The root whose PkgLib lists the package. */
  readonly root: string;
  readonly files: readonly ContentFile[];
}

export interface PackagePeek {
  readonly packageId: string;
  readonly contentId: string;
  readonly version: number;
  readonly topNames: readonly string[];
}

export interface ContentLibrary {
  readonly roots: readonly string[];
  /** The current content of a package with every blob located. */
  getPackage(packageId: string): Promise<PackageContent>;
  /** Every package id with a PkgLib INI in any root, sorted, without duplicates. */
  listPackageIds(): Promise<string[]>;
  /**
   * The current content id of a package and the names directly inside its DataLib folder (file
   * entries without their `.INI`, folders with a trailing `\`): one listing, no INI parsed, so
   * a caller can skip packages cheaply (listBootImages does, over thousands of packages).
   */
  peekPackage(packageId: string): Promise<PackagePeek>;
  /** A ContentSource for one file of a package, SHA-256-checked while it streams. */
  source(pkg: PackageContent, file: ContentFile): ContentSource;
}

export interface OpenContentLibraryOptions {
  /** Run checkContentLibraryAccess first (default true). */
  readonly checkAccess?: boolean;
}

/** Open a content library spread over `roots` (checked for Read access first). */
export async function openContentLibrary(roots: readonly string[], options: OpenContentLibraryOptions = {}): Promise<ContentLibrary> {
  if (roots.length === 0) {
    throw new CaptureMediaError('InvalidParameter', 'No distribution point content library was given (-DistributionPoint).');
  }
  const library = new LibraryReader([...roots]);
  if (options.checkAccess !== false) await checkContentLibraryAccess(roots, library.dirs);
  return library;
}

/** Joined package path for messages (`sms\bin\x64\foo.dll`): how the user sees it in the console. */
export function packagePathText(relativePath: readonly string[]): string {
  return relativePath.join('\\');
}

class LibraryReader implements ContentLibrary {
  readonly roots: readonly string[];
  readonly dirs = new LibraryDirectories();

  constructor(roots: readonly string[]) {
    this.roots = roots;
  }

  async listPackageIds(): Promise<string[]> {
    const ids = new Set<string>();
    for (const root of this.roots) {
      const pkgLib = await this.dirs.find(root, PKGLIB);
      if (!pkgLib) continue;
      for (const entry of (await this.dirs.list(pkgLib.path)) ?? []) {
        const id = entry.isFile ? packageIdFromIniName(entry.name) : undefined;
        if (id) ids.add(id);
      }
    }
    return [...ids].sort();
  }

  async peekPackage(packageIdText: string): Promise<PackagePeek> {
    const { packageId, contentId, version, contentDir } = await this.locateContent(packageIdText);
    const topNames: string[] = [];
    for (const entry of (await this.dirs.list(contentDir)) ?? []) {
      if (entry.isDirectory) topNames.push(`${entry.name}\\`);
      else if (entry.isFile && /\.ini$/i.test(entry.name)) topNames.push(entry.name.slice(0, -4));
    }
    return { packageId, contentId, version, topNames: topNames.sort() };
  }

  private async locateContent(packageIdText: string) {
    const packageId = normalizePackageId(packageIdText);
    const { root, iniPath } = await this.findPackageIni(packageId);
    const ini = await readIniFile(iniPath);
    const { contentId, version } = pickLatestContent(ini, packageId, iniPath);
    const contentDir = await this.findContentFolder(root, packageId, contentId, iniPath);
    return { packageId, contentId, version, root, contentDir };
  }

  async getPackage(packageIdText: string): Promise<PackageContent> {
    const { packageId, contentId, version, root, contentDir } = await this.locateContent(packageIdText);
    const entries = await walkContentFolder(this.dirs, contentDir);

    const files: ContentFile[] = [];
    for (const entry of entries) {
      const where = `${packageId} (content ${contentId}) file ${packagePathText(entry.relativePath)}`;
      const blob = await findBlob(this.dirs, this.roots, entry.sha256);
      if (!blob) {
        const searched = this.roots.map((r) => join(r, ...blobRelativePath(entry.sha256))).join(', ');
        throw invalidError(
          entry.iniPath,
          `Package ${where}: its FileLib blob ${entry.sha256} is missing (searched ${searched}). ` +
            `The content library is incomplete; redistribute the package, or add the root that holds this FileLib.`,
        );
      }
      if (blob.sizeBytes !== entry.sizeBytes) {
        throw new IntegrityError(
          'ContentHashMismatch',
          `${entry.sizeBytes} bytes`,
          `${blob.sizeBytes} bytes`,
          `Package ${where}: the FileLib blob ${blob.path} does not have the size recorded in ${entry.iniPath}`,
          { target: blob.path },
        );
      }
      files.push({
        relativePath: entry.relativePath,
        sizeBytes: entry.sizeBytes,
        sha256: entry.sha256,
        attributes: entry.attributes,
        modified: entry.modified,
        blobPath: blob.path,
      });
    }
    return { packageId, contentId, version, root, files };
  }

  source(pkg: PackageContent, file: ContentFile): ContentSource {
    return hashCheckedSource(file.blobPath, file.sizeBytes, file.sha256, {
      packageId: pkg.packageId,
      file: packagePathText(file.relativePath),
    });
  }

  private async findPackageIni(packageId: string): Promise<{ root: string; iniPath: string }> {
    const searched: string[] = [];
    for (const root of this.roots) {
      const pkgLib = await this.dirs.find(root, PKGLIB);
      searched.push(join(root, PKGLIB));
      if (!pkgLib) continue;
      const ini = await this.dirs.find(pkgLib.path, `${packageId}.INI`);
      if (ini && !ini.isDirectory) return { root, iniPath: ini.path };
    }
    throw new CaptureMediaError(
      'BootImageNotFound',
      `Package ${packageId} is not in the content library: there is no ${packageId}.INI in ${searched.join(', ')}. ` +
        `Check the package id and that the package is distributed to this distribution point.`,
      { target: packageId },
    );
  }

  /** DataLib\<ContentID>\ (and its .INI), in the package's own root first, then the others. */
  private async findContentFolder(root: string, packageId: string, contentId: string, pkgIni: string): Promise<string> {
    const order = [root, ...this.roots.filter((r) => r !== root)];
    for (const candidate of order) {
      const dataLib = await this.dirs.find(candidate, DATALIB);
      if (!dataLib) continue;
      const folder = await this.dirs.find(dataLib.path, contentId);
      if (!folder || !folder.isDirectory) continue;
      const ini = await this.dirs.find(dataLib.path, `${contentId}.INI`);
      if (!ini) {
        throw invalidError(
          join(dataLib.path, `${contentId}.INI`),
          `Package ${packageId}: ${join(dataLib.path, `${contentId}.INI`)} is missing although ${folder.path} exists; the content library is damaged.`,
        );
      }
      await readContentIni(ini.path);
      return folder.path;
    }
    const searched = order.map((r) => join(r, DATALIB, contentId)).join(', ');
    throw invalidError(
      pkgIni,
      `Package ${packageId}: ${pkgIni} lists content ${contentId}, but its DataLib entry is missing (searched ${searched}). ` +
        `The content library is incomplete; redistribute the package.`,
    );
  }
}

/**
 * Permission preflight (the wizard needs Read access too; here "a missing permission … is a clear
 * error naming the path"). Each root must exist and be listable, and each of its PkgLib, DataLib
 * and FileLib folders that exists must be listable. A root showing none of the three is refused:
 * either it is not a content library, or access-based enumeration on the share hides folders the
 * user cannot read. At least one root must hold PkgLib and DataLib (a root may legitimately hold
 * only a FileLib: the other-drive `SCCMContentLib<letter>$` shares).
 */
export async function checkContentLibraryAccess(roots: readonly string[], dirs = new LibraryDirectories()): Promise<void> {
  let hasPackages = false;
  for (const root of roots) {
    try {
      const info = await stat(root);
      if (!info.isDirectory()) throw unreadableError(root, undefined, 'it is not a folder');
    } catch (error: unknown) {
      if (error instanceof CaptureMediaError) throw error;
      throw unreadableError(root, error);
    }
    await assertListable(root);
    const found = { pkgLib: false, dataLib: false, any: false };
    for (const name of [PKGLIB, DATALIB, FILELIB]) {
      const entry = await dirs.find(root, name);
      if (!entry) continue;
      await assertListable(entry.path);
      found.any = true;
      if (name === PKGLIB) found.pkgLib = true;
      if (name === DATALIB) found.dataLib = true;
    }
    if (!found.any) {
      throw new CaptureMediaError(
        'ContentLibraryUnreadable',
        `${root} has no ${PKGLIB}, ${DATALIB} or ${FILELIB} folder: it is not a content library (SCCMContentLib), ` +
          `or those folders are hidden from you because you lack Read access. ${READ_ACCESS_HINT}`,
        { target: root },
      );
    }
    if (found.pkgLib && found.dataLib) hasPackages = true;
  }
  if (!hasPackages) {
    throw new CaptureMediaError(
      'ContentLibraryUnreadable',
      `None of ${roots.join(', ')} has both a ${PKGLIB} and a ${DATALIB} folder; give the content library root ` +
        `(\\\\<dp>\\SCCMContentLib$), not only a FileLib share. ${READ_ACCESS_HINT}`,
      { target: roots[0] },
    );
  }
}
