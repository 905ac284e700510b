// Media sizes: the wizard's CD/DVD presets and explicit sizes such as `700MB`, `4.7GB` or `2GiB`.
// One parser for every size the core takes (-MediaSize, -ImageSize); the PowerShell module passes
// the text through untouched, so both hosts read a size the same way.
//
// Units are read as people buy media: KB/MB/GB/TB are decimal (1 GB = 1,000,000,000 B, as DVDs are
// sold: a "4.7 GB" DVD holds 4,700,372,992 B), KiB/MiB/GiB/TiB binary (IEC 80000-13). A bare
// number is bytes. The wizard's presets keep their exact byte counts.

import { CaptureMediaError, type ErrorId } from '../errors.js';
import { SECTOR_BYTES as ISO_SECTOR_BYTES } from '../iso/fields.js';

/** The wizard's presets, in bytes (its "650 MB" is 650 MiB, 681,574,400 B). `null` = unlimited. */
export const MEDIA_SIZE_PRESETS: Readonly<Record<string, number | null>> = {
  size650mb: 681_574_400,
  size4gb: 4_700_372_992,
  size8gb: 8_543_666_176,
  sizeunlimited: null,
};

/** The preset names as the user types them (PowerShell completes these). */
export const MEDIA_SIZE_PRESET_NAMES = ['Size650MB', 'Size4GB', 'Size8GB', 'SizeUnlimited'] as const;

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** The smallest size any medium can have: 1 MiB (a disc or image smaller than this holds nothing useful). */
export const MIN_SIZE_BYTES = 1024 ** 2;

/** "4,700,000,000 bytes (4.7 GB, 4.38 GiB)": both readings, so nobody has to guess which unit we meant. */
export function describeBytes(bytes: number): string {
  const decimal = ['B', 'KB', 'MB', 'GB', 'TB'];
  const binary = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const scaled = (base: number, units: string[]): string => {
    let value = bytes;
    let unit = 0;
    while (value >= base && unit < units.length - 1) {
      value /= base;
      unit++;
    }
    return `${Number(value.toFixed(2))} ${units[unit]}`;
  };
  const count = `${bytes.toLocaleString('en-US')} bytes`;
  return bytes < 1000 ? count : `${count} (${scaled(1000, decimal)}, ${scaled(1024, binary)})`;
}

export interface ByteSizeRule {
  /** Round down to a multiple of this (an ISO sector, a MiB for images). */
  readonly granule?: number;
  readonly minBytes?: number;
  readonly maxBytes?: number;
}

/** Parse `<n>[B|KB|MB|GB|TB|KiB|MiB|GiB|TiB]` (decimals allowed). Returns bytes, rounded down to `granule`. */
export function parseByteSize(text: string, what: string, id: ErrorId, rule: ByteSizeRule = {}): number {
  const granule = rule.granule ?? 1;
  const minBytes = Math.max(rule.minBytes ?? MIN_SIZE_BYTES, granule);
  const maxBytes = rule.maxBytes ?? Number.MAX_SAFE_INTEGER;
  const fix = `Give a size such as 700MB or 4.7GB (decimal: KB, MB, GB, TB) or 2GiB (binary: KiB, MiB, GiB, TiB).`;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*$/i.exec(text);
  if (!m) throw new CaptureMediaError(id, `${what} "${text}" is not a size. ${fix}`, { target: text });
  const exact = Number(m[1]) * UNIT_BYTES[(m[2] ?? 'b').toLowerCase()]!;
  const bytes = Math.floor(exact / granule) * granule;
  if (!Number.isSafeInteger(bytes) || bytes > maxBytes) {
    throw new CaptureMediaError(id, `${what} "${text}" is too large: at most ${describeBytes(maxBytes)} works.`, { target: text });
  }
  if (bytes < minBytes) {
    throw new CaptureMediaError(id, `${what} "${text}" is too small: at least ${describeBytes(minBytes)} is needed. ${fix}`, { target: text });
  }
  return bytes;
}

/** -MediaSize: a preset name or an explicit size; null means one unlimited ISO. */
export function parseMediaSize(text: string | undefined): number | null {
  if (text === undefined) return null;
  const preset = MEDIA_SIZE_PRESETS[text.trim().toLowerCase()];
  if (preset !== undefined) return preset;
  try {
    return parseByteSize(text, 'The media size', 'MediaSizeInvalid', { granule: ISO_SECTOR_BYTES });
  } catch (error: unknown) {
    if (error instanceof CaptureMediaError) {
      throw new CaptureMediaError('MediaSizeInvalid', `${error.message} Presets: ${MEDIA_SIZE_PRESET_NAMES.join(', ')}.`, { target: text, cause: error });
    }
    throw error;
  }
}
