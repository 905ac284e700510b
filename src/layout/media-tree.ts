// MediaPlan + boot image -> the media's file tree (DESIGN.md §4). Boot files are taken out of the
// boot image itself, as ConfigMgr does, so the media always matches the WinPE it boots.

import { CaptureMediaError } from '../errors.js';
import { bufferSource, type ContentSource } from '../io/content.js';
import type { FileTree, TreeFile } from '../io/file-tree.js';
import type { Architecture } from '../plan/architecture.js';
import type { WimEntry, WimImage } from '../wim/index.js';
import {
  AUTORUN_MEDIA_PATH,
  autorunInf,
  BOOT_WIM_MEDIA_PATH,
  bootFileRules,
  FONTS_MEDIA_DIRS,
  FONTS_WIM_DIR,
  MEDIA_LABEL_MEDIA_PATH,
  mediaLabelTxt,
  SMS_BIN_MEDIA_DIR,
  SMS_BIN_WIM_DIR,
  TSM_BOOTSTRAP_MEDIA_PATH,
  tsmBootstrapIni,
  type BootRole,
} from './configmgr-names.js';

export type BootMode = 'BIOS' | 'UEFI';

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
}

export interface MediaTree extends FileTree {
  readonly files: readonly TreeFile[];
  readonly bootModes: readonly BootMode[];
  readonly warnings: readonly string[];
  /** Media paths of the files that must be on disc 1 of a set (everything needed to boot). */
  readonly bootSet: ReadonlySet<string>;
  readonly biosBootFile: readonly string[] | undefined;
  readonly uefiBootFile: readonly string[] | undefined;
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

  for (const rule of bootFileRules(architecture)) {
    if (!relevant(rule.roles)) continue;
    const entry = image.lookup(rule.wim);
    if (!entry || entry.isDirectory) {
      for (const r of rule.roles) missingRoles.add(r);
      warnings.push(`The boot image has no ${rule.wim}: ${rule.roles.map((r) => ROLE_LOSS[r]).filter((v, i, a) => a.indexOf(v) === i).join('; ')}.`);
      continue;
    }
    files.push(wimFile(image, entry, rule.media));
    bootSet.add(mediaKey(rule.media));
  }

  const fonts = image.lookup(FONTS_WIM_DIR);
  if (fonts?.isDirectory) {
    for (const font of image.list(FONTS_WIM_DIR).filter((e) => !e.isDirectory)) {
      for (const dir of FONTS_MEDIA_DIRS) {
        const media = [...dir, font.name];
        files.push(wimFile(image, font, media));
        bootSet.add(mediaKey(media));
      }
    }
  } else {
    warnings.push(`The boot image has no ${FONTS_WIM_DIR}: boot menus will use the firmware's font.`);
  }

  const smsBin = SMS_BIN_WIM_DIR(architecture);
  const smsDir = image.lookup(smsBin);
  if (smsDir?.isDirectory) {
    const prefix = smsDir.path.split('\\').length;
    for (const entry of image.walk(smsBin)) {
      if (entry.isDirectory) continue;
      files.push(wimFile(image, entry, [...SMS_BIN_MEDIA_DIR(architecture), ...entry.path.split('\\').slice(prefix)]));
    }
  } else {
    warnings.push(`The boot image has no ${smsBin}: it is not a ConfigMgr boot image, so the capture wizard is not on the media.`);
  }

  files.push({ path: BOOT_WIM_MEDIA_PATH, content: options.bootWim, modified: options.recordedAt, emitFirst: true });
  bootSet.add(mediaKey(BOOT_WIM_MEDIA_PATH));

  const generated = (path: readonly string[], text: string): TreeFile => ({
    path,
    content: bufferSource(Buffer.from(text, 'utf8')),
    modified: options.recordedAt,
  });
  files.push(
    generated(
      TSM_BOOTSTRAP_MEDIA_PATH,
      tsmBootstrapIni({ label: options.label, architecture, bootImage: options.bootImageName, createdBy: options.createdBy }),
    ),
  );
  bootSet.add(mediaKey(TSM_BOOTSTRAP_MEDIA_PATH));
  files.push(generated(MEDIA_LABEL_MEDIA_PATH, mediaLabelTxt(options.label)));
  if (options.includeAutoRun) files.push(generated(AUTORUN_MEDIA_PATH, autorunInf(options.label, architecture)));

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
  };
}
