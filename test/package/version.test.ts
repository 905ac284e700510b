// One version number: package.json's. The CLI (bundled and unbundled) reports it, the result and
// manifest carry it as createdBy, and the source module manifest, which must hold a literal to be
// importable from a checkout, matches it (npm run package stamps the released copy from it).

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/temp.js';
import { CREATED_BY } from '../../src/build/result.js';
import { VERSION } from '../../src/version.js';

const packageVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('the core reads its version from package.json', () => {
  assert.equal(VERSION, packageVersion);
  assert.equal(CREATED_BY, `capture-media ${packageVersion}`);
});

test('capture-media --version prints package.json\'s version', async () => {
  const run = await runCli(['--version']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), packageVersion);
});

test('the source module manifest has package.json\'s version', () => {
  const manifest = readFileSync(join(REPO_ROOT, 'module', 'CaptureMedia.psd1'), 'utf8');
  const match = /^\s*ModuleVersion\s*=\s*'([^']+)'/m.exec(manifest);
  assert.equal(match?.[1], packageVersion, 'module/CaptureMedia.psd1 ModuleVersion differs from package.json: change both together');
});
