// A GRUB EFI program that echoes a marker on the console (serial under -nographic) and halts:
// the smallest real UEFI application the writer-level boot tests can put on a medium.
// grub-mkstandalone comes from grub-efi-amd64-bin + grub-common (scripts/setup.sh).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Builds `<dir>/bootx64.efi`; returns its path. */
export function buildGrubMarkerEfi(dir: string, marker: string): string {
  const cfg = join(dir, 'grub.cfg');
  writeFileSync(cfg, `echo ${marker}\nhalt\n`);
  const efi = join(dir, 'bootx64.efi');
  execFileSync('grub-mkstandalone', [
    '-O', 'x86_64-efi',
    '--install-modules=echo halt normal configfile',
    '--modules=echo halt',
    '--locales=', '--fonts=', '--themes=',
    '-o', efi,
    `boot/grub/grub.cfg=${cfg}`,
  ], { stdio: 'ignore' });
  return efi;
}
