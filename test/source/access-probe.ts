// Run by access.test.ts as an unprivileged user (root reads through chmod 000, so permission
// tests need another uid): opens the content library the way the CLI does and prints one JSON
// line: {"ok":true,...} or the error's id, message and target.
//
//   node --import tsx test/source/access-probe.ts check|find <packageId> <root> [<root> …]

import { CaptureMediaError } from '../../src/errors.js';
import { findBootImage } from '../../src/source/boot-image.js';
import { checkContentLibraryAccess } from '../../src/source/content-library.js';

async function main(argv: readonly string[]): Promise<void> {
  const [mode, packageId, ...roots] = argv;
  try {
    if (mode === 'check') {
      await checkContentLibraryAccess(roots);
      console.log(JSON.stringify({ ok: true, uid: process.getuid?.() }));
    } else {
      const image = await findBootImage(roots, packageId ?? '');
      let bytes = 0;
      for await (const chunk of image.source.stream()) bytes += chunk.length;
      console.log(JSON.stringify({ ok: true, uid: process.getuid?.(), bytes }));
    }
  } catch (error: unknown) {
    if (!(error instanceof CaptureMediaError)) throw error;
    console.log(JSON.stringify({ ok: false, uid: process.getuid?.(), id: error.id, message: error.message, target: error.target }));
  }
}

await main(process.argv.slice(2));
