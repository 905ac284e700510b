// ECMA-167 4/14.4 File Identifier Descriptor: one name in a directory's data, with the long_ad of
// its file entry. Descriptors are packed back to back, each padded to a multiple of 4 bytes.

import { InvalidFormatError } from '../errors.js';
import { parseLongAd, type AllocationDescriptor } from './allocation-descriptor.js';
import { decodeCs0 } from './dstring.js';

export const FID_FIXED_SIZE = 38;

/** 4/14.4.3 file characteristics. */
export const FID_HIDDEN = 0x01;
export const FID_DIRECTORY = 0x02;
export const FID_DELETED = 0x04;
export const FID_PARENT = 0x08;

export interface FileIdentifierDescriptor {
  /** +0x12 */ readonly characteristics: number;
  /** +0x14 long_ad */ readonly icb: AllocationDescriptor;
  /** +0x26 + L_IU, L_FI bytes (+0x13) of d-characters; '' for the parent entry. */
  readonly name: string;
  /** Bytes this descriptor takes, padding included. */
  readonly size: number;
}

export function parseFileIdentifier(bytes: Uint8Array, offset: number, where: number): FileIdentifierDescriptor {
  if (offset + FID_FIXED_SIZE > bytes.length) throw new InvalidFormatError('MediaInvalid', 'UDF file identifier', where, 'cut short');
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, FID_FIXED_SIZE);
  const nameLength = view[0x13]!;
  const implementationUseLength = view.readUInt16LE(0x24);
  const end = FID_FIXED_SIZE + implementationUseLength + nameLength;
  const size = (end + 3) & ~3;
  if (offset + end > bytes.length) throw new InvalidFormatError('MediaInvalid', 'UDF file identifier', where, `a ${end}-byte descriptor runs past its directory`);
  return {
    characteristics: view[0x12]!,
    icb: parseLongAd(bytes, offset + 0x14),
    name: decodeCs0(bytes, offset + FID_FIXED_SIZE + implementationUseLength, nameLength, where + FID_FIXED_SIZE + implementationUseLength),
    size,
  };
}
