// The launcher (dist/capture-media.cjs) runs the core beside it from V8's code cache when the cache
// fits, and exactly as well without one, or with one that does not fit (another Node, other flags,
// damaged bytes): V8 then compiles as usual. Nothing is written beside the core at run time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, REPO_ROOT } from '../helpers/temp.js';

const dist = join(REPO_ROOT, 'dist');
const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function run(dir: string, flags: readonly string[] = ['--max-semi-space-size=1']): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...flags, join(dir, 'capture-media.cjs'), '--version'], { encoding: 'utf8', env: { ...process.env, CAPTUREMEDIA_WRITE_CODE_CACHE: '' } });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

/** A copy of the launcher and the core (and the cache when asked) in a folder of its own. */
function copyCore(cache: 'built' | 'none' | 'damaged'): { dir: string; cleanup: () => void } {
  const { path: dir, cleanup } = makeTempDir('launcher');
  for (const name of ['capture-media.cjs', 'capture-media-core.cjs']) copyFileSync(join(dist, name), join(dir, name));
  if (cache === 'built') copyFileSync(join(dist, 'capture-media-core.cjs.cache'), join(dir, 'capture-media-core.cjs.cache'));
  if (cache === 'damaged') writeFileSync(join(dir, 'capture-media-core.cjs.cache'), Buffer.alloc(4096, 0x5a));
  return { dir, cleanup };
}

test('npm run build made the code cache beside the core', () => {
  assert.ok(existsSync(join(dist, 'capture-media-core.cjs.cache')), 'dist/capture-media-core.cjs.cache is missing');
});

for (const cache of ['built', 'none', 'damaged'] as const) {
  test(`the launcher runs the core with the cache ${cache === 'built' ? 'as built' : cache === 'none' ? 'missing' : 'damaged'}, and writes nothing`, () => {
    const { dir, cleanup } = copyCore(cache);
    try {
      const before = readdirSync(dir).sort();
      for (const flags of [['--max-semi-space-size=1'], []]) {
        const r = run(dir, flags);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, version);
      }
      assert.deepEqual(readdirSync(dir).sort(), before);
    } finally {
      cleanup();
    }
  });
}
