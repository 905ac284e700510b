// Names that come out of a content library become paths on the media we write (and, through
// the DataLib tree, paths we open). A library is input from a server we do not control, so
// every name is checked before it is used: one path component, legal on Windows, and unable to
// climb out of or escape the folder it lives in. The rule: "reject names containing `..`,
// drive letters, or absolute paths". The Windows rules are those of Microsoft's "Naming Files,
// Paths, and Namespaces" doc (reserved device names, reserved characters, no trailing dot/space).

import { CaptureMediaError } from '../errors.js';

/** NTFS's component limit; a longer name cannot have come from a Windows package source. */
export const MAX_NAME_LENGTH = 255;

// Device names are reserved with or without an extension ("CON.txt" opens the console too),
// including the superscript-digit COM/LPT forms Windows also reserves.
const RESERVED_DEVICE = /^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])$/i;
// Characters Windows forbids in a file name; `:` also covers drive letters and NTFS streams.
const FORBIDDEN_CHARS = /[<>:"|?*\\/]/;
const CONTROL_CHARS = /[\u0000-\u001f]/;

/** Why `name` is not a safe single path component, or undefined when it is. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_NAME_LENGTH) return `the name is longer than ${MAX_NAME_LENGTH} characters`;
  if (name === '.' || name === '..') return `"${name}" refers to a folder itself or its parent`;
  if (name.includes('\0')) return 'the name contains a NUL character';
  if (name.includes('/') || name.includes('\\')) return 'the name contains a path separator';
  if (/^[a-z]:/i.test(name)) return 'the name starts with a drive letter';
  if (FORBIDDEN_CHARS.test(name)) return 'the name contains a character Windows does not allow (< > : " | ? *)';
  if (CONTROL_CHARS.test(name)) return 'the name contains a control character';
  if (/[. ]$/.test(name)) return 'the name ends with a dot or a space, which Windows strips';
  const stem = name.split('.')[0]!.trimEnd();
  if (RESERVED_DEVICE.test(stem)) return `"${stem}" is a reserved Windows device name`;
  return undefined;
}

/**
 * Throw ContentLibraryInvalid unless `name` is a safe single component. `where` names the
 * library file the name came from, so the user can find and fix (or report) it.
 */
export function assertSafeName(name: string, where: string): string {
  const reason = unsafeNameReason(name);
  if (reason !== undefined) {
    throw new CaptureMediaError(
      'ContentLibraryInvalid',
      `${where}: the content library names a file or folder ${JSON.stringify(name)} that cannot be used: ${reason}.`,
      { target: where },
    );
  }
  return name;
}
