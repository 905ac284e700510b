// Every ConfigMgr- and Windows-boot-specific name in one place (README "What is on the media"), so
// the layout can be corrected against a real site's media without touching any writer. Paths are
// given as arrays of components: media paths as they appear on the medium, WIM paths inside the
// boot image.
//
// Where these come from: the capture media the ConfigMgr console writes, and the ADK's own
// MakeWinPEMedia/oscdimg layout, which takes the boot files out of the boot image itself.

import type { Architecture } from '../plan/architecture.js';

/** What a boot file is needed for; a missing file costs exactly this. */
/** The UEFI boot manager inside a WinPE image; its PE machine type is checked against the XML's ARCH. */
export const UEFI_BOOT_MANAGER_WIM_PATH = 'Windows\\Boot\\EFI\\bootmgfw.efi';

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
    { media: ['efi', 'boot', UEFI_LOADER_NAME[arch]], wim: UEFI_BOOT_MANAGER_WIM_PATH, roles: ['uefi'] },
    { media: ['efi', 'microsoft', 'boot', 'bcd'], wim: 'Windows\\Boot\\DVD\\EFI\\BCD', roles: ['uefi'] },
    { media: ['efi', 'microsoft', 'boot', 'efisys.bin'], wim: 'Windows\\Boot\\DVD\\EFI\\en-US\\efisys.bin', roles: ['uefi-cd'] },
    { media: ['boot', 'bcd'], wim: 'Windows\\Boot\\DVD\\PCAT\\BCD', roles: ['bios', 'bios-cd'], architectures: ['x86', 'x64'] },
    { media: ['boot', 'boot.sdi'], wim: 'Windows\\Boot\\DVD\\PCAT\\boot.sdi', roles: ['ramdisk'] },
    { media: ['boot', 'etfsboot.com'], wim: 'Windows\\Boot\\DVD\\PCAT\\etfsboot.com', roles: ['bios-cd'], architectures: ['x86', 'x64'] },
  ].filter((r) => !r.architectures || r.architectures.includes(arch)) as BootFileRule[];
}

/**
 * The boot manager's certificate trust list. ConfigMgr's boot file list leaves it out; Microsoft's
 * own media scripts (MakeWinPEMedia's layout, Make2023BootableMedia.ps1) copy it beside the UEFI
 * BCD. Copied when the boot image has it; older WinPE images do not, and boot without it.
 */
export const BOOT_STL = { media: ['efi', 'microsoft', 'boot', 'boot.stl'], wim: 'Windows\\Boot\\EFI\\boot.stl' } as const;

/** Fonts are copied to both boot managers' font folders. */
export const FONTS_WIM_DIR = 'Windows\\Boot\\Fonts';
export const FONTS_MEDIA_DIRS: readonly (readonly string[])[] = [
  ['boot', 'fonts'],
  ['efi', 'microsoft', 'boot', 'fonts'],
];

/** The boot image itself, byte for byte. */
export const BOOT_WIM_MEDIA_PATH: readonly string[] = ['sources', 'boot.wim'];

/**
 * The folders under sms\bin (in the boot image) and SMS\bin (on the media) that hold the ConfigMgr
 * client binaries, launcher folder first. x86 is "i386" as ConfigMgr names it. Arm64 boot images
 * keep the client binaries (TsmBootstrap.exe, OsdCaptureCd.exe, …) in sms\bin\x64 and only ADK
 * tools in sms\bin\arm64 (ConfigMgr's OSDInjection.xml lists the x64 client files for arm64
 * images), so arm64 media carry both, x64 first.
 */
export const SMS_BIN_FOLDERS: Readonly<Record<Architecture, readonly string[]>> = {
  x86: ['i386'],
  x64: ['x64'],
  arm64: ['x64', 'arm64'],
};
export const SMS_BIN_WIM_DIR = (folder: string): string => `sms\\bin\\${folder}`;
export const SMS_BIN_MEDIA_DIR = (folder: string): readonly string[] => ['SMS', 'bin', folder];
/** The folder autorun.inf and the capture launcher live in. */
export const launcherFolder = (arch: Architecture): string => SMS_BIN_FOLDERS[arch][0]!;

