// Boot variants (BIOS-only, UEFI-only, none, a UEFI image past 0xFFFF sectors), the boot info
// table against xorriso's, determinism, size limits, planning errors, cancellation, and readIso
// on images made by xorriso and genisoimage.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureMediaError } from '../../src/errors.js';
import { fileSource } from '../../src/io/content.js';
import type { FileTree } from '../../src/io/file-tree.js';
import { FileSink } from '../../src/io/sink.js';
import { emitIso, planIso, readBootInfoTable, readIso, SECTOR_BYTES } from '../../src/iso/index.js';
import {
  BIOS_BOOT_PATH,
  HashSink,
  UEFI_BOOT_PATH,
  buildFixture,
  hugeSource,
  isoOptions,
  memorySource,
  patternBytes,
  run,
  sha256File,
  sha256Stream,
  workDir,
  writeIso,
  xorrisoElTorito,
} from './fixture.js';

const isError = (id: string) => (e: unknown) => e instanceof CaptureMediaError && e.id === id;

describe('ISO variants', () => {
  let dir: string;
  before(() => {
    dir = workDir('variants');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('BIOS-only: one default entry, platform 0x00, validation platform 0x00', async () => {
    const fixture = buildFixture(join(dir, 'bios'), { uefi: false, extra: false });
    const iso = join(dir, 'bios.iso');
    await writeIso(fixture.tree, isoOptions({ bootUefi: undefined, bootBios: { path: BIOS_BOOT_PATH, loadSectors: 4 } }), iso);
    const { images } = xorrisoElTorito(iso);
    assert.deepEqual(images.map((i) => [i.platform, i.emulation, i.loadSize]), [['BIOS', 'none', 4]]);
    const image = await readIso(iso);
    assert.equal(image.bootCatalog?.validationPlatformId, 0x00);
    assert.deepEqual(image.bootCatalog?.entries.map((e) => e.path?.join('/')), [BIOS_BOOT_PATH.join('/')]);
  });

  it('UEFI-only: the default entry is UEFI and the validation entry says 0xEF', async () => {
    const fixture = buildFixture(join(dir, 'uefi'), { bios: false, extra: false });
    const iso = join(dir, 'uefi.iso');
    await writeIso(fixture.tree, isoOptions({ bootBios: undefined }), iso);
    const { images } = xorrisoElTorito(iso);
    assert.deepEqual(images.map((i) => [i.platform, i.emulation, i.loadSize]), [['UEFI', 'none', fixture.efiSizeBytes / 512]]);
    const image = await readIso(iso);
    assert.equal(image.bootCatalog?.validationPlatformId, 0xef);
    assert.equal(image.bootCatalog?.entries.length, 1);
    assert.deepEqual(image.bootCatalog?.entries[0]?.path, [...UEFI_BOOT_PATH]);
  });

  it('no boot options: no Boot Record, Joliet SVD at sector 17', async () => {
    const fixture = buildFixture(join(dir, 'plain'), { bios: false, uefi: false });
    const iso = join(dir, 'plain.iso');
    const layout = await writeIso(fixture.tree, isoOptions({ bootBios: undefined, bootUefi: undefined }), iso);
    assert.deepEqual(layout.regions.slice(0, 3).map((r) => [r.kind, r.lba]), [
      ['volumeDescriptor', 16],
      ['volumeDescriptor', 17],
      ['terminator', 18],
    ]);
    const image = await readIso(iso);
    assert.equal(image.bootCatalog, undefined);
    assert.equal(image.files.length, fixture.tree.files.length);
    assert.match(run('isoinfo', ['-d', '-i', iso]).stdout.toString('utf8'), /Joliet with UCS level 3 found/u);
  });

  it('a UEFI image over 0xFFFF sectors gets load size 0, as xorriso writes', async () => {
    const big = join(dir, 'big-efisys.bin');
    writeFileSync(big, patternBytes('efi', 4096));
    truncateSync(big, 40 * 1024 * 1024);
    const tree: FileTree = { files: [{ path: UEFI_BOOT_PATH, content: fileSource(big, 40 * 1024 * 1024) }] };
    const layout = planIso(tree, isoOptions({ bootBios: undefined }));
    assert.equal(layout.bootImages[0]?.entry.sectorCount, 0);
  });

  it('boot info table matches what xorriso -boot-info-table writes', async () => {
    const fixture = buildFixture(join(dir, 'bit'), { uefi: false, extra: false });
    const ours = join(dir, 'bit-ours.iso');
    const layout = await writeIso(fixture.tree, isoOptions({ bootUefi: undefined, bootBios: { path: BIOS_BOOT_PATH, bootInfoTable: true } }), ours);
    assert.deepEqual(layout.patchedFiles, [[...BIOS_BOOT_PATH]]);
    const theirs = join(dir, 'bit-xorriso.iso');
    run('xorriso', ['-as', 'mkisofs', '-quiet', '-o', theirs, '-b', BIOS_BOOT_PATH.join('/'), '-no-emul-boot', '-boot-load-size', '8', '-boot-info-table', '-no-pad', fixture.root]);
    const read = async (iso: string): Promise<Uint8Array> => {
      const image = await readIso(iso, { preferPrimary: iso === theirs });
      const entry = image.bootCatalog!.entries[0]!;
      const bytes = readFileSync(iso).subarray(entry.lba * SECTOR_BYTES, entry.lba * SECTOR_BYTES + 4096);
      return new Uint8Array(bytes);
    };
    const a = await read(ours);
    const b = await read(theirs);
    const ta = readBootInfoTable(a);
    const tb = readBootInfoTable(b);
    assert.deepEqual({ ...ta, fileLba: 0 }, { ...tb, fileLba: 0 });
    assert.equal(ta.pvdLba, 16);
    assert.equal(ta.fileLba, layout.bootImages[0]?.entry.loadLba);
    assert.deepEqual(a.subarray(24), b.subarray(24));
    const source = patternBytes('etfsboot', 4096);
    assert.deepEqual(a.subarray(64), source.subarray(64));
    assert.deepEqual(a.subarray(0, 8), source.subarray(0, 8));
  });

  it('is deterministic: two emits of the same plan inputs give identical bytes', async () => {
    const fixture = buildFixture(join(dir, 'det'));
    const emitOnce = async (reverse: boolean): Promise<string> => {
      const tree: FileTree = { files: reverse ? [...fixture.tree.files].reverse() : fixture.tree.files, directories: fixture.tree.directories };
      const sink = new HashSink();
      await emitIso(planIso(tree, isoOptions()), sink);
      return sink.digest();
    };
    assert.equal(await emitOnce(false), await emitOnce(true));
    const path = join(dir, 'det.iso');
    await writeIso(fixture.tree, isoOptions(), path);
    assert.equal(await sha256File(path), await emitOnce(false));
  });

  it('reports progress bytes adding up to the total, relative to a sink already at an offset', async () => {
    const tree: FileTree = { files: [{ path: ['a.txt'], content: memorySource(patternBytes('a', 5000)) }] };
    const layout = planIso(tree, isoOptions({ bootBios: undefined, bootUefi: undefined }));
    const sink = new HashSink();
    await sink.write(new Uint8Array(512)); // as if an MBR came first
    let total = 0;
    await emitIso(layout, sink, { onBytes: (n) => (total += n) });
    assert.equal(total, layout.totalBytes);
    assert.equal(sink.position, 512 + layout.totalBytes);
  });

  it('a ≥ 4 GiB file is refused with FileTooLargeForMedia naming it, before anything is emitted', () => {
    const tree: FileTree = {
      files: [
        { path: ['sources', 'boot.wim'], content: hugeSource(5 * 1024 ** 3) },
        { path: ['ok.bin'], content: hugeSource(0xffffffff) },
      ],
    };
    assert.throws(
      () => planIso(tree, isoOptions({ bootBios: undefined, bootUefi: undefined })),
      (e: unknown) => isError('FileTooLargeForMedia')(e) && (e as CaptureMediaError).target === 'sources/boot.wim',
    );
    const layout = planIso({ files: [tree.files[1]!] }, isoOptions({ bootBios: undefined, bootUefi: undefined }));
    assert.equal(layout.files[0]?.sizeBytes, 0xffffffff);
    assert.equal(layout.totalSectors, 16 + 3 + 4 + 2 + Math.ceil(0xffffffff / SECTOR_BYTES));
  });

  it('refuses bad labels, missing boot files, duplicate paths, file/directory clashes', () => {
    const files = [{ path: ['a.txt'], content: memorySource(new Uint8Array(3)) }];
    const plain = { bootBios: undefined, bootUefi: undefined };
    assert.throws(() => planIso({ files }, isoOptions({ ...plain, volumeLabel: 'lower case' })), isError('LabelInvalid'));
    assert.throws(() => planIso({ files }, isoOptions({ ...plain, volumeLabel: 'X'.repeat(33) })), isError('LabelInvalid'));
    assert.throws(() => planIso({ files }, isoOptions({ ...plain, jolietLabel: 'x'.repeat(17) })), isError('LabelInvalid'));
    assert.throws(() => planIso({ files }, isoOptions({ bootUefi: undefined })), isError('BootFilesMissing'));
    assert.throws(() => planIso({ files: [...files, ...files] }, isoOptions(plain)), isError('InvalidParameter'));
    assert.throws(() => planIso({ files, directories: [['a.txt']] }, isoOptions(plain)), isError('InvalidParameter'));
    assert.throws(() => planIso({ files: [{ path: ['..', 'x'], content: memorySource(new Uint8Array(1)) }] }, isoOptions(plain)), isError('InvalidParameter'));
    assert.throws(
      () => planIso({ files: [{ path: BIOS_BOOT_PATH, content: memorySource(new Uint8Array(32)) }] }, isoOptions({ bootUefi: undefined, bootBios: { path: BIOS_BOOT_PATH, bootInfoTable: true } })),
      isError('InvalidParameter'),
    );
  });

  it('finds boot files case-insensitively', () => {
    const tree: FileTree = { files: [{ path: ['BOOT', 'EtfsBoot.com'], content: memorySource(new Uint8Array(2048)) }] };
    const layout = planIso(tree, isoOptions({ bootUefi: undefined }));
    assert.deepEqual(layout.bootImages[0]?.path, ['BOOT', 'EtfsBoot.com']);
  });

  it('stops with Cancelled when aborted, and WriteFailed when a source is short', async () => {
    const controller = new AbortController();
    controller.abort();
    const tree: FileTree = { files: [{ path: ['a.txt'], content: memorySource(new Uint8Array(10)) }] };
    const layout = planIso(tree, isoOptions({ bootBios: undefined, bootUefi: undefined }));
    await assert.rejects(emitIso(layout, new HashSink(), { signal: controller.signal }), isError('Cancelled'));
    const short: FileTree = { files: [{ path: ['a.txt'], content: { sizeBytes: 10, async *stream() { yield new Uint8Array(4); } } }] };
    await assert.rejects(emitIso(planIso(short, isoOptions({ bootBios: undefined, bootUefi: undefined })), new HashSink()), isError('WriteFailed'));
  });

  it('streams file content without buffering it: 1 GiB through the emitter barely moves memory', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(7);
    const sizeBytes = 1024 * chunk.length + 5;
    const big = {
      sizeBytes,
      async *stream() {
        for (let i = 0; i < 1024; i++) yield chunk;
        yield chunk.subarray(0, 5);
      },
    };
    const layout = planIso({ files: [{ path: ['sources', 'boot.wim'], content: big }] }, isoOptions({ bootBios: undefined, bootUefi: undefined }));
    let written = 0;
    const sink = { get position() { return written; }, async write(c: Uint8Array) { written += c.length; } };
    const before = process.memoryUsage();
    let peak = 0;
    await emitIso(layout, sink, { onBytes: () => (peak = Math.max(peak, process.memoryUsage.rss())) });
    assert.equal(written, layout.totalBytes);
    assert.ok(peak - before.rss < 128 * 1024 * 1024, `RSS grew by ${(peak - before.rss) / 1048576} MiB`);
  });

  it('readIso joins a multi-extent file (ECMA-119 §6.5.1: records with bit 7 set, then the last one)', async () => {
    const a = patternBytes('part-a', 4096);
    const b = patternBytes('part-b', 5000);
    const tree: FileTree = { files: [{ path: ['m', 'a.bin'], content: memorySource(a) }, { path: ['m', 'b.bin'], content: memorySource(b) }] };
    const layout = planIso(tree, isoOptions({ bootBios: undefined, bootUefi: undefined }));
    const fa = layout.files.find((f) => f.path[1] === 'a.bin')!;
    const fb = layout.files.find((f) => f.path[1] === 'b.bin')!;
    // Hand-edit the Joliet directory of /m so both extents belong to one file "x.bin".
    const regions = layout.regions.map((r) => {
      if (r.kind !== 'directory' || r.tree !== 'joliet' || r.path.join('/') !== 'm') return r;
      const id = (s: string): Uint8Array => new Uint8Array([...s].flatMap((c) => [0, c.charCodeAt(0)]));
      const [self, parent, first, second] = r.records;
      return {
        ...r,
        records: [self!, parent!, { ...first!, identifier: id('x.bin'), flags: 0x80, extentLba: fa.lba, dataLengthBytes: fa.sizeBytes }, { ...second!, identifier: id('x.bin'), flags: 0, extentLba: fb.lba, dataLengthBytes: fb.sizeBytes }],
      };
    });
    const path = join(dir, 'multi.iso');
    rmSync(path, { force: true });
    const sink = await FileSink.create(path);
    await emitIso({ ...layout, regions }, sink);
    await sink.close();
    const image = await readIso(path);
    const x = image.files.find((f) => f.path.join('/') === 'm/x.bin');
    assert.ok(x);
    assert.equal(image.files.length, 1);
    assert.equal(x.sizeBytes, a.length + b.length);
    assert.deepEqual(x.extents, [{ lba: fa.lba, sizeBytes: 4096 }, { lba: fb.lba, sizeBytes: 5000 }]);
    const joined = new Uint8Array([...a, ...b]);
    assert.equal(await sha256Stream(image.openFile(x)), await sha256Stream((async function* () { yield joined; })()));
  });

  it('readIso reads images made by xorriso and genisoimage (Joliet) the same way', async () => {
    const fixture = buildFixture(join(dir, 'interop'), { uefi: false });
    const genisoimage = join(dir, 'genisoimage.iso');
    const xorriso = join(dir, 'xorriso.iso');
    mkdirSync(join(fixture.root, 'empty dir'), { recursive: true });
    run('genisoimage', ['-quiet', '-J', '-joliet-long', '-iso-level', '3', '-D', '-input-charset', 'utf-8', '-V', 'GENISO', '-o', genisoimage, fixture.root]);
    run('xorriso', ['-as', 'mkisofs', '-quiet', '-J', '-joliet-long', '-joliet-utf16', '-V', 'XORRISO', '-o', xorriso, fixture.root]);
    for (const [path, label] of [
      [genisoimage, 'GENISO'],
      [xorriso, 'XORRISO'],
    ] as const) {
      const image = await readIso(path);
      assert.equal(image.volumeLabel, label);
      assert.equal(image.tree, 'joliet');
      // genisoimage knows only the UCS-2 BMP: it cuts a name at its first astral character (😀),
      // so that one file is left out of the comparison for it.
      const comparable = (path: readonly string[]): boolean => label === 'XORRISO' || !path.join('/').startsWith('names/Ünïcödé');
      const files = image.files.filter((f) => comparable(f.path));
      assert.deepEqual(
        files.map((f) => f.path.join('/')).sort(),
        fixture.tree.files.filter((f) => comparable(f.path)).map((f) => f.path.join('/')).sort(),
        label,
      );
      for (const file of files) {
        assert.equal(await sha256Stream(image.openFile(file)), await sha256File(join(fixture.root, ...file.path)), file.path.join('/'));
      }
    }
  });
});
