// Media label rules. One label (default "Configuration Manager", as the wizard) becomes:
//  - the ISO 9660 volume identifier: d-characters only (ECMA-119 §7.4.1: A-Z 0-9 _), 32 max;
//  - the Joliet volume identifier: 16 UTF-16 code units (the SVD field is 32 bytes of UCS-2);
//  - the FAT volume label: 11 bytes, uppercase, without the characters FAT forbids in labels
//    (Microsoft FAT spec §6.1 short-name rules, plus those Windows' `label` command refuses);
//  - MediaLabel.txt at the root: `label=<label>` verbatim.

import { CaptureMediaError } from '../errors.js';
import { firstNonLabelChar } from '../fat/volume-label.js';

export const DEFAULT_MEDIA_LABEL = 'Configuration Manager';
export const MEDIA_LABEL_MAX_CHARS = 32;
export const ISO_LABEL_MAX_CHARS = 32;
export const JOLIET_LABEL_MAX_CHARS = 16;
export const FAT_LABEL_MAX_CHARS = 11;

/** Characters refused in every media type: Windows file-name specials (MediaLabel.txt, share names). */
const NEVER_ALLOWED = /[*?/\\|<>":\u0000-\u001f\u007f]/u;

export interface MediaLabel {
  /** As the user gave it; goes into MediaLabel.txt. */
  readonly text: string;
  readonly iso: string;
  readonly joliet: string;
  readonly fat: string;
}

export function isoVolumeLabel(text: string): string {
  // Lowercase letters become uppercase; anything else outside d-characters becomes '_', as
  // oscdimg and mkisofs do for a volume id given with spaces.
  return text
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_')
    .slice(0, ISO_LABEL_MAX_CHARS);
}

export function fatVolumeLabel(text: string): string {
  return text.slice(0, FAT_LABEL_MAX_CHARS).toUpperCase().trimEnd();
}

export function validateMediaLabel(text: string | undefined, options: { fat: boolean }): MediaLabel {
  const label = text ?? DEFAULT_MEDIA_LABEL;
  const fix = `Use 1-${MEDIA_LABEL_MAX_CHARS} letters, digits, spaces, '-' or '_', e.g. -MediaLabel "Capture x64".`;
  if (label.trim().length === 0) {
    throw new CaptureMediaError('LabelInvalid', `The media label is empty. ${fix}`, { target: label });
  }
  if ([...label].length > MEDIA_LABEL_MAX_CHARS) {
    throw new CaptureMediaError(
      'LabelInvalid',
      `The media label is ${[...label].length} characters long; ISO volume labels hold at most ${MEDIA_LABEL_MAX_CHARS}. ${fix}`,
      { target: label },
    );
  }
  if (label !== label.trim()) {
    throw new CaptureMediaError('LabelInvalid', `The media label "${label}" starts or ends with a space. ${fix}`, { target: label });
  }
  const bad = NEVER_ALLOWED.exec(label);
  if (bad) {
    throw new CaptureMediaError('LabelInvalid', `The media label "${label}" contains ${describeChar(bad[0])}, which is not allowed. ${fix}`, {
      target: label,
    });
  }
  // A lone UTF-16 surrogate is half a character: Joliet would record it as is (unreadable), FAT
  // and MediaLabel.txt (UTF-8) as U+FFFD - three different labels.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(label)) {
    throw new CaptureMediaError('LabelInvalid', `The media label contains a lone UTF-16 surrogate (half of a character). ${fix}`, { target: label });
  }
  const fat = fatVolumeLabel(label);
  if (options.fat) {
    // The FAT rule itself lives with the FAT writer (fat/volume-label.ts); this only words it for
    // the media label the user typed.
    const fatBad = firstNonLabelChar(fat);
    if (fatBad !== undefined && fatBad.charCodeAt(0) < 0x80) {
      throw new CaptureMediaError(
        'LabelInvalid',
        `The FAT32 volume label "${fat}" (the first ${FAT_LABEL_MAX_CHARS} characters of the media label) contains ${describeChar(fatBad)}, which FAT does not allow in a label. ${fix}`,
        { target: label },
      );
    }
    if (fatBad !== undefined) {
      throw new CaptureMediaError(
        'LabelInvalid',
        `The FAT32 volume label "${fat}" contains non-ASCII characters; FAT labels are stored in the OEM code page. ${fix}`,
        { target: label },
      );
    }
  }
  return {
    text: label,
    iso: isoVolumeLabel(label),
    joliet: label.slice(0, JOLIET_LABEL_MAX_CHARS),
    fat,
  };
}

function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `the control character U+${code.toString(16).padStart(4, '0').toUpperCase()}` : `'${c}'`;
}
