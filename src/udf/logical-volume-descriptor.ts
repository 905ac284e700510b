// ECMA-167 3/10.6 Logical Volume Descriptor: the logical block size, the File Set Descriptor's
// address (a long_ad in Logical Volume Contents Use, UDF 1.02 §2.2.4.4), and the partition maps
// (3/10.7) that turn a long_ad's partition reference into a partition number. UDF 1.02 read-only
// media use type 1 maps only; type 2 maps (virtual, sparable, and UDF 2.50 metadata partitions)
// are refused by the reader rather than misread.

import { InvalidFormatError } from '../errors.js';
import { decodeDstring } from './dstring.js';
import { parseLongAd, type AllocationDescriptor } from './allocation-descriptor.js';

export const PARTITION_MAP_TYPE_1 = 1;

export interface PartitionMap {
  /** +0x00 */ readonly type: number;
  /** type 1 +0x04 */ readonly partitionNumber: number;
}

export interface LogicalVolumeDescriptor {
  /** +0x54 dstring(128) */ readonly identifier: string;
  /** +0xD4 */ readonly logicalBlockSize: number;
  /** +0xF8 long_ad */ readonly fileSetLocation: AllocationDescriptor;
  /** +0x108 map table length, +0x10C count, maps from +0x1B8 */ readonly partitionMaps: readonly PartitionMap[];
}

const MAPS_OFFSET = 0x1b8;

export function parseLogicalVolumeDescriptor(sector: Uint8Array, where: number): LogicalVolumeDescriptor {
  const view = Buffer.from(sector.buffer, sector.byteOffset, sector.length);
  const tableBytes = view.readUInt32LE(0x108);
  const count = view.readUInt32LE(0x10c);
  if (MAPS_OFFSET + tableBytes > sector.length || count > 64) {
    throw new InvalidFormatError('MediaInvalid', 'UDF logical volume descriptor', where + 0x108, `${count} partition maps in ${tableBytes} bytes do not fit the sector`);
  }
  const maps: PartitionMap[] = [];
  let at = MAPS_OFFSET;
  for (let i = 0; i < count; i++) {
    const type = view[at]!;
    const length = view[at + 1]!;
    if (length < 2 || at + length > MAPS_OFFSET + tableBytes) {
      throw new InvalidFormatError('MediaInvalid', 'UDF partition map', where + at, `map ${i} of length ${length} runs past the map table`);
    }
    maps.push({ type, partitionNumber: type === PARTITION_MAP_TYPE_1 && length >= 6 ? view.readUInt16LE(at + 4) : -1 });
    at += length;
  }
  return {
    identifier: decodeDstring(sector, 0x54, 128, where + 0x54),
    logicalBlockSize: view.readUInt32LE(0xd4),
    fileSetLocation: parseLongAd(sector, 0xf8),
    partitionMaps: maps,
  };
}
