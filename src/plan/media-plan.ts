// Parameters -> a validated MediaPlan: every check that needs no content (README "PowerShell" and "CLI").
// Order matters for the user: argument-shape problems (exit 2) before environment problems
// (exit 3), so a typo is reported as a typo even on a machine where other things are wrong too.

import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { CaptureMediaError, errnoCode, type ErrorId } from '../errors.js';
import { parseArchitecture, type Architecture } from './architecture.js';
import { resolveBootImageRef, type BootImageRef } from './boot-image-ref.js';
import { validateMediaLabel, type MediaLabel } from './label.js';
import { parseMediaType, type CreateParameters, type MediaType } from './parameters.js';
import { checkOutputFile, checkWritableFolder, discSetPath, isInside, ISO_OUTPUT, IMAGE_OUTPUT, refuseExisting } from './paths.js';
import { parseByteSize, parseMediaSize } from './size.js';
import { parseBootManager, type BootManagerChoice } from './boot-manager.js';

/** MBR partition entries count 512-byte sectors in 32 bits: a bigger image could not be partitioned. */
const MBR_MAX_BYTES = 2 ** 32 * 512;

export interface MediaPlan {
  readonly mediaType: MediaType;
  /** Absolute output file (CdDvd: the base name of a set; UsbImage) or the disk/volume paths (Usb). */
  readonly targets: readonly string[];
  readonly bootImage: BootImageRef;
  readonly targetArchitecture: Architecture | undefined;
  /** Per-disc capacity in bytes; null = one ISO, no limit. CdDvd only. */
  readonly mediaSizeBytes: number | null;
  /** Whole image size for UsbImage; null = content + 10 %, rounded up to 64 MiB. */
  readonly imageSizeBytes: number | null;
  readonly label: MediaLabel;
  readonly temporaryFolder: string;
  readonly includeAutoRun: boolean;
  readonly format: boolean;
  readonly verify: boolean;
  readonly force: boolean;
  readonly confirmed: boolean;
  readonly allowFixedDisk: boolean;
  readonly whatIf: boolean;
  readonly logPath: string | undefined;
  /** Absolute -ClientSource folder, checked to exist. */
  readonly clientSource: string | undefined;
  /** Absolute -Template path, checked to exist. */
  readonly template: string | undefined;
  readonly requireCaptureLauncher: boolean;
  readonly bootManager: BootManagerChoice;
}

function conflict(message: string, target?: string): CaptureMediaError {
  return new CaptureMediaError('ParameterConflict', message, target === undefined ? {} : { target });
}