/**
 * The capture launcher the admin runs on the reference computer's Windows. It is not in boot
 * images (OSDInjection.xml does not list it): it ships with the site in
 * <ConfigMgr install>\OSD\bin\<i386|x64>, shared as \\<siteserver>\SMS_<sitecode>\OSD\bin.
 */
export const CAPTURE_LAUNCHER = 'TSMBAutorun.exe';
/** The site share a client source usually is, for messages. */
export const CLIENT_SOURCE_EXAMPLE = '\\\\<siteserver>\\SMS_<sitecode>\\OSD\\bin';

/** The media's SMS\ folder: copied whole from a template. */
export const SMS_MEDIA_ROOT: readonly string[] = ['SMS'];

/** True when one of the media paths is SMS\bin\<folder>\TSMBAutorun.exe (any case). */
export function hasCaptureLauncher(paths: Iterable<readonly string[]>): boolean {
  for (const p of paths) {
    if (p.length === 4 && p[0]!.toLowerCase() === 'sms' && p[1]!.toLowerCase() === 'bin' && p[3]!.toLowerCase() === CAPTURE_LAUNCHER.toLowerCase()) return true;
  }
  return false;
}

/** The task sequence bootstrap settings TsmBootstrap reads from the media. */
export const TSM_BOOTSTRAP_MEDIA_PATH: readonly string[] = ['SMS', 'data', 'TsmBootstrap.ini'];
export const MEDIA_LABEL_MEDIA_PATH: readonly string[] = ['MediaLabel.txt'];
export const AUTORUN_MEDIA_PATH: readonly string[] = ['autorun.inf'];

/** Our addition, not ConfigMgr's: which file is on which disc, with SHA-256 (docs/manifest.md). */
export const MANIFEST_MEDIA_PATH: readonly string[] = ['CaptureMedia.manifest.json'];

/**
 * The generated TsmBootstrap.ini, used only when no -Template supplies the console's own. It holds
 * nothing that no public source shows; everything else must come from a console-made medium.
 *
 * - `[MediaInfo]` with `MediaType`, `PasswordRequired`, `Unattended`: the only section and keys seen
 *   read from real media's SMS\data\TsmBootstrap.ini (PXEThief, github.com/MWR-CyberSec/PXEThief,
 *   pxethief.py `parse_bootstrap_ini`; values `FullMedia` and `false` are what it compares with).
 * - `MediaType=FullMedia`: ConfigMgr's SDK, "About Operating System Deployment Media Management"
 *   (learn.microsoft.com/previous-versions/system-center/developer/cc146471), calls capture media
 *   "a special case of full media". No public capture medium's value is known: a reading.
 * - `PasswordRequired=false`: CreateCaptureMedia (cc146418) takes no password, unlike boot and
 *   stand-alone media.
 * - `Unattended=false`: the wizard asks its questions (destination, account, image properties).
 *   Seen as `Unattended=false` in public media-conversion scripts that flip it to true.
 */
export const TSM_BOOTSTRAP_GENERATED: readonly (readonly [string, string])[] = [
  ['MediaType', 'FullMedia'],
  ['PasswordRequired', 'false'],
  ['Unattended', 'false'],
];

export function tsmBootstrapIni(): string {
  const lines = ['[MediaInfo]', ...TSM_BOOTSTRAP_GENERATED.map(([k, v]) => `${k}=${v}`)];
  return `${lines.join('\r\n')}\r\n`;
}

/** autorun.inf as the wizard writes it with "Include autorun.inf file on media": start the capture wizard. */
export function autorunInf(label: string, architecture: Architecture): string {
  const bin = SMS_BIN_MEDIA_DIR(launcherFolder(architecture)).join('\\');
  return ['[autorun]', `open=${bin}\\${CAPTURE_LAUNCHER}`, `icon=${bin}\\${CAPTURE_LAUNCHER},0`, `label=${label}`, ''].join('\r\n');
}

export function mediaLabelTxt(label: string): string {
  return `label=${label}\r\n`;
}
