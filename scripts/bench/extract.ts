// Our WIM extraction as a process of its own, for scripts/bench.mjs to time and to measure its
// peak RSS with /usr/bin/time -v (the same work as scripts/bench-wim.ts's `ours`):
//
//   node dist/scripts/bench/extract.js WIM DEST
//
// Extracts the whole boot image (boot index, or 1) of WIM into DEST and prints
// {"files","bytes","ms"}.

import { openWim } from '../../src/wim/index.js';

async function main(argv: string[]): Promise<void> {
  const [wimPath, dest] = argv;
  if (!wimPath || !dest) throw new Error('usage: extract.js WIM DEST');
  const started = performance.now();
  const wim = await openWim(wimPath);
  try {
    const image = await wim.openImage(wim.bootIndex || 1);
    const { files, bytes } = await image.extractTree('', dest);
    process.stdout.write(JSON.stringify({ files, bytes, ms: Math.round(performance.now() - started) }) + '\n');
  } finally {
    await wim.close();
  }
}

await main(process.argv.slice(2));
