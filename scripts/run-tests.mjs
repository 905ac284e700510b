#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's built-in test runner (TypeScript through tsx).
// Optional arguments narrow the run to files whose path contains one of them.
// --unit: only the fast tier (npm run test:unit), the tests that need no root, qemu, pwsh, loop
// devices or repeated CLI start-ups; NOT_UNIT lists the others and why.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
// --dist: tests that spawn the CLI run the compiled dist/ (npm test builds it first) instead of
// the TypeScript source through tsx, which saves ~0.5 s on each of a few hundred CLI starts.
const useDist = process.argv.includes('--dist');
const unitOnly = process.argv.includes('--unit');
const filters = process.argv.slice(2).filter((a) => a !== '--dist' && a !== '--unit');

/** Files (by path prefix) outside the fast tier; `npm test` still runs them. */
const NOT_UNIT = [
  ['test/boot/', 'boots media in qemu'],
  ['test/iso/boot-qemu.test.ts', 'boots an ISO in qemu'],
  ['test/fat/boot-firmware.test.ts', 'boots a FAT32 image in qemu'],
  ['test/disk/linux/loop-devices.test.ts', 'needs root and loop devices'],
  ['test/build/usb-media.test.ts', 'needs root and loop devices'],
  ['test/reliability/', 'kills, signals, loop devices and full file systems, end to end through the CLI'],
  ['test/source/access.test.ts', 'needs root to run as another user'],
  ['test/powershell/', 'runs Pester in pwsh'],
  ['test/package/', 'packages the module and installs it with pwsh'],
  ['test/setup/', 'checks the pwsh and tools setup.sh installed'],
  ['test/disk/windows/get-disk.test.ts', 'runs scripts in pwsh'],
  ['test/disk/windows/powershell-session.test.ts', 'runs pwsh'],
  ['test/build/iso-media.test.ts', 'end to end through many CLI runs'],
  ['test/build/content-library-media.test.ts', 'end to end through many CLI runs'],
  ['test/bridge/create-events.test.ts', 'end to end through the bridge'],
  ['test/bridge/protocol.test.ts', 'end to end through the bridge'],
  ['test/cli/', 'end to end through the CLI'],
  ['test/compression/fuzz.test.ts', 'runs the fuzzers'],
  ['test/inf/inf-hostile.test.ts', 'runs the fuzzers'],
  ['test/compare/', 'end to end through the CLI'],
  ['test/drivers/cli-drivers.test.ts', 'end to end through the CLI'],
  ['test/verify/efi-signers.test.ts', 'end to end through the CLI, with sbsign'],
  ['test/verify/read-past-cache.test.ts', 'makes its media through the CLI'],
  ['test/layout/boot-manager-2023.test.ts', 'end to end through the CLI'],
  ['test/source/boot-image-signers.test.ts', 'end to end through the CLI and pwsh'],
  ['test/source/template-client-source.test.ts', 'end to end through the CLI'],
  ['test/build/template-disk-safety.test.ts', 'needs root and loop devices'],
  ['test/architecture/', 'runs dependency-cruiser over src/ (npm run lint:imports runs it alone)'],
];

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'fixtures' || name === '.work' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .filter((f) => !unitOnly || !NOT_UNIT.some(([prefix]) => f.startsWith(prefix)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, ...(useDist ? { CAPTUREMEDIA_TEST_DIST: '1' } : {}) } },
);
process.exit(result.status ?? 1);
