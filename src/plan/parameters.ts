// The parameters of `create`, as the CLI and the bridge hand them over (already typed, not yet
// validated). The bridge request's `params` are these, all optional (src/bridge/schema.ts).

export type MediaType = 'CdDvd' | 'Usb' | 'UsbImage';
export const MEDIA_TYPES: readonly MediaType[] = ['CdDvd', 'Usb', 'UsbImage'];

export interface CreateParameters {
  mediaType: string;
  path: string[];
  bootImage: string;
  distributionPoint?: string[];
  targetArchitecture?: string;
  mediaSize?: string;
  mediaLabel?: string;
  temporaryFolder?: string;
  includeAutoRun?: boolean;
  /** usb: erase the disk and format it FAT32 (New-CMCaptureMedia's -FormatMedia); otherwise copy onto its volume. */
  formatMedia?: boolean;
  /** Kept for scripts written before -FormatMedia: the default (copy onto the existing volume). */
  noFormat?: boolean;
  noVerify?: boolean;
  force?: boolean;
  logPath?: string;
  imageSize?: string;
  yes?: boolean;
  allowFixedDisk?: boolean;
  whatIf?: boolean;
  /** The site's OSD\bin folder: SMS\bin\<arch> comes from it (src/source/client-source.ts). */
  clientSource?: string;
  /** Console-made capture media whose SMS\ tree is copied (src/source/template.ts). */
  template?: string;
  /** Refuse media without the capture launcher instead of warning (CaptureLauncherMissing). */
  requireCaptureLauncher?: boolean;
  /** Devices the boot image must have a driver for: `[Class:]id[,id…]` each (src/drivers/hardware-id.ts). */
  requireHardwareId?: string[];
  /** boot-images: list each image's driver packages instead of the images. */
  drivers?: boolean;
  /** boot-images --drivers: setup classes to list (default Net, SCSIAdapter, HDC; `*` for all). */
  driverClass?: string[];
  /** '2011' (default) or '2023': which signed boot manager the media carries. */
  bootManager?: string;
}

export function parseMediaType(text: string): MediaType | undefined {
  const t = text.trim().toLowerCase();
  return MEDIA_TYPES.find((m) => m.toLowerCase() === t);
}
