// MediaPlan + boot image -> the media's file tree (README "What is on the media"). Boot files are
// taken out of the boot image itself, as ConfigMgr does, so the media always matches the WinPE it
// boots.

import { CaptureMediaError } from '../errors.js';
import { bufferSource, type ContentSource } from '../io/content.js';
import type { FileTree, TreeFile } from '../io/file-tree.js';
import type { Architecture } from '../plan/architecture.js';
import type { WimEntry, WimImage } from '../wim/index.js';
import {
  AUTORUN_MEDIA_PATH,
  autorunInf,
  BOOT_STL,
  BOOT_WIM_MEDIA_PATH,
  bootFileRules,
  CAPTURE_LAUNCHER,
  CLIENT_SOURCE_EXAMPLE,
  hasCaptureLauncher,
  launcherFolder,
  FONTS_MEDIA_DIRS,
  FONTS_WIM_DIR,
  MEDIA_LABEL_MEDIA_PATH,
  mediaLabelTxt,
  SMS_BIN_FOLDERS,
  SMS_BIN_MEDIA_DIR,
  UEFI_LOADER_NAME,
  SMS_BIN_WIM_DIR,
  TSM_BOOTSTRAP_MEDIA_PATH,
  tsmBootstrapIni,
  type BootRole,
} from './configmgr-names.js';
import { BOOT_MANAGER_2023_SOURCE, exReplacements, FONT_EX_SUFFIX, FONTS_EX_WIM_DIR, type BootManagerChoice } from './boot-manager-2023.js';
import { tapLoader, type TappedLoader } from './loader-signers.js';

export type BootMode = 'BIOS' | 'UEFI';

/** Where the media's SMS\ files come from. */
export type ClientFilesOrigin = 'Template' | 'ClientSource' | 'BootImage';

/**
 * ConfigMgr files that replace the boot image's sms\bin (docs/capture-workflow.md): a console-made template's
 * whole SMS\ tree (and its autorun.inf), or the site's OSD\bin\<arch> as SMS\bin\<arch>.
 * Paths are media paths.
 */
export interface ClientFiles {
  readonly origin: Exclude<ClientFilesOrigin, 'BootImage'>;
  /** The template or client source folder, for messages. */
  readonly where: string;
  readonly files: readonly TreeFile[];
  /** A template's autorun.inf, used instead of ours when autorun is asked for. */
  readonly autorun?: TreeFile;
}

export interface MediaTreeOptions {
  readonly image: WimImage;
  readonly architecture: Architecture;
  readonly bootWim: ContentSource;
  /** How the boot image was named by the user: a package id or a file name. */
  readonly bootImageName: string;
  readonly label: string;
  readonly includeAutoRun: boolean;
  /** CD media boot through El Torito (etfsboot.com, efisys.bin); USB media boot from files. */
  readonly medium: 'cd' | 'usb';
  readonly recordedAt: Date;
  readonly createdBy: string;
  /** -Template / -ClientSource content; without it, the boot image's own sms\bin. */
  readonly clientFiles?: ClientFiles;
  /** Refuse media without the capture launcher (CaptureLauncherMissing) instead of warning. */
  readonly requireCaptureLauncher?: boolean;
  /** '2023': the Windows UEFI CA 2023-signed _EX boot files (boot-manager-2023.ts); default '2011'. */
  readonly bootManager?: BootManagerChoice;
}

export interface MediaTree extends FileTree {
  readonly files: readonly TreeFile[];
  readonly bootModes: readonly BootMode[];
  readonly warnings: readonly string[];
  /** Media paths of the files that must be on disc 1 of a set (everything needed to boot). */
  readonly bootSet: ReadonlySet<string>;
  readonly biosBootFile: readonly string[] | undefined;
  readonly uefiBootFile: readonly string[] | undefined;
  /** SMS\bin\<folder>\TSMBAutorun.exe is on the media: it can start a capture from Windows. */
  readonly captureLauncher: boolean;
  readonly clientFilesOrigin: ClientFilesOrigin;
  readonly bootManager: BootManagerChoice;
  /** The UEFI loader (\efi\boot\boot*.efi), whose signers are known once it has been written. */
  readonly uefiLoader: TappedLoader | undefined;
}

const ROLE_LOSS: Readonly<Record<BootRole, string>> = {
  'bios-cd': 'the media will not boot on BIOS (legacy) firmware',
  bios: 'the media will not boot on BIOS (legacy) firmware',
  uefi: 'the media will not boot on UEFI firmware',
  'uefi-cd': 'the disc will not boot on UEFI firmware',
  ramdisk: 'WinPE cannot start its RAM disk on either firmware',
};

export const mediaKey = (path: readonly string[]): string => path.join('\\').toLowerCase();

