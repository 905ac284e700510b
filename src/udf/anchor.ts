// ECMA-167 3/10.2 Anchor Volume Descriptor Pointer: at sector 256 (and at N-1 or N-257 of an
// N-sector volume; UDF 1.02 §2.2.3 requires two of the three), pointing to the main and reserve
// Volume Descriptor Sequences.

import { parseExtentAd, type ExtentAd } from './allocation-descriptor.js';
import { readCheckedTag, TAG_ANCHOR } from './tag.js';

export const ANCHOR_SECTOR = 256;

export interface AnchorVolumeDescriptorPointer {
  /** +0x10 */ readonly mainSequence: ExtentAd;
  /** +0x18 */ readonly reserveSequence: ExtentAd;
}

export function parseAnchor(sector: Uint8Array, lba: number, where: number): AnchorVolumeDescriptorPointer {
  readCheckedTag(sector, 0, [TAG_ANCHOR], lba, where);
  return { mainSequence: parseExtentAd(sector, 0x10), reserveSequence: parseExtentAd(sector, 0x18) };
}
