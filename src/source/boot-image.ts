// Boot image packages in a content library.
//
// A ConfigMgr boot image package's content is one file, `boot.<PackageID>.wim` (the site server
// writes the customised WIM under that name before distributing it; see Microsoft's "Manage boot
// images" and "The content library" docs). Its FileLib blob is that WIM byte for byte, so the WIM
// reader opens the blob path directly (random access, no staging copy) and the media writer
// streams it through hashCheckedSource to `\sources\boot.wim` (README "What is on the media").

import { CaptureMediaError } from '../errors.js';
import type { ContentSource } from '../io/content.js';
import { openContentLibrary, packagePathText, type ContentFile, type ContentLibrary, type PackageContent } from './content-library.js';

export interface BootImageInfo {
  readonly packageId: string;
  readonly contentId: string;
  /** Content version (the `<version>` of `<PackageID>.<version>`). */
  readonly version: number;
  readonly sizeBytes: number;
  /** SHA-256 of the WIM, upper-case hex. */
  readonly sha256: string;
  /** The FileLib blob, which is the WIM itself. */
  readonly blobPath: string;
}

export interface BootImageWimFile {
  readonly relativePath: readonly string[];
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly blobPath: string;
}

export interface BootImage {
  readonly packageId: string;
  readonly contentId: string;
  readonly version: number;
  readonly wimFile: BootImageWimFile;
  /** The WIM's bytes, SHA-256-checked while they stream. */
  readonly source: ContentSource;
}

/** The one file name a boot image package's content has. */
export function bootWimName(packageId: string): string {
  return `boot.${packageId}.wim`;
}

function isBootWimName(name: string, packageId: string): boolean {
  return name.toUpperCase() === bootWimName(packageId).toUpperCase();
}

async function asLibrary(roots: readonly string[] | ContentLibrary): Promise<ContentLibrary> {
  return isLibrary(roots) ? roots : openContentLibrary(roots);
}

function isLibrary(value: readonly string[] | ContentLibrary): value is ContentLibrary {
  return !Array.isArray(value);
}

function describeFiles(files: readonly ContentFile[]): string {
  if (files.length === 0) return 'no files';
  const names = files.slice(0, 5).map((f) => packagePathText(f.relativePath));
  return `${files.length} file${files.length === 1 ? '' : 's'} (${names.join(', ')}${files.length > 5 ? ', …' : ''})`;
}

/** The WIM file of a package, or BootImageNotFound explaining what the package holds instead. */
export function bootWimOf(pkg: PackageContent): ContentFile {
  const [only] = pkg.files;
  if (pkg.files.length !== 1 || !only || only.relativePath.length !== 1 || !isBootWimName(only.relativePath[0]!, pkg.packageId)) {
    throw new CaptureMediaError(
      'BootImageNotFound',
      `Package ${pkg.packageId} (content ${pkg.contentId}) is not a boot image package: a boot image's content is the single file ` +
        `${bootWimName(pkg.packageId)}, this package holds ${describeFiles(pkg.files)}.`,
      { target: pkg.packageId },
    );
  }
  return only;
}

/** Find boot image `packageId` in the library at `roots` (Read access checked first). */
export async function findBootImage(roots: readonly string[] | ContentLibrary, packageId: string): Promise<BootImage> {
  const library = await asLibrary(roots);
  const pkg = await library.getPackage(packageId);
  const wim = bootWimOf(pkg);
  return {
    packageId: pkg.packageId,
    contentId: pkg.contentId,
    version: pkg.version,
    wimFile: { relativePath: wim.relativePath, sizeBytes: wim.sizeBytes, sha256: wim.sha256, blobPath: wim.blobPath },
    source: library.source(pkg, wim),
  };
}

export interface ListBootImagesOptions {
  /**
   * Called for a package that cannot be read (bad INI, missing DataLib entry or blob). Without it,
   * a damaged package that is a boot image fails the whole listing, and a damaged package that
   * cannot be identified is passed over; with it the listing goes on and reports each one.
   */
  readonly onSkipped?: (packageId: string, error: CaptureMediaError) => void;
}

/**
 * Every package whose current content is a single `boot.<PackageID>.wim`. Other packages are
 * passed over after one folder listing each (no INI of theirs is parsed), so this stays fast on a
 * distribution point with thousands of packages.
 */
export async function listBootImages(
  roots: readonly string[] | ContentLibrary,
  options: ListBootImagesOptions = {},
): Promise<BootImageInfo[]> {
  const library = await asLibrary(roots);
  const images: BootImageInfo[] = [];
  for (const packageId of await library.listPackageIds()) {
    let looksLikeBootImage = false;
    try {
      const peek = await library.peekPackage(packageId);
      if (peek.topNames.length !== 1 || !isBootWimName(peek.topNames[0]!, packageId)) continue;
      looksLikeBootImage = true;
      const pkg = await library.getPackage(packageId);
      const wim = bootWimOf(pkg);
      images.push({
        packageId: pkg.packageId,
        contentId: pkg.contentId,
        version: pkg.version,
        sizeBytes: wim.sizeBytes,
        sha256: wim.sha256,
        blobPath: wim.blobPath,
      });
    } catch (error: unknown) {
      // An unreadable library is everyone's problem, not one package's: never skip that.
      if (!(error instanceof CaptureMediaError) || error.id === 'ContentLibraryUnreadable') throw error;
      if (options.onSkipped) options.onSkipped(packageId, error);
      // A damaged package we cannot even identify must not hide every boot image from the user.
      else if (looksLikeBootImage) throw error;
    }
  }
  return images;
}
