// The boot files signed by "Windows UEFI CA 2023" that a WinPE boot image of 2024-4B or later
// carries beside the 2011-signed ones, and where they go on media built with -BootManager 2023.
// Names from Microsoft's Make2023BootableMedia.ps1 (public secureboot_objects repository) and its
// guidance on updating Windows boot media for KB5025885: the _EX files replace the UEFI loaders, the
// UEFI El Torito image and the boot fonts; the BIOS path is unchanged (BIOS has no Secure Boot).
//
// Kept next to configmgr-names.ts, whose 2011 rules these replace entry by entry, so that both
// sets of Windows boot names can be corrected against real media in one folder.

export type { BootManagerChoice } from '../plan/boot-manager.js';

/** The 2011-signed UEFI boot manager, as in configmgr-names.ts' rules. */
export const BOOTMGFW_WIM_PATH = 'Windows\\Boot\\EFI\\bootmgfw.efi';
export const BOOTMGFW_EX_WIM_PATH = 'Windows\\Boot\\EFI_EX\\bootmgfw_EX.efi';
export const BOOTMGR_EX_WIM_PATH = 'Windows\\Boot\\EFI_EX\\bootmgr_EX.efi';
export const EFISYS_EX_WIM_PATH = 'Windows\\Boot\\DVD_EX\\EFI\\en-US\\efisys_EX.bin';
export const FONTS_EX_WIM_DIR = 'Windows\\Boot\\FONTS_EX';
/** The suffix the 2023 font files carry and lose on the media (segmono_boot_EX.ttf -> segmono_boot.ttf). */
export const FONT_EX_SUFFIX = /_EX(\.ttf)$/i;

/** Where a boot image's 2023 files come from, for the error that names what is missing. */
export const BOOT_MANAGER_2023_SOURCE =
  'a WinPE boot image from a Windows ADK WinPE add-on released after April 2024, or one serviced with the April 2024 (2024-4B) or a later cumulative update (then update the boot image on its distribution points)';

export interface ExReplacement {
  /** The 2011 WIM path this replaces in the media layout. */
  readonly replaces: string;
  readonly wim: string;
  /** Must be present for -BootManager 2023 on this medium; optional ones are used when present. */
  readonly required: boolean;
}

/**
 * The 2011 WIM paths that -BootManager 2023 swaps for their _EX variant. The media path stays
 * that of the 2011 rule (\efi\boot\bootx64.efi, \bootmgr.efi, \efi\microsoft\boot\efisys.bin).
 */
export function exReplacements(medium: 'cd' | 'usb'): readonly ExReplacement[] {
  return [
    { replaces: BOOTMGFW_WIM_PATH, wim: BOOTMGFW_EX_WIM_PATH, required: true },
    { replaces: 'Windows\\Boot\\EFI\\bootmgr.efi', wim: BOOTMGR_EX_WIM_PATH, required: false },
    { replaces: 'Windows\\Boot\\DVD\\EFI\\en-US\\efisys.bin', wim: EFISYS_EX_WIM_PATH, required: medium === 'cd' },
  ];
}
