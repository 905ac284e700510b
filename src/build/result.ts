// The CaptureMedia.Result object (README "PowerShell"): one per medium written, PascalCase for PowerShell.

import type { CaptureMediaError } from '../errors.js';
import type { BuildContext } from './context.js';
import type { MediaTree } from '../layout/media-tree.js';
import type { MediaPlan } from '../plan/media-plan.js';
import type { OpenedBootImage } from '../source/boot-image-source.js';
import { PRODUCT_NAME_AND_VERSION } from '../version.js';

export const CREATED_BY = PRODUCT_NAME_AND_VERSION;

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
  /** SMS\bin\<arch>\TSMBAutorun.exe is on the media: it can start a capture from Windows. */
  CaptureLauncher: boolean;
  /** Where the SMS\ files came from: Template, ClientSource or BootImage. */
  ClientFiles: string;
  /** '2011' or '2023': which boot manager the media was built with. */
  BootManager: string;
  /** Issuers whose signatures on the written UEFI loader match it (empty: unsigned or no UEFI loader). */
  BootManagerSigners: readonly string[];
  /** Why that loader would not, or soon may not, start under Secure Boot; null when none. */
  BootManagerWarning: string | null;
}

/**
 * What a pipeline hands back: a result per medium written and, for several drives, why each failed
 * drive failed (by path). The job reports the results and raises one error for the failures.
 */
export interface BuildOutcome {
  readonly results: CreateResult[];
  readonly failures: ReadonlyMap<string, CaptureMediaError>;
  readonly targetCount: number;
}

/** The outcome of a pipeline that either writes everything or throws. */
export function succeeded(results: CreateResult[]): BuildOutcome {
  return { results, failures: new Map(), targetCount: results.length };
}

/** The fields every medium's result shares, from the job; the caller adds what it measured. */
export function mediaResult(
  job: { plan: MediaPlan; boot: OpenedBootImage; tree: MediaTree; started: number; context: BuildContext },
  medium: { mediaType: CreateResult['MediaType']; path: string[]; volumeLabel: string; bootModes?: string[]; files: number; bytes: number; verified: boolean; discs?: number },
): CreateResult {
  return {
    MediaType: medium.mediaType,
    Path: medium.path,
    Label: job.plan.label.text,
    VolumeLabel: medium.volumeLabel,
    BootImage: job.boot.name,
    BootImageName: job.boot.info.name,
    Architecture: job.boot.architecture,
    BootModes: medium.bootModes ?? [...job.tree.bootModes],
    ...(medium.discs === undefined ? {} : { Discs: medium.discs }),
    Files: medium.files,
    Bytes: medium.bytes,
    Verified: medium.verified,
    Duration: Math.round((Date.now() - job.started) / 10) / 100,
    LogPath: job.context.logPath ?? null,
    CaptureLauncher: job.tree.captureLauncher,
    ClientFiles: job.tree.clientFilesOrigin,
    BootManager: job.tree.bootManager,
    BootManagerSigners: job.tree.uefiLoader?.summary()?.signers ?? [],
    BootManagerWarning: job.tree.uefiLoader?.summary()?.warning ?? null,
  };
}
