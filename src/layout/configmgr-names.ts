// Every ConfigMgr- and Windows-boot-specific name in one place (DESIGN.md §4), so the layout can be
// corrected against a real site's media without touching any writer. Paths are given as arrays of
// components: media paths as they appear on the medium, WIM paths inside the boot image.
//
// Where these come from: the capture media the ConfigMgr console writes, and the ADK's own
// MakeWinPEMedia/oscdimg layout, which takes the boot files out of the boot image itself.

import type { Architecture } from '../plan/architecture.js';

/** What a boot file is needed for; a missing file costs exactly this. */
export type BootRole = 'bios-cd' | 'bios' | 'uefi' | 'uefi-cd' | 'ramdisk';

export interface BootFileRule {
  readonly media: readonly string[];
  readonly wim: string;
  readonly roles: readonly BootRole[];
  /** Architectures that have this file at all (bootmgr for BIOS does not exist on arm64). */
  readonly architectures?: readonly Architecture[];
}

/** The UEFI removable-media loader name per architecture (UEFI spec §3.5.1.1). */
export const UEFI_LOADER_NAME: Readonly<Record<Architecture, string>> = {
  x64: 'bootx64.efi',
  x86: 'bootia32.efi',
  arm64: 'bootaa64.efi',
};

export function bootFileRules(arch: Architecture): readonly BootFileRule[] {
  return [
    { media: ['bootmgr'], wim: 'Windows\\Boot\\PCAT\\bootmgr', roles: ['bios', 'bios-cd'], architectures: ['x86', 'x64'] },
    { media: ['bootmgr.efi'], wim: 'Windows\\Boot\\EFI\\bootmgr.efi', roles: ['uefi-cd'] },
    { media: ['efi', 'boot', UEFI_LOADER_NAME[arch]], wim: 'Windows\\Boot\\EFI\\bootmgfw.efi', roles: ['uefi'] },
    { media: ['efi', 'microsoft', 'boot', 'bcd'], wim: 'Windows\\Boot\\DVD\\EFI\\BCD', roles: ['uefi'] },
    { media: ['efi', 'microsoft', 'boot', 'efisys.bin'], wim: 'Windows\\Boot\\DVD\\EFI\\en-US\\efisys.bin', roles: ['uefi-cd'] },
    { media: ['boot', 'bcd'], wim: 'Windows\\Boot\\DVD\\PCAT\\BCD', roles: ['bios', 'bios-cd'], architectures: ['x86', 'x64'] },
    { media: ['boot', 'boot.sdi'], wim: 'Windows\\Boot\\DVD\\PCAT\\boot.sdi', roles: ['ramdisk'] },
    { media: ['boot', 'etfsboot.com'], wim: 'Windows\\Boot\\DVD\\PCAT\\etfsboot.com', roles: ['bios-cd'], architectures: ['x86', 'x64'] },
  ].filter((r) => !r.architectures || r.architectures.includes(arch)) as BootFileRule[];
}

/** Fonts are copied to both boot managers' font folders. */
export const FONTS_WIM_DIR = 'Windows\\Boot\\Fonts';
export const FONTS_MEDIA_DIRS: readonly (readonly string[])[] = [
  ['boot', 'fonts'],
  ['efi', 'microsoft', 'boot', 'fonts'],
];

/** The boot image itself, byte for byte. */
export const BOOT_WIM_MEDIA_PATH: readonly string[] = ['sources', 'boot.wim'];

/** ConfigMgr client binaries inside a ConfigMgr boot image, copied to \SMS\bin\<arch>. */
export const SMS_BIN_WIM_DIR = (arch: Architecture): string => `sms\\bin\\${arch === 'x86' ? 'i386' : arch}`;
export const SMS_BIN_MEDIA_DIR = (arch: Architecture): readonly string[] => ['SMS', 'bin', arch === 'x86' ? 'i386' : arch];

/** The task sequence bootstrap settings TsmBootstrap reads from the media. */
export const TSM_BOOTSTRAP_MEDIA_PATH: readonly string[] = ['SMS', 'data', 'TsmBootstrap.ini'];
export const MEDIA_LABEL_MEDIA_PATH: readonly string[] = ['MediaLabel.txt'];
export const AUTORUN_MEDIA_PATH: readonly string[] = ['autorun.inf'];

/** Our addition, not ConfigMgr's: which file is on which disc, with SHA-256 (docs/manifest.md). */
export const MANIFEST_MEDIA_PATH: readonly string[] = ['CaptureMedia.manifest.json'];

/**
 * The [MediaInfo] section of TsmBootstrap.ini for capture media. Capture media carries no site
 * connection, certificate or password: TsmBootstrap only needs to know this is capture media, so it
 * starts the Image Capture Wizard (TSMBAutorun /capture) instead of a task sequence.
 */
export function tsmBootstrapIni(options: { label: string; architecture: Architecture; bootImage: string; createdBy: string }): string {
  const lines = [
    '[MediaInfo]',
    'MediaType=CaptureMedia',
    'IsCaptureMedia=true',
    `MediaLabel=${options.label}`,
    `Architecture=${options.architecture}`,
    `BootImage=${options.bootImage}`,
    `CreatedBy=${options.createdBy}`,
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** autorun.inf as the wizard writes it with "Include autorun.inf file on media": start the capture wizard. */
export function autorunInf(label: string, architecture: Architecture): string {
  const bin = SMS_BIN_MEDIA_DIR(architecture).join('\\');
  return ['[autorun]', `open=${bin}\\TSMBAutorun.exe`, `icon=${bin}\\TSMBAutorun.exe,0`, `label=${label}`, ''].join('\r\n');
}

export function mediaLabelTxt(label: string): string {
  return `label=${label}\r\n`;
}
