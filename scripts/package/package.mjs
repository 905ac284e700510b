#!/usr/bin/env node
// `npm run package`: builds the PowerShell module package a Windows admin installs, under
// dist/release/ (or --out DIR):
//   CaptureMedia/<version>/          the module folder, self-contained: manifest, .psm1, Public/,
//                                    Private/, format file, help, core/ (capture-media.cjs, the
//                                    launcher Node starts; capture-media-core.cjs, the bundled core,
//                                    no node_modules; its V8 code cache), licences
//   CaptureMedia-<version>.zip       that folder, to unzip into a module path
//   CaptureMedia.<version>.nupkg     the same for Install-PSResource / Install-Module from a
//                                    file-share repository (made by Compress-PSResource, pwsh 7.4+)
// The version comes from package.json alone; the manifest copy is stamped with it, with the release
// notes of that version from CHANGELOG.md, and with gallery metadata (scripts/package/manifest.mjs).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { stampManifest, releaseNotes } from './manifest.mjs';
import { zipFolder } from './zip.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = pkg.version;
// --out DIR puts the three outputs somewhere else (the install test packages into a temp folder).
const { values: options } = parseArgs({ options: { out: { type: 'string' } } });
const release = resolve(options.out ?? join(root, 'dist', 'release'));
const moduleBase = join(release, 'CaptureMedia');
const moduleDir = join(moduleBase, version);

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

const CORE_FILES = ['capture-media.cjs', 'capture-media-core.cjs', 'capture-media-core.cjs.cache', 'THIRD-PARTY-NOTICES.txt'];
for (const built of CORE_FILES) {
  if (!existsSync(join(root, 'dist', built))) fail(`dist/${built} is missing: run \`npm run build\` first (npm run package does).`);
}

rmSync(release, { recursive: true, force: true });
mkdirSync(moduleDir, { recursive: true });
for (const entry of ['CaptureMedia.psm1', 'CaptureMedia.format.ps1xml', 'Public', 'Private', 'en-US']) {
  cpSync(join(root, 'module', entry), join(moduleDir, entry), { recursive: true });
}
const manifest = stampManifest(readFileSync(join(root, 'module', 'CaptureMedia.psd1'), 'utf8'), {
  version,
  releaseNotes: releaseNotes(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version),
  projectUri: pkg.homepage,
});
writeFileSync(join(moduleDir, 'CaptureMedia.psd1'), manifest);
mkdirSync(join(moduleDir, 'core'));
for (const built of CORE_FILES) cpSync(join(root, 'dist', built), join(moduleDir, 'core', built));
cpSync(join(root, 'LICENSE'), join(moduleDir, 'LICENSE'));
console.log(`package: module folder ${moduleDir}`);

const zipPath = join(release, `CaptureMedia-${version}.zip`);
writeFileSync(zipPath, zipFolder(release, join('CaptureMedia', version)));
console.log(`package: zip ${zipPath}`);

// pwsh as the tests find it: $PWSH, PATH, or ~/.dotnet/tools, where scripts/setup.sh installs it
// as a dotnet global tool without adding it to PATH.
const pwshName = process.platform === 'win32' ? 'pwsh.exe' : 'pwsh';
const pwsh = [process.env.PWSH, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, pwshName)), join(homedir(), '.dotnet', 'tools', pwshName)]
  .find((candidate) => candidate && existsSync(candidate)) ?? pwshName;
const nupkg = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', join(root, 'scripts', 'package', 'New-CaptureMediaNupkg.ps1'), '-ModulePath', moduleDir, '-DestinationPath', release], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (nupkg.error) fail(`could not run ${pwsh} to make the .nupkg (PowerShell 7.4 or later is needed): ${nupkg.error.message}`);
if (nupkg.status !== 0) fail(`making the .nupkg failed (exit ${nupkg.status})`);
console.log(`package: nupkg ${nupkg.stdout.trim()}`);
