// Copying media files onto a mounted folder (a volume's root): each file through a temporary name
// and a rename, with read-ahead and progress. Used by -NoFormat and by Windows USB drives after
// diskpart has made their volume.

import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { throwIfAborted } from '../errors.js';
import { AtomicOutput } from './atomic-output.js';
import { checkedStream } from './content.js';
import type { TreeFile } from './file-tree.js';
import { ProgressMeter, type ProgressListener } from './progress.js';
import { ReadAhead } from './read-ahead.js';

/**
 * Copy files onto a mounted folder in order (the media's manifest is last), each through a
 * temporary name and a rename, so a reader never sees a half-written file under its real name.
 */
export async function copyFilesOntoFolder(
  root: string,
  files: readonly TreeFile[],
  options: { signal?: AbortSignal; onProgress?: ProgressListener },
): Promise<void> {
  const totalBytes = files.reduce((sum, f) => sum + f.content.sizeBytes, 0);
  const meter = new ProgressMeter('write', totalBytes, options.onProgress, `Copying onto ${root}`);
  meter.start();
  const readAhead = new ReadAhead(files.map((f) => f.content));
  for (const [index, f] of files.entries()) {
    throwIfAborted(options.signal);
    readAhead.at(index);
    const target = join(root, ...f.path);
    await mkdir(dirname(target), { recursive: true });
    const out = await AtomicOutput.create(target);
    try {
      for await (const chunk of checkedStream(f.content, f.path.join('\\'), options.signal)) {
        await out.sink.write(chunk);
        meter.add(chunk.length);
      }
      await out.commit();
    } finally {
      await out.discard();
    }
  }
  meter.finish();
}
