// PkgLib: the package library of a ConfigMgr content library.
//
// Microsoft's "The content library in Configuration Manager" doc: "The package library
// (PkgLib) contains a file for each package … named <PackageID>.INI", listing in its
// `[Packages]` section the content ids the distribution point holds for the package, each
// `<PackageID>.<version>=` (e.g. `PS100004.3=`). When a package is updated the new content is
// added before the old one is removed, so more than one version can be listed for a while; the
// highest version is the current one.

import { CaptureMediaError } from '../errors.js';
import type { IniFile } from './ini.js';

/**
 * A ConfigMgr package id: the three-character site code then five hex digits (PS100004).
 * Checked before the id is used to build any path.
 */
export const PACKAGE_ID_PATTERN = /^[A-Z0-9]{3}[0-9A-F]{5}$/i;

/** The section of PkgLib\<PackageID>.INI that lists content ids. */
export const PACKAGES_SECTION = 'Packages';

/** Folder names under a content library root, as ConfigMgr writes them (matched ignoring case). */
export const PKGLIB = 'PkgLib';
export const DATALIB = 'DataLib';
export const FILELIB = 'FileLib';

/** Validate and upper-case a package id; a malformed one is an argument error, not a library error. */
export function normalizePackageId(packageId: string): string {
  const trimmed = packageId.trim();
  if (!PACKAGE_ID_PATTERN.test(trimmed)) {
    throw new CaptureMediaError(
      'InvalidParameter',
      `${JSON.stringify(packageId)} is not a Configuration Manager package id: expected a 3-character site code and 5 hex digits, like PS100004.`,
      { target: packageId },
    );
  }
  return trimmed.toUpperCase();
}

export interface ContentRef {
  /** `<PackageID>.<version>`, upper-cased. */
  readonly contentId: string;
  readonly version: number;
}

/** `PS100004.3` → version 3 when it belongs to `packageId`; anything else → undefined. */
export function parseContentId(key: string, packageId: string): ContentRef | undefined {
  const match = /^([A-Z0-9]{3}[0-9A-F]{5})\.([0-9]{1,9})$/i.exec(key.trim());
  if (!match || match[1]!.toUpperCase() !== packageId) return undefined;
  const version = Number.parseInt(match[2]!, 10);
  return { contentId: `${packageId}.${version}`, version };
}

/** Every content id of `packageId` in a PkgLib INI, highest version first. */
export function listContentRefs(ini: IniFile, packageId: string): ContentRef[] {
  const section = ini.section(PACKAGES_SECTION);
  if (!section) return [];
  const refs = new Map<number, ContentRef>();
  for (const entry of section.entries) {
    const ref = parseContentId(entry.key, packageId);
    if (ref) refs.set(ref.version, ref);
  }
  return [...refs.values()].sort((a, b) => b.version - a.version);
}

/** The current (highest) content version of the package; ContentLibraryInvalid when none is listed. */
export function pickLatestContent(ini: IniFile, packageId: string, iniPath: string): ContentRef {
  const refs = listContentRefs(ini, packageId);
  const latest = refs[0];
  if (!latest) {
    const section = ini.section(PACKAGES_SECTION);
    const detail = section
      ? `its [${PACKAGES_SECTION}] section lists no content id of the form ${packageId}.<version>`
      : `it has no [${PACKAGES_SECTION}] section`;
    throw new CaptureMediaError('ContentLibraryInvalid', `${iniPath} does not describe package ${packageId}: ${detail}.`, {
      target: iniPath,
    });
  }
  return latest;
}

/** `PS100004.INI` → `PS100004`; any other PkgLib entry name → undefined. */
export function packageIdFromIniName(name: string): string | undefined {
  const match = /^(.+)\.ini$/i.exec(name);
  if (!match || !PACKAGE_ID_PATTERN.test(match[1]!)) return undefined;
  return match[1]!.toUpperCase();
}
