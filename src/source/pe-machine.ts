// The machine type of a PE/COFF program (Microsoft PE Format: the MS-DOS stub's e_lfanew at +0x3C
// points to the "PE\0\0" signature, followed by the COFF file header whose first field, +0x00
// after the signature, is Machine). Used to check a boot image's architecture claim (its XML) against
// the boot manager it really carries.

import type { Architecture } from '../plan/architecture.js';

const E_LFANEW_OFFSET = 0x3c;
const PE_SIGNATURE = 0x00004550; // "PE\0\0" little-endian
const MACHINE: Readonly<Record<number, Architecture>> = {
  0x014c: 'x86', // IMAGE_FILE_MACHINE_I386
  0x8664: 'x64', // IMAGE_FILE_MACHINE_AMD64
  0xaa64: 'arm64', // IMAGE_FILE_MACHINE_ARM64
};
/** Enough of the file for any real e_lfanew (a few hundred bytes in Windows' boot programs). */
export const PE_HEAD_BYTES = 4096;

/** The architecture a PE program is built for; undefined when `head` is not PE or another machine. */
export function peMachine(head: Uint8Array): Architecture | undefined {
  if (head.length < 0x40 || head[0] !== 0x4d || head[1] !== 0x5a) return undefined; // "MZ"
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const peOffset = view.getUint32(E_LFANEW_OFFSET, true);
  if (peOffset + 6 > head.length || view.getUint32(peOffset, true) !== PE_SIGNATURE) return undefined;
  return MACHINE[view.getUint16(peOffset + 4, true)];
}
