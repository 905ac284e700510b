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
  for (const c of upper) {
    if (c.charCodeAt(0) >= 0x80 || !isLabelChar(c)) {
      throw new CaptureMediaError('LabelInvalid', `The FAT32 volume label "${label}" contains the character ${JSON.stringify(c)}, which FAT labels cannot hold.`, {
        target: label,
      });
    }
  }
  if (upper.startsWith(' ')) {
    throw new CaptureMediaError('LabelInvalid', `The FAT32 volume label "${label}" starts with a space.`, { target: label });
  }
  return upper;
}

/**
 * The FAT label is "the first 11 chars of the media label (FAT rules)". Letters are
 * upper-cased, characters a label cannot hold become '_', then the first 11 are kept and trailing
 * spaces dropped ("Configuration Manager" -> "CONFIGURATI").
 */
export function fatLabelFromMediaLabel(mediaLabel: string): string {
  let out = '';
  for (const c of mediaLabel.toUpperCase()) {
    if (out.length === VOLUME_LABEL_MAX_CHARS) break;
    out += c.charCodeAt(0) < 0x80 && isLabelChar(c) ? c : '_';
  }
  return out.replace(/ +$/, '').replace(/^ +/, '');
}

/** The 11-byte padded form for BS_VolLab and the root label entry's DIR_Name. */
export function paddedLabel(normalized: string): string {
  return normalized.length === 0 ? NO_NAME_LABEL : normalized.padEnd(VOLUME_LABEL_MAX_CHARS, ' ');
}