function wimFile(image: WimImage, entry: WimEntry, media: readonly string[]): TreeFile {
  return { path: media, content: image.contentSource(entry), modified: entry.modified };
}

export function buildMediaTree(options: MediaTreeOptions): MediaTree {
  const { image, architecture } = options;
  const files: TreeFile[] = [];
  const warnings: string[] = [];
  const missingRoles = new Set<BootRole>();
  const bootSet = new Set<string>();
  const relevant = (roles: readonly BootRole[]) =>
    roles.some((r) => (options.medium === 'cd' ? r !== 'bios' : r !== 'bios-cd' && r !== 'uefi-cd'));

  const bootManager = options.bootManager ?? '2011';
  const wimPathFor = bootManager === '2023' ? exWimPaths(image, options.medium, options.bootImageName) : new Map<string, string>();
  const loaderName = UEFI_LOADER_NAME[architecture];
  let uefiLoader: TappedLoader | undefined;

  for (const rule of bootFileRules(architecture)) {
    if (!relevant(rule.roles)) continue;
    const wimPath = wimPathFor.get(rule.wim) ?? rule.wim;
    const entry = image.lookup(wimPath);
    if (!entry || entry.isDirectory) {
      for (const r of rule.roles) missingRoles.add(r);
      warnings.push(`The boot image has no ${wimPath}: ${rule.roles.map((r) => ROLE_LOSS[r]).filter((v, i, a) => a.indexOf(v) === i).join('; ')}.`);
      continue;
    }
    const file = wimFile(image, entry, rule.media);
    if (rule.media[rule.media.length - 1] === loaderName) {
      uefiLoader = tapLoader(file.content, `\\${rule.media.join('\\')}`);
      files.push({ ...file, content: uefiLoader.content });
    } else {
      files.push(file);
    }
    bootSet.add(mediaKey(rule.media));
  }

  const fonts = image.lookup(FONTS_WIM_DIR);
  const fontsEx = bootManager === '2023' ? image.lookup(FONTS_EX_WIM_DIR) : undefined;
  if (bootManager === '2023' && !fontsEx?.isDirectory) {
    warnings.push(`The boot image has no ${FONTS_EX_WIM_DIR}: the 2023 boot manager's menus will use the 2011 fonts.`);
  }
  if (fonts?.isDirectory) {
    for (const font of image.list(FONTS_WIM_DIR).filter((e) => !e.isDirectory)) {
      for (const dir of FONTS_MEDIA_DIRS) {
        // With the 2023 boot manager, its own font folder takes the FONTS_EX files instead.
        if (fontsEx?.isDirectory && dir[0] === 'efi') continue;
        const media = [...dir, font.name];
        files.push(wimFile(image, font, media));
        bootSet.add(mediaKey(media));
      }
    }
  } else {
    warnings.push(`The boot image has no ${FONTS_WIM_DIR}: boot menus will use the firmware's font.`);
  }
  if (fontsEx?.isDirectory) {
    const efiFonts = FONTS_MEDIA_DIRS.find((d) => d[0] === 'efi') ?? [];
    for (const font of image.list(FONTS_EX_WIM_DIR).filter((e) => !e.isDirectory)) {
      // segmono_boot_EX.ttf -> segmono_boot.ttf, the name the boot manager loads (Make2023BootableMedia.ps1)
      const media = [...efiFonts, font.name.replace(FONT_EX_SUFFIX, '$1')];
      files.push(wimFile(image, font, media));
      bootSet.add(mediaKey(media));
    }
  }

  const stl = image.lookup(BOOT_STL.wim);
  if (stl && !stl.isDirectory) {
    files.push(wimFile(image, stl, BOOT_STL.media));
    bootSet.add(mediaKey(BOOT_STL.media));
  }

  const client = options.clientFiles;
  if (client) {
    files.push(...client.files);
  } else {
    const folders = SMS_BIN_FOLDERS[architecture].filter((folder) => image.lookup(SMS_BIN_WIM_DIR(folder))?.isDirectory);
    for (const folder of folders) {
      const dir = SMS_BIN_WIM_DIR(folder);
      const prefix = image.lookup(dir)!.path.split('\\').length;
      for (const entry of image.walk(dir)) {
        if (entry.isDirectory) continue;
        files.push(wimFile(image, entry, [...SMS_BIN_MEDIA_DIR(folder), ...entry.path.split('\\').slice(prefix)]));
      }
    }
    if (folders.length === 0) {
      warnings.push(`The boot image has no ${SMS_BIN_FOLDERS[architecture].map(SMS_BIN_WIM_DIR).join(' or ')}: it is not a ConfigMgr boot image, so WinPE cannot run the capture.`);
    }
  }

  files.push({ path: BOOT_WIM_MEDIA_PATH, content: options.bootWim, modified: options.recordedAt, emitFirst: true });
  bootSet.add(mediaKey(BOOT_WIM_MEDIA_PATH));

  const generated = (path: readonly string[], text: string): TreeFile => ({
    path,
    content: bufferSource(Buffer.from(text, 'utf8')),
    modified: options.recordedAt,
  });
  // A template's TsmBootstrap.ini is among its files, verbatim; only without one is it generated.
  if (!files.some((f) => mediaKey(f.path) === mediaKey(TSM_BOOTSTRAP_MEDIA_PATH))) {
    if (client?.origin === 'Template') warnings.push(`The template ${client.where} has no ${TSM_BOOTSTRAP_MEDIA_PATH.join('\\')}; a minimal one is generated.`);
    files.push(generated(TSM_BOOTSTRAP_MEDIA_PATH, tsmBootstrapIni()));
  }
  bootSet.add(mediaKey(TSM_BOOTSTRAP_MEDIA_PATH));
  files.push(generated(MEDIA_LABEL_MEDIA_PATH, mediaLabelTxt(options.label)));
  if (options.includeAutoRun) files.push(client?.autorun ? { ...client.autorun, path: AUTORUN_MEDIA_PATH } : generated(AUTORUN_MEDIA_PATH, autorunInf(options.label, architecture)));

  const captureLauncher = hasCaptureLauncher(files.map((f) => f.path));
  if (!captureLauncher) {
    const launcher = [...SMS_BIN_MEDIA_DIR(launcherFolder(architecture)), CAPTURE_LAUNCHER].join('\\');
    const message =
      `The media has no ${launcher}, the capture launcher${client ? ` (the ${client.origin === 'Template' ? 'template' : 'client source'} ${client.where} lacks it)` : ''}: ` +
      `it boots WinPE, but nothing on it starts a capture from the reference computer's Windows. ` +
      `Pass -ClientSource ${CLIENT_SOURCE_EXAMPLE} (CLI --client-source) or -Template <capture media made by the ConfigMgr console> (--template).`;
    if (options.requireCaptureLauncher) throw new CaptureMediaError('CaptureLauncherMissing', message, { target: client?.where ?? options.bootImageName });
    warnings.push(message);
  }

  const bootModes: BootMode[] = [];
  const has = (r: BootRole) => !missingRoles.has(r) && !missingRoles.has('ramdisk');
  if (options.medium === 'cd') {
    if (has('bios-cd') && architecture !== 'arm64') bootModes.push('BIOS');
    if (has('uefi') && has('uefi-cd')) bootModes.push('UEFI');
  } else {
    // Our FAT32 writer puts no BIOS loader in the volume boot record: USB media boot UEFI only.
    if (has('uefi')) bootModes.push('UEFI');
  }
  if (bootModes.length === 0) {
    throw new CaptureMediaError(
      'BootFilesMissing',
      `The boot image ${options.bootImageName} lacks the files needed to boot on either BIOS or UEFI firmware: ${warnings.join(' ')}`,
      { target: options.bootImageName },
    );
  }
  const find = (path: readonly string[]) => (bootSet.has(mediaKey(path)) ? path : undefined);
  return {
    files,
    bootModes,
    warnings,
    bootSet,
    biosBootFile: bootModes.includes('BIOS') ? find(['boot', 'etfsboot.com']) : undefined,
    uefiBootFile: bootModes.includes('UEFI') && options.medium === 'cd' ? find(['efi', 'microsoft', 'boot', 'efisys.bin']) : undefined,
    captureLauncher,
    clientFilesOrigin: client?.origin ?? 'BootImage',
    bootManager,
    uefiLoader,
  };
}

/**
 * 2011 WIM path -> _EX WIM path for -BootManager 2023. Every required _EX file missing is named in
 * one BootFilesMissing error, raised while planning, before anything is written.
 */
function exWimPaths(image: WimImage, medium: 'cd' | 'usb', bootImageName: string): Map<string, string> {
  const map = new Map<string, string>();
  const missing: string[] = [];
  for (const r of exReplacements(medium)) {
    const entry = image.lookup(r.wim);
    if (entry && !entry.isDirectory) map.set(r.replaces, r.wim);
    else if (r.required) missing.push(r.wim);
  }
  if (missing.length > 0) {
    throw new CaptureMediaError(
      'BootFilesMissing',
      `-BootManager 2023 needs the boot files signed by Windows UEFI CA 2023, and the boot image ${bootImageName} lacks ${missing.join(', ')}. They come with ${BOOT_MANAGER_2023_SOURCE}. Or build with -BootManager 2011 (the default).`,
      { target: bootImageName },
    );
  }
  return map;
}
