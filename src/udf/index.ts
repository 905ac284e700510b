// UDF 1.02 read-only reader (see reader.ts).
export { hasUdf, readUdf, UDF_SECTOR_BYTES } from './reader.js';
export type { ReadUdfOptions, UdfExtent, UdfFile, UdfVolume } from './reader.js';
