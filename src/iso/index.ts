// Public surface of the ISO 9660 + Joliet + El Torito writer and its verifying reader.
// plan (pure) -> validate -> emit (one pass over the layout, a side lane beside the boot image); readIso for read-back verification.

export { planIso, validateLayout, BOOT_INFO_TABLE_MAX_BYTES, DEFAULT_BIOS_LOAD_SECTORS } from './plan.js';
export type {
  IsoOptions,
  IsoBootBiosOptions,
  IsoBootUefiOptions,
  IsoLayout,
  IsoRegion,
  IsoFile,
  IsoDirectory,
  IsoBootImage,
  IsoTreeKind,
} from './plan.js';
export { emitIso } from './emit.js';
export type { EmitIsoOptions } from './emit.js';
export { readIso } from './reader.js';
export type { IsoImage, IsoImageFile, IsoImageBootEntry, IsoExtent, ReadIsoOptions } from './reader.js';
export { PLATFORM_BIOS, PLATFORM_EFI, readBootInfoTable, type BootInfoTable, type BootEntry, type BootCatalog } from './el-torito.js';
export { SECTOR_BYTES } from './fields.js';
