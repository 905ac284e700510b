// The order in which the ISO and FAT32 writers stream file contents: TreeFile.emitFirst files
// (the boot image, which takes the first extents; the files taken out of it follow, in a side lane when the sink can fork),
// then the tree in its own order, then emitLast files (the manifest, which needs every hash).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFat32Disk } from '../../src/partition/fat32-disk.js';
import type { ContentSource } from '../../src/io/content.js';
import { emitRank, type FileTree, type TreeFile } from '../../src/io/file-tree.js';
import type { ByteSink } from '../../src/io/sink.js';
import { emitIso, planIso } from '../../src/iso/index.js';
import { FIXED_OPTIONS, MIB } from '../fat/fat-fixture.js';

/** A tree whose sources log the order they are streamed in. */
function orderedTree(): { tree: FileTree; streamed: string[]; hints: string[] } {
  const streamed: string[] = [];
  const hints: string[] = [];
  const source = (name: string, sizeBytes: number): ContentSource => ({
    sizeBytes,
    prefetch: () => hints.push(name),
    async *stream() {
      streamed.push(name);
      yield new Uint8Array(sizeBytes).fill(name.charCodeAt(0));
    },
  });
  const files: TreeFile[] = [
    { path: ['boot', 'bcd'], content: source('bcd', 100) },
    { path: ['manifest.json'], content: source('manifest', 10), emitLast: true },
    { path: ['sms', 'bin', 'x64', 'tsmbootstrap.exe'], content: source('tsm', 3000) },
    { path: ['sources', 'boot.wim'], content: source('wim', 5000), emitFirst: true },
    { path: ['autorun.inf'], content: source('autorun', 20) },
  ];
  return { tree: { files }, streamed, hints };
}

class NullSink implements ByteSink {
  position = 0;
  async write(chunk: Uint8Array): Promise<void> {
    this.position += chunk.length;
  }
  async skip(count: number): Promise<void> {
    this.position += count;
  }
  async writeAt(): Promise<void> {}
}

describe('emit order of file contents', () => {
  it('emitRank: first -1, plain 0, last 1 (last wins if a file says both)', () => {
    assert.equal(emitRank({ emitFirst: true }), -1);
    assert.equal(emitRank({}), 0);
    assert.equal(emitRank({ emitLast: true }), 1);
    assert.equal(emitRank({ emitFirst: true, emitLast: true }), 1);
  });

  it('ISO: the emitFirst file gets the first extent and is streamed first; emitLast last', async () => {
    const { tree, streamed } = orderedTree();
    const layout = planIso(tree, { volumeLabel: 'ORDER', jolietLabel: 'Order', recordedAt: FIXED_OPTIONS.recordedAt });
    await emitIso(layout, new NullSink());
    assert.equal(streamed[0], 'wim');
    assert.equal(streamed.at(-1), 'manifest');
    assert.deepEqual([...streamed].sort(), ['autorun', 'bcd', 'manifest', 'tsm', 'wim']);
    const extents = layout.regions.filter((r) => r.kind === 'file').map((r) => (r.kind === 'file' ? r.file.path.join('/') : ''));
    assert.equal(extents[0], 'sources/boot.wim');
    assert.equal(extents.at(-1), 'manifest.json');
  });

  it('FAT32: the emitFirst file gets the first clusters and is streamed first; emitLast last', async () => {
    const { tree, streamed } = orderedTree();
    await writeFat32Disk(tree, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB }, new NullSink());
    assert.equal(streamed[0], 'wim');
    assert.equal(streamed.at(-1), 'manifest');
    assert.equal(streamed.length, 5);
  });

  it('both writers hint every file but the first before they stream it (read-ahead), each once', async () => {
    const check = (streamed: string[], hints: string[]): void => {
      assert.deepEqual(hints, streamed.slice(1), 'hinted in the order they are then streamed');
    };
    const iso = orderedTree();
    await emitIso(planIso(iso.tree, { volumeLabel: 'ORDER', jolietLabel: 'Order', recordedAt: FIXED_OPTIONS.recordedAt }), new NullSink());
    check(iso.streamed, iso.hints);
    const fat = orderedTree();
    await writeFat32Disk(fat.tree, { ...FIXED_OPTIONS, diskSizeBytes: 64 * MIB }, new NullSink());
    check(fat.streamed, fat.hints);
  });
});
