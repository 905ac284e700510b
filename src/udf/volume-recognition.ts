// ECMA-167 2/9 Volume Recognition Sequence: from sector 16 on, 2048-byte structures with a
// 5-byte standard identifier at +0x01 — ISO 9660's "CD001" descriptors first on a bridge disc,
// then "BEA01", "NSR02" (UDF 1.02) or "NSR03" (UDF 2.x), "TEA01". A disc has a UDF file system
// when an NSR descriptor sits between BEA01 and TEA01. Windows media made with oscdimg -u1/-u2
// and genisoimage -udf all carry one.

export const VRS_FIRST_SECTOR = 16;
/** Sectors scanned before we stop looking (ISO 9660 descriptors come first; 64 is ample). */
export const VRS_MAX_SECTORS = 64;

export type VrsIdentifier = 'CD001' | 'BEA01' | 'NSR02' | 'NSR03' | 'TEA01' | 'BOOT2' | 'CDW02';
const KNOWN: readonly string[] = ['CD001', 'BEA01', 'NSR02', 'NSR03', 'TEA01', 'BOOT2', 'CDW02'];

/** +0x01 standard identifier of one VRS sector, or undefined when it is not a VRS structure. */
export function parseVrsIdentifier(sector: Uint8Array): VrsIdentifier | undefined {
  const id = Buffer.from(sector.buffer, sector.byteOffset + 1, 5).toString('latin1');
  return KNOWN.includes(id) ? (id as VrsIdentifier) : undefined;
}

/** True when the identifiers read in order (stopping at the first unknown one) announce UDF. */
export function announcesUdf(identifiers: readonly VrsIdentifier[]): boolean {
  let extended = false;
  for (const id of identifiers) {
    if (id === 'BEA01') extended = true;
    else if (id === 'TEA01') extended = false;
    else if (extended && (id === 'NSR02' || id === 'NSR03')) return true;
  }
  return false;
}
