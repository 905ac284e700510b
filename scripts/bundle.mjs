#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and everything it imports, npm dependencies included) into one
// file, dist/capture-media-core.cjs, that runs with nothing but Node.js: no node_modules at run
// time. Node starts it through dist/capture-media.cjs, a small launcher (src/cli/launch.ts) that
// runs the core from V8's code cache, dist/capture-media-core.cjs.cache, made here by one run of
// `--help` with the flags the module and the shebang use. These three files are what the
// PowerShell module package ships and what the tests run.
//
// - CommonJS, not an ES module: Node 20 compiles one large ES module noticeably slower than the same
//   code as CommonJS (valgrind instruction counts for `--help`: 876 M as ESM, 765 M as CommonJS,
//   701 M unbundled, 501 M for `node -e 0`), and start-up is most of a short command's time.
//   import.meta.url, which CommonJS lacks, is defined from __filename.
// - No code splitting: a dynamic import() of our own modules stays in the file, and esbuild wraps
//   the imported module in a lazy initialiser, so commands, media builders and the logger are still
//   evaluated only when a run needs them.
// - The hash worker is started from source text (new Worker(code, { eval: true })), so it needs no
//   file of its own beside the bundle.
// - The licences of the npm packages inside the bundle go to dist/THIRD-PARTY-NOTICES.txt, which
//   ships beside it (their MIT/ISC/BSD terms ask for the notices to travel with the code).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The file to run: the launcher. */
export const BUNDLE = join(root, 'dist', 'capture-media.cjs');
export const CORE = join(root, 'dist', 'capture-media-core.cjs');
export const CODE_CACHE = `${CORE}.cache`;
export const NOTICES = join(root, 'dist', 'THIRD-PARTY-NOTICES.txt');
/** The node flags of the shebang and of the PowerShell module: the code cache is valid only under them. */
export const NODE_FLAGS = ['--max-semi-space-size=1'];

/** What the core and the launcher are built with. */
const COMMON = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Whitespace and syntax only: identifiers stay, so a stack trace in a log still names functions.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};

export async function bundle() {
  const { metafile } = await build({
    ...COMMON,
    entryPoints: [join(root, 'src', 'cli', 'main.ts')],
    outfile: CORE,
    sourcemap: 'linked',
    metafile: true,
    define: { 'import.meta.url': '__captureMediaBundleUrl' },
    // esbuild keeps main.ts's shebang (and its node flags) as the file's first line, above this.
    // 'use strict' first: the banner would otherwise stand before esbuild's own directive and void it.
    banner: { js: "'use strict';const __captureMediaBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  await build({
    ...COMMON,
    entryPoints: [join(root, 'src', 'cli', 'launch.ts')],
    outfile: BUNDLE,
    banner: { js: `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}` },
  });
  chmodSync(BUNDLE, 0o755);
  rmSync(CODE_CACHE, { force: true });
  execFileSync(process.execPath, [...NODE_FLAGS, BUNDLE, '--help'], { env: { ...process.env, CAPTUREMEDIA_WRITE_CODE_CACHE: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(CODE_CACHE)) throw new Error(`bundle: ${CODE_CACHE} was not written (see the message above)`);
  writeFileSync(NOTICES, thirdPartyNotices(Object.keys(metafile.inputs)));
  return BUNDLE;
}

/** The package folder (node_modules/<name> or node_modules/@scope/<name>) of each bundled input. */
function bundledPackages(inputs) {
  const folders = new Set();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replaceAll('\\', '/'));
    if (match) folders.add(join(root, match[1]));
  }
  return [...folders].sort();
}

function thirdPartyNotices(inputs) {
  const sections = bundledPackages(inputs).map((folder) => {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(folder).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = licenceFile ? readFileSync(join(folder, licenceFile), 'utf8').trim() : `Licence: ${manifest.license ?? 'see the package'}`;
    return `${manifest.name} ${manifest.version} (${manifest.license ?? 'licence in text below'})\n${'-'.repeat(72)}\n${text}\n`;
  });
  return [
    'capture-media bundles the following npm packages into capture-media.cjs.',
    'Their licences follow, each as the package ships it.',
    '',
    ...sections,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundle();
}
