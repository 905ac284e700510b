// Extraction speed of the WIM reader against wimlib-imagex on the same input.
// Usage: node --import tsx scripts/bench-wim.ts [wim …]   (default: the LZX and XPRESS fixtures)
// Builds the fixtures (scripts/make-wim-fixtures.sh) when needed, extracts the whole image with
// our extractTree and with `wimlib-imagex apply`, best of 5 runs each, and prints one JSON line
// per WIM: {"wim", "oursMs", "wimlibMs", "ratio"}. Goal: ratio ≤ 3.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openWim } from '../src/wim/index.js';

const root = new URL('..', import.meta.url).pathname;
const fixtures = join(root, 'test/.work/wim');
const RUNS = 5;

async function ours(wimPath: string, dest: string): Promise<number> {
  const started = performance.now();
  const wim = await openWim(wimPath);
  try {
    const image = await wim.openImage(wim.bootIndex || 1);
    await image.extractTree('', dest);
  } finally {
    await wim.close();
  }
  return performance.now() - started;
}

function wimlib(wimPath: string, dest: string): number {
  const started = performance.now();
  execFileSync('wimlib-imagex', ['apply', wimPath, '1', dest, '--no-acls'], { stdio: 'ignore' });
  return performance.now() - started;
}

async function main(argv: string[]): Promise<void> {
  execFileSync('bash', [join(root, 'scripts/make-wim-fixtures.sh'), fixtures], { stdio: 'inherit' });
  const wims = argv.length > 0 ? argv : ['lzx.wim', 'xpress.wim', 'lzx1m.wim', 'none.wim'].map((n) => join(fixtures, n));
  const scratch = mkdtempSync(join(tmpdir(), 'bench-wim-'));
  try {
    for (const wimPath of wims) {
      let best = { ours: Infinity, wimlib: Infinity };
      for (let run = 0; run < RUNS; run++) {
        const a = join(scratch, `ours-${run}`);
        const b = join(scratch, `wimlib-${run}`);
        best = { ours: Math.min(best.ours, await ours(wimPath, a)), wimlib: Math.min(best.wimlib, wimlib(wimPath, b)) };
        rmSync(a, { recursive: true, force: true });
        rmSync(b, { recursive: true, force: true });
      }
      const line = { wim: basename(wimPath), oursMs: Math.round(best.ours), wimlibMs: Math.round(best.wimlib), ratio: Number((best.ours / best.wimlib).toFixed(2)) };
      console.log(JSON.stringify(line));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
