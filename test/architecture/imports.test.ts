// The import rules of .dependency-cruiser.cjs (docs/architecture.md, "Layers"), checked by the
// real dependency-cruiser: src/ as it is passes, and a tree with an upward import fails, so a
// future upward import fails `npm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp.js';

const root = new URL('../..', import.meta.url).pathname;
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('every folder and root file of src/ has a place in the layer list (an unlisted one would go unchecked)', () => {
  const text = readFileSync(config, 'utf8');
  const listed = new Set([...text.matchAll(/'([a-z]+)(?:\\\\\.ts)?'/g)].map((m) => m[1]));
  const unlisted = readdirSync(join(root, 'src')).map((name) => name.replace(/\.ts$/, '')).filter((name) => !listed.has(name));
  assert.deepEqual(unlisted, [], `add these to LAYERS in .dependency-cruiser.cjs: ${unlisted.join(', ')}`);
});

test('src/ keeps the layer order: no upward import, no cycle, nothing from test/', () => {
  const { status, output } = cruise(root);
  assert.equal(status, 0, output);
});

test('an upward import (io/ importing the CLI host) fails the check and is named', () => {
  const { path: dir, cleanup } = makeTempDir('imports');
  try {
    mkdirSync(join(dir, 'src', 'io'), { recursive: true });
    mkdirSync(join(dir, 'src', 'cli'), { recursive: true });
    copyFileSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    writeFileSync(join(dir, 'src', 'cli', 'present.ts'), 'export const formatBytes = (n: number): string => `${n} B`;\n');
    writeFileSync(join(dir, 'src', 'io', 'free-space.ts'), "import { formatBytes } from '../cli/present.js';\nexport const text = formatBytes(1);\n");
    const { status, output } = cruise(dir);
    assert.notEqual(status, 0, output);
    assert.match(output, /no-upward-import-from-io: src\/io\/free-space\.ts → src\/cli\/present\.ts/);
  } finally {
    cleanup();
  }
});
