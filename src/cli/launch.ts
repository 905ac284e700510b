// The file Node starts: dist/capture-media.cjs (core/capture-media.cjs in the module package). It
// runs the core bundle beside it, capture-media-core.cjs, from V8's code cache when the cache beside
// that (capture-media-core.cjs.cache, made by `npm run build`) fits this Node and these flags.
//
// Why: compiling the 1.6 MB core is most of a short command's start-up. `--help` cost 1.9x the CPU
// of `node -e 0`; from the cache, 1.25x (docs/benchmarks.md, "Start-up"). V8 checks the cache
// against the source, its own version and the flags and silently compiles as usual when any of
// them differs (another Node version, no --max-semi-space-size=1), so a stale or foreign cache costs
// the time it always did, never correctness. Nothing is written at run time: the cache is made once,
// at build time, when CAPTUREMEDIA_WRITE_CODE_CACHE=1.

import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The core's main.ts runs main() when this names its file (it is not process.argv[1]). */
const ENTRY = Symbol.for('capture-media.entry');

const corePath = join(__dirname, 'capture-media-core.cjs');
const cachePath = `${corePath}.cache`;
let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cachePath);
} catch {
  // No cache (a build without one, or a file system that lost it): compile as usual.
}
// The shebang line is emptied, not removed, so line numbers (and the source map) stay right.
const source = Module.wrap(readFileSync(corePath, 'utf8').replace(/^#!.*/, ''));
const script = new Script(source, { filename: corePath, ...(cachedData === undefined ? {} : { cachedData }) });
if (process.env['CAPTUREMEDIA_WRITE_CODE_CACHE'] === '1') {
  // At exit, the cache holds the functions this run compiled too (the build runs `--help`).
  process.once('exit', () => {
    try {
      writeFileSync(cachePath, script.createCachedData());
    } catch (error: unknown) {
      // A build step, so it says why; the run itself has already ended with its own code.
      process.stderr.write(`capture-media: could not write the code cache ${cachePath}: ${String(error)}\n`);
    }
  });
}
const core = new Module(corePath, module);
core.filename = corePath;
(globalThis as Record<symbol, unknown>)[ENTRY] = corePath;
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
run(core.exports, createRequire(corePath), core, corePath, dirname(corePath));
