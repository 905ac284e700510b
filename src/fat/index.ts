// The FAT32 volume writer and reader's public surface: plan (pure), emit (one sequential pass), read
// back. A volume only; partition/fat32-disk.ts puts it on a disk behind an MBR.
export { planFat32Volume, validateFat32Volume, FAT32_MAX_FILE_BYTES } from './plan.js';
export type { Fat32VolumeOptions, Fat32VolumeLayout, PlannedDirectory, PlannedFile } from './plan.js';
export { emitFat32Volume } from './emit.js';
export type { EmitFat32VolumeOptions } from './emit.js';
export { readFat32 } from './reader.js';
export type { Fat32Volume, Fat32FileInfo, Fat32DirectoryInfo, ReadFat32Options } from './reader.js';
export { defaultClusterSizeBytes, fat32Geometry } from './geometry.js';
export type { Fat32Geometry } from './geometry.js';
export { firstNonLabelChar, normalizeFatLabel, VOLUME_LABEL_MAX_CHARS } from './volume-label.js';
