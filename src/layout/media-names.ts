// Every name and depth of the media tree checked against what the target format holds, while
// planning - before a byte is written. Without this a name Joliet cannot hold was cut or changed by
// the ISO writer and only the read-back verify noticed (VerifyFailed, exit 5: "suspect the
// hardware"), after the whole ISO was written.
//
// Decision: refuse, never map. The medium must hold exactly the names of the boot image, because
// the manifest, verify and ConfigMgr's own launcher look files up by those names; a mapped name
// (as oscdimg's or xorriso's cutting would give) boots to a task sequence that cannot find its
// file. So a name the format cannot hold is a fault of the source: MediaNameUnsupported, exit 4,
// naming the file and the rule.
//
// Rules (both media): every component a legal Windows file name (safe-name.ts: no control
// characters, none of < > : " | ? *, no trailing dot or space, no reserved device name), no lone
// UTF-16 surrogate. CD/DVD: Joliet §3.1 names of at most 64 UCS-2 units and none of its extra
// forbidden ";"; ECMA-119 §6.8.2.1: at most 8 directory levels. USB (FAT32, Microsoft FAT spec
// §7): long names of at most 255 UCS-2 units; paths of at most 255 characters below the drive
// root, so that with "E:\" they stay within Windows' MAX_PATH of 260.

import { CaptureMediaError } from '../errors.js';
import type { TreeFile } from '../io/file-tree.js';
import { unsafeNameReason } from '../source/safe-name.js';

const JOLIET_NAME_MAX = 64;
const ISO_MAX_DIRECTORY_LEVELS = 8; // the root is level 1; a file in it is at depth 1
const FAT_NAME_MAX = 255;
const WINDOWS_PATH_MAX_BELOW_ROOT = 255;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function refuse(file: TreeFile, why: string): CaptureMediaError {
  const path = file.path.join('\\');
  return new CaptureMediaError('MediaNameUnsupported', `The boot image holds \\${path}, which ${why}; the media cannot carry it unchanged. Remove or rename it in the boot image.`, {
    target: path,
  });
}

export function checkMediaNames(files: readonly TreeFile[], medium: 'cd' | 'usb'): void {
  for (const file of files) {
    for (const name of file.path) {
      const reason = unsafeNameReason(name);
      if (reason !== undefined) throw refuse(file, `has a name Windows cannot hold: ${reason}`);
      if (LONE_SURROGATE.test(name)) throw refuse(file, 'has a name with a lone UTF-16 surrogate (not a character)');
      if (medium === 'cd') {
        if (name.length > JOLIET_NAME_MAX) throw refuse(file, `has a name of ${name.length} characters; a CD/DVD (Joliet) name holds at most ${JOLIET_NAME_MAX}`);
        if (name.includes(';')) throw refuse(file, 'has a name with ";", which a CD/DVD (Joliet) name cannot hold');
      } else if (name.length > FAT_NAME_MAX) {
        throw refuse(file, `has a name of ${name.length} characters; a FAT32 name holds at most ${FAT_NAME_MAX}`);
      }
    }
    const directories = file.path.length - 1;
    if (medium === 'cd' && directories + 1 > ISO_MAX_DIRECTORY_LEVELS) {
      throw refuse(file, `lies ${directories} folders deep; an ISO 9660 disc holds at most ${ISO_MAX_DIRECTORY_LEVELS - 1} levels of folders below the root`);
    }
    const length = file.path.join('\\').length;
    if (length > WINDOWS_PATH_MAX_BELOW_ROOT) {
      throw refuse(file, `has a path of ${length} characters; Windows reads at most ${WINDOWS_PATH_MAX_BELOW_ROOT} below a drive root (MAX_PATH)`);
    }
  }
}
