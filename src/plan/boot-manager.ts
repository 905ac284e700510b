// -BootManager / --boot-manager: which signed Windows boot manager the media carries.
//
// There is deliberately no "Auto": which value boots depends on each target device's Secure Boot
// databases, not on the boot image. 2011-signed media stop booting once a device's dbx revokes
// PCA 2011; 2023-signed media boot only on devices whose db already has Windows UEFI CA 2023.
// Picking 2023 because the boot image happens to have the files would silently drop the devices
// not yet updated, so the admin chooses, knowing the fleet.

import { CaptureMediaError } from '../errors.js';

export type BootManagerChoice = '2011' | '2023';
export const BOOT_MANAGER_CHOICES: readonly BootManagerChoice[] = ['2011', '2023'];

export function parseBootManager(text: string | undefined): BootManagerChoice {
  if (text === undefined) return '2011';
  const found = BOOT_MANAGER_CHOICES.find((c) => c === text.trim());
  if (found) return found;
  throw new CaptureMediaError(
    'InvalidParameter',
    `The boot manager "${text}" is not 2011 or 2023. Use 2011 (signed by Microsoft Windows Production PCA 2011, the default) or 2023 (signed by Windows UEFI CA 2023).`,
    { target: text },
  );
}
