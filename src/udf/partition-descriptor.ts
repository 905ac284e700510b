// ECMA-167 3/10.5 Partition Descriptor: where a partition's logical block 0 starts on the disc.

export interface PartitionDescriptor {
  /** +0x16 */ readonly partitionNumber: number;
  /** +0xB8 1 read-only, 2 write-once, 3 rewritable, 4 overwritable */ readonly accessType: number;
  /** +0xBC sector of logical block 0 */ readonly startSector: number;
  /** +0xC0 in sectors */ readonly lengthSectors: number;
}

export function parsePartitionDescriptor(sector: Uint8Array): PartitionDescriptor {
  const view = Buffer.from(sector.buffer, sector.byteOffset, 0xc4);
  return {
    partitionNumber: view.readUInt16LE(0x16),
    accessType: view.readUInt32LE(0xb8),
    startSector: view.readUInt32LE(0xbc),
    lengthSectors: view.readUInt32LE(0xc0),
  };
}
