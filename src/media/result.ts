// The CaptureMedia.Result object (DESIGN.md §3): one per medium written, PascalCase for PowerShell.

export const CREATED_BY = 'capture-media 0.1.0';

export interface CreateResult {
  readonly [key: string]: unknown;
  MediaType: 'CdDvd' | 'Usb' | 'UsbImage';
  Path: string[];
  Label: string;
  VolumeLabel: string;
  BootImage: string;
  BootImageName: string;
  Architecture: string;
  BootModes: string[];
  Discs?: number;
  Files: number;
  Bytes: number;
  Verified: boolean;
  /** Seconds. */
  Duration: number;
  LogPath: string | null;
}