export async function createMediaPlan(params: CreateParameters): Promise<MediaPlan> {
  const mediaType = parseMediaType(params.mediaType);
  if (mediaType === undefined) {
    throw new CaptureMediaError('InvalidParameter', `The media type "${params.mediaType}" is not one of CdDvd, Usb, UsbImage.`, { target: params.mediaType });
  }
  const paths = params.path.filter((p) => p.trim().length > 0);
  if (paths.length === 0) throw new CaptureMediaError('InvalidParameter', 'No -Path was given: name the ISO file, image file or USB disk to write.');
  if (mediaType !== 'Usb' && paths.length > 1) {
    throw conflict(`-MediaType ${mediaType} writes one file; ${paths.length} paths were given. Only -MediaType Usb takes several paths (several drives).`);
  }
  if (params.noFormat && mediaType !== 'Usb') throw conflict(`-NoFormat applies to -MediaType Usb only (it copies onto an already formatted drive).`);
  if (params.formatMedia && mediaType !== 'Usb') throw conflict(`-FormatMedia applies to -MediaType Usb only (it erases and formats the drive).`);
  if (params.formatMedia && params.noFormat) throw conflict(`-FormatMedia erases the drive and -NoFormat keeps its volume; give one of them.`);
  if (params.mediaSize !== undefined && mediaType !== 'CdDvd') throw conflict(`-MediaSize applies to -MediaType CdDvd only.`, params.mediaSize);
  if (params.imageSize !== undefined && mediaType !== 'UsbImage') throw conflict(`-ImageSize applies to -MediaType UsbImage only.`, params.imageSize);
  if (params.allowFixedDisk && mediaType !== 'Usb') throw conflict(`-AllowFixedDisk applies to -MediaType Usb only.`);

  if (params.clientSource !== undefined && params.template !== undefined) {
    throw conflict(`-ClientSource and -Template both supply the SMS\\ files; give one: -Template for a console-made medium's whole SMS\\ tree, -ClientSource for the site's OSD\\bin.`);
  }

  const label = validateMediaLabel(params.mediaLabel, { fat: mediaType !== 'CdDvd' });
  const mediaSizeBytes = mediaType === 'CdDvd' ? parseMediaSize(params.mediaSize) : null;
  const imageSizeBytes =
    params.imageSize === undefined
      ? null
      : parseByteSize(params.imageSize, 'The image size', 'MediaSizeInvalid', { granule: 1024 * 1024, maxBytes: MBR_MAX_BYTES });
  const targetArchitecture = parseArchitecture(params.targetArchitecture);
  const bootManager = parseBootManager(params.bootManager);
  const distributionPoints = params.distributionPoint ?? [];

  const force = params.force === true;

  let targets: string[];
  if (mediaType === 'CdDvd') {
    const iso = await checkOutputFile(paths[0]!, ISO_OUTPUT);
    targets = [iso];
    // The set's members are only known once sizes are known; the single name is refused here,
    // the numbered names again when the set is planned.
    await refuseExisting(targets, force);
  } else if (mediaType === 'UsbImage') {
    targets = [await checkOutputFile(paths[0]!, IMAGE_OUTPUT)];
    await refuseExisting(targets, force);
  } else {
    targets = paths.map((p) => (/^\d+$/.test(p) || /^[A-Za-z]:\\?$/.test(p) || p.startsWith('\\\\.\\') ? p : resolve(p)));
    // Only erasing needs a confirmation: without -FormatMedia the files go onto the drive's
    // existing volume and nothing else on it is touched (New-CMCaptureMedia's rule).
    if (params.formatMedia && !params.whatIf && !params.yes) {
      throw new CaptureMediaError(
        'ConfirmationRequired',
        `-FormatMedia erases ${targets.join(', ')}. Pass --yes to confirm (New-CaptureMedia asks for confirmation itself), or --what-if to see the plan.`,
        { target: targets.join(', ') },
      );
    }
  }

  // The boot image and the temporary folder are looked at after the output, so that a mistyped
  // output path is reported as such (exit 2) even when the boot image is also wrong.
  const bootImage = await resolveBootImageRef(params.bootImage, distributionPoints);
  const temporaryFolder = await checkWritableFolder(params.temporaryFolder ?? tmpdir(), 'TemporaryFolderInvalid', 'temporary folder');
  const clientSource = params.clientSource === undefined ? undefined : await checkExists(params.clientSource, 'ClientSourceInvalid', 'client source (the site\'s OSD\\bin folder)');
  const template = params.template === undefined ? undefined : await checkExists(params.template, 'TemplateInvalid', 'template (console-made capture media)');

  if (bootImage.kind === 'package') {
    for (const t of targets) {
      for (const dp of bootImage.distributionPoints) {
        if (isInside(t, dp)) {
          throw new CaptureMediaError('OutputPathInvalid', `The output "${t}" lies inside the content library "${dp}"; write the media somewhere else.`, { target: t });
        }
      }
    }
  }

  return {
    mediaType,
    targets,
    bootImage,
    targetArchitecture,
    mediaSizeBytes,
    imageSizeBytes,
    label,
    temporaryFolder,
    includeAutoRun: params.includeAutoRun === true,
    format: params.formatMedia === true,
    verify: params.noVerify !== true,
    force,
    confirmed: params.yes === true,
    allowFixedDisk: params.allowFixedDisk === true,
    whatIf: params.whatIf === true,
    logPath: params.logPath === undefined ? undefined : resolve(params.logPath),
    clientSource,
    template,
    requireCaptureLauncher: params.requireCaptureLauncher === true,
    bootManager,
  };
}

/** An input path that must exist (contents are read later, once the architecture is known). */
async function checkExists(path: string, id: ErrorId, what: string): Promise<string> {
  // A bare drive letter (a mounted template medium, "E:") is the drive's root, not its current folder.
  const absolute = /^[A-Za-z]:\\?$/.test(path) ? `${path[0]!.toUpperCase()}:\\` : resolve(path);
  try {
    // An ISO set's base name (capture.iso for capture1.iso, capture2.iso, …) names the set.
    await stat(absolute).catch(async (error: unknown) => {
      if (absolute.toLowerCase().endsWith('.iso')) await stat(discSetPath(absolute, 1));
      else throw error;
    });
  } catch (error: unknown) {
    const denied = errnoCode(error) === 'EACCES' || errnoCode(error) === 'EPERM';
    throw new CaptureMediaError(denied ? 'PermissionDenied' : id, `The ${what} ${absolute} ${denied ? 'cannot be read: Read access is needed' : 'does not exist'}.`, { target: absolute, cause: error });
  }
  return absolute;
}
