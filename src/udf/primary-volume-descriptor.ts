// ECMA-167 3/10.1 Primary Volume Descriptor: only the volume identifier (the label Windows shows
// for a UDF disc) is read here.

import { decodeDstring } from './dstring.js';

export interface UdfPrimaryVolumeDescriptor {
  /** +0x18 dstring(32) */ readonly volumeIdentifier: string;
}

export function parseUdfPrimaryVolumeDescriptor(sector: Uint8Array, where: number): UdfPrimaryVolumeDescriptor {
  return { volumeIdentifier: decodeDstring(sector, 0x18, 32, where + 0x18) };
}
