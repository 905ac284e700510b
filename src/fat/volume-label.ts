// The FAT volume label: 11 bytes, upper case, stored twice — in the boot sector (BS_VolLab, §3.3)
// and as the root directory's ATTR_VOLUME_ID entry (§6, DIR_Attr), which is what Windows shows.
// Legal characters are those of an 8.3 name (§6.1) plus the space; Windows' `label` command also
// rejects * ? / \ | . , ; : + = [ ] < > " and upper-cases the letters.

import { CaptureMediaError } from '../errors.js';
import { NO_NAME_LABEL } from './boot-sector.js';

export const VOLUME_LABEL_MAX_CHARS = 11;
const LABEL_SPECIALS = "$%'-_@~`!(){}^#& ";

function isLabelChar(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || LABEL_SPECIALS.includes(c);
}

/** The first character of `label` (upper-cased) that a FAT volume label cannot hold, if any. */
export function firstNonLabelChar(label: string): string | undefined {
  return [...label.toUpperCase()].find((c) => c.charCodeAt(0) >= 0x80 || !isLabelChar(c));
}

/**
 * Validate a FAT label given in options: at most 11 characters of the legal set (letters are
 * upper-cased, trailing spaces dropped). Returns the label as stored, without padding; '' means
 * no label (the boot sector then says "NO NAME" and the root has no label entry, as Windows does).
 */
export function normalizeFatLabel(label: string): string {
  const upper = label.replace(/ +$/, '').toUpperCase();
  if (upper.length > VOLUME_LABEL_MAX_CHARS) {
    throw new CaptureMediaError('LabelInvalid', `The FAT32 volume label "${label}" is longer than 11 characters.`, { target: label });
  }
  const bad = firstNonLabelChar(upper);
  if (bad !== undefined) {
    throw new CaptureMediaError('LabelInvalid', `The FAT32 volume label "${label}" contains the character ${JSON.stringify(bad)}, which FAT labels cannot hold.`, {
      target: label,
    });
  }
  if (upper.startsWith(' ')) {
    throw new CaptureMediaError('LabelInvalid', `The FAT32 volume label "${label}" starts with a space.`, { target: label });
  }
  return upper;
}

/** The 11-byte padded form for BS_VolLab and the root label entry's DIR_Name. */
export function paddedLabel(normalized: string): string {
  return normalized.length === 0 ? NO_NAME_LABEL : normalized.padEnd(VOLUME_LABEL_MAX_CHARS, ' ');
}
