#!/usr/bin/env node
// The README's first command: builds capture media from the built-in sample, no distribution point
// needed. The sample boot image is generated here (scripts/make-sample-bootimage.sh: a WinPE-shaped
// WIM whose boot programs are GRUB and a tiny BIOS program, so the result really boots in qemu),
// put into a sample ConfigMgr content library as package PKG00001, and the CLI builds a bootable
// ISO from that library exactly as it would from \\dp\SCCMContentLib$.
import { existsSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const demo = join(root, '.demo');
const sample = join(demo, 'sample');
const library = join(demo, 'SCCMContentLib');
const iso = join(demo, 'capture.iso');

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.status !== 0) {
    console.error(`demo: ${command} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

mkdirSync(demo, { recursive: true });
if (!existsSync(join(sample, 'boot.wim'))) {
  console.log('demo: building the sample boot image (WinPE-shaped WIM) ...');
  run('bash', [join(root, 'scripts', 'make-sample-bootimage.sh'), sample]);
}
rmSync(library, { recursive: true, force: true });
console.log(`demo: putting it into a sample content library at ${library} as package PKG00001 ...`);
run(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'make-content-library.ts'), '--root', library, '--package', 'PKG00001', '--version', '1', '--file', `${join(sample, 'boot.wim')}=boot.PKG00001.wim`], { stdio: ['ignore', 'ignore', 'inherit'] });

console.log('demo: capture-media create --media-type cddvd ...');
const cli = join(root, 'dist', 'capture-media.cjs');
run(process.execPath, [
  cli, 'create', '--media-type', 'cddvd', '--path', iso,
  '--boot-image', 'PKG00001', '--distribution-point', library,
  '--media-label', 'Capture Demo', '--force', '--log-path', join(demo, 'CaptureMedia.log'),
]);
console.log(`\ndemo: done. Look inside with:  xorriso -indev ${iso} -report_el_torito plain`);
console.log(`      or boot it:             qemu-system-x86_64 -m 512 -cdrom ${iso} -serial stdio -display none`);
