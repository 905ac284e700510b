// Media sizes: the wizard's CD/DVD sizes and explicit sizes such as `700MB` or `4.7GB`.
// Units are binary (1 MB = 1,048,576 B) because the wizard's own "650 MB" is 681,574,400 B.

import { CaptureMediaError, type ErrorId } from '../errors.js';

export const ISO_SECTOR_BYTES = 2048;

/** DESIGN.md §1: the wizard's presets, in bytes. `null` = unlimited. */
export const MEDIA_SIZE_PRESETS: Readonly<Record<string, number | null>> = {
  size650mb: 681_574_400,
  size4gb: 4_700_372_992,
  size8gb: 8_543_666_176,
  sizeunlimited: null,
};

const UNIT_BYTES: Readonly<Record<string, number>> = { mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
const MIN_SIZE_BYTES = 1024 ** 2;

/** Parse `<n>MB|GB|TB` (decimals allowed). Returns bytes, rounded down to `granule`. */
export function parseByteSize(text: string, what: string, id: ErrorId, granule = 1): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mb|gb|tb)\s*$/i.exec(text);
  const fix = `Give a size such as 700MB or 4.7GB (units MB, GB, TB).`;
  if (!m) throw new CaptureMediaError(id, `${what} "${text}" is not a size. ${fix}`, { target: text });
  const bytes = Math.floor((Number(m[1]) * UNIT_BYTES[m[2]!.toLowerCase()]!) / granule) * granule;
  if (!Number.isSafeInteger(bytes) || bytes < MIN_SIZE_BYTES) {
    throw new CaptureMediaError(id, `${what} "${text}" is too small: at least 1MB is needed. ${fix}`, { target: text });
  }
  return bytes;
}

/** -MediaSize: a preset name or an explicit size; null means one unlimited ISO. */
export function parseMediaSize(text: string | undefined): number | null {
  if (text === undefined) return null;
  const preset = MEDIA_SIZE_PRESETS[text.trim().toLowerCase()];
  if (preset !== undefined) return preset;
  try {
    return parseByteSize(text, 'The media size', 'MediaSizeInvalid', ISO_SECTOR_BYTES);
  } catch (error: unknown) {
    if (error instanceof CaptureMediaError) {
      throw new CaptureMediaError(
        'MediaSizeInvalid',
        `${error.message} Presets: Size650MB, Size4GB, Size8GB, SizeUnlimited.`,
        { target: text, cause: error },
      );
    }
    throw error;
  }
}
