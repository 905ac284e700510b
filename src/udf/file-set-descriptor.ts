// ECMA-167 4/14.1 File Set Descriptor: the root directory's ICB.

import { parseLongAd, type AllocationDescriptor } from './allocation-descriptor.js';
import { decodeDstring } from './dstring.js';

export interface FileSetDescriptor {
  /** +0x130 dstring(32) */ readonly fileSetIdentifier: string;
  /** +0x190 long_ad */ readonly rootIcb: AllocationDescriptor;
}

export function parseFileSetDescriptor(block: Uint8Array, where: number): FileSetDescriptor {
  return { fileSetIdentifier: decodeDstring(block, 0x130, 32, where + 0x130), rootIcb: parseLongAd(block, 0x190) };
}
