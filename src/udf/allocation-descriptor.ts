// ECMA-167 allocation descriptors: extent_ad (3/7.1: length, location), short_ad (4/14.14.1:
// length with the extent type in its top two bits, position in the ICB's partition) and long_ad
// (4/14.14.2: the same plus a partition reference). Extent types (4/14.14.1.1): 0 recorded,
// 1 allocated but not recorded, 2 neither (both read as zeros), 3 the next extent of allocation
// descriptors.

export const EXTENT_AD_SIZE = 8;
export const SHORT_AD_SIZE = 8;
export const LONG_AD_SIZE = 16;

export const EXTENT_RECORDED = 0;
export const EXTENT_NOT_RECORDED = 1;
export const EXTENT_NOT_ALLOCATED = 2;
export const EXTENT_CONTINUATION = 3;

const LENGTH_MASK = 0x3fff_ffff;

export interface ExtentAd {
  /** +0x00 */ readonly lengthBytes: number;
  /** +0x04 sector */ readonly location: number;
}

export function parseExtentAd(bytes: Uint8Array, offset: number): ExtentAd {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, EXTENT_AD_SIZE);
  return { lengthBytes: view.readUInt32LE(0), location: view.readUInt32LE(4) };
}

export interface AllocationDescriptor {
  /** +0x00 bits 0-29 */ readonly lengthBytes: number;
  /** +0x00 bits 30-31 */ readonly type: number;
  /** +0x04 logical block within the partition */ readonly block: number;
  /** long_ad +0x08: partition reference; a short_ad's is its ICB's. */
  readonly partitionRef: number | undefined;
}

export function parseShortAd(bytes: Uint8Array, offset: number): AllocationDescriptor {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, SHORT_AD_SIZE);
  const raw = view.readUInt32LE(0);
  return { lengthBytes: raw & LENGTH_MASK, type: raw >>> 30, block: view.readUInt32LE(4), partitionRef: undefined };
}

export function parseLongAd(bytes: Uint8Array, offset: number): AllocationDescriptor {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, LONG_AD_SIZE);
  const raw = view.readUInt32LE(0);
  return { lengthBytes: raw & LENGTH_MASK, type: raw >>> 30, block: view.readUInt32LE(4), partitionRef: view.readUInt16LE(8) };
}
