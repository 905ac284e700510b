// The FAT32 writer and reader's public surface: plan (pure), emit (one sequential pass), read back.
export { planFat32, validateFat32Layout, FAT32_MAX_FILE_BYTES, DEFAULT_PARTITION_OFFSET_BYTES } from './plan.js';
export type { Fat32Options, Fat32Layout, PlannedDirectory, PlannedFile } from './plan.js';
export { emitFat32Disk, writeFat32Disk } from './emit.js';
export type { EmitFat32Options } from './emit.js';
export { readFat32 } from './reader.js';
export type { Fat32Volume, Fat32FileInfo, Fat32DirectoryInfo, ReadFat32Options } from './reader.js';
export { defaultClusterSizeBytes, fat32Geometry } from './geometry.js';
export type { Fat32Geometry } from './geometry.js';
export { firstNonLabelChar, normalizeFatLabel, VOLUME_LABEL_MAX_CHARS } from './volume-label.js';
