// Preparing a disk needs an elevated process: diskpart refuses to select a disk otherwise, and the
// Storage module's Get-Disk shows less. We ask once, up front, so the user gets one clear message
// instead of a localised diskpart error halfway through.
//
// The obvious check is `IsInRole('Administrators')`. The string form resolves a group NAME, and
// the Administrators group is localised ("Administratoren", "Administrateurs"), so on a German or
// French Windows it answers false for a real administrator. WindowsBuiltInRole.Administrator is
// the well-known SID S-1-5-32-544 and means the same thing in every language
// (https://learn.microsoft.com/en-us/dotnet/api/system.security.principal.windowsprincipal.isinrole).
// In an unelevated token under UAC the group is deny-only, so the check is false until "Run as administrator".

import { CaptureMediaError } from '../../errors.js';
import type { PowerShellSession } from './powershell-session.js';

export const IS_ELEVATED_SCRIPT =
  '([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)';

export async function isElevated(session: PowerShellSession): Promise<boolean> {
  const answer = (await session.invoke(IS_ELEVATED_SCRIPT)).trim();
  if (/^true$/i.test(answer)) return true;
  if (/^false$/i.test(answer)) return false;
  throw new CaptureMediaError('PowerShellFailed', `The elevation check answered ${JSON.stringify(answer.slice(0, 100))}, not True or False.`);
}

/** PermissionDenied unless the process runs elevated. */
export async function assertElevated(session: PowerShellSession): Promise<void> {
  if (await isElevated(session)) return;
  throw new CaptureMediaError(
    'PermissionDenied',
    'Preparing a USB drive needs administrator rights: start PowerShell with "Run as administrator" and run the command again. ' +
      '(diskpart and the Storage cmdlets refuse to change disks from an unelevated session.)',
  );
}
