// The full fixture tree written as a BIOS + UEFI ISO, checked with the real tools a user or a
// mastering engineer would reach for: xorriso, isoinfo (genisoimage), isovfy, 7z — and with our
// own reader. Expected values come from the FileTree; nothing here trusts our reader alone.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readIso, type IsoLayout } from '../../src/iso/index.js';
import {
  BIOS_BOOT_PATH,
  FIXTURE_EMPTY_DIRS,
  LONG_JOLIET_NAME,
  RECORDED_AT,
  UEFI_BOOT_PATH,
  buildFixture,
  isoOptions,
  run,
  sha256File,
  sha256Stream,
  workDir,
  writeIso,
  xorrisoElTorito,
  type Fixture,
} from './fixture.js';

describe('ISO with BIOS + UEFI boot, checked by real tools', () => {
  let dir: string;
  let fixture: Fixture;
  let iso: string;
  let layout: IsoLayout;
  /** Joliet path (joined with "/") -> [tree path on disk, size]. */
  let expected: Map<string, { source: string; sizeBytes: number }>;
  let expectedDirs: Set<string>;

  before(async () => {
    dir = workDir('tools');
    fixture = buildFixture(dir);
    iso = join(dir, 'capture.iso');
    layout = await writeIso(fixture.tree, isoOptions(), iso);
    expected = new Map(
      layout.files.map((f) => [f.jolietPath.join('/'), { source: join(fixture.root, ...f.path), sizeBytes: f.sizeBytes }]),
    );
    expectedDirs = new Set(layout.directories.map((d) => d.jolietPath.join('/')));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every Joliet name the tree gave, except one longer than 64 characters', () => {
    for (const file of layout.files) {
      const name = file.path[file.path.length - 1]!;
      if (name === LONG_JOLIET_NAME) {
        const joliet = file.jolietPath[file.jolietPath.length - 1]!;
        assert.equal(joliet.length, 64);
        assert.ok(joliet.endsWith('.txt'));
      } else {
        assert.deepEqual(file.jolietPath, file.path);
      }
    }
    for (const empty of FIXTURE_EMPTY_DIRS) assert.ok(expectedDirs.has(empty.join('/')), empty.join('/'));
    assert.equal(statSync(iso).size, layout.totalBytes);
  });

  it('xorriso -report_el_torito: BIOS 0x00 and UEFI 0xEF entries, no emulation, load sizes', () => {
    const { images, paths } = xorrisoElTorito(iso);
    assert.equal(images.length, 2);
    const [bios, uefi] = images;
    assert.deepEqual(
      { platform: bios!.platform, bootable: bios!.bootable, emulation: bios!.emulation, loadSegment: bios!.loadSegment, loadSize: bios!.loadSize },
      { platform: 'BIOS', bootable: 'y', emulation: 'none', loadSegment: 0, loadSize: 8 },
    );
    assert.deepEqual(
      { platform: uefi!.platform, bootable: uefi!.bootable, emulation: uefi!.emulation, loadSize: uefi!.loadSize },
      { platform: 'UEFI', bootable: 'y', emulation: 'none', loadSize: fixture.efiSizeBytes / 512 },
    );
    assert.equal(paths.get(1), '/' + BIOS_BOOT_PATH.join('/'));
    assert.equal(paths.get(2), '/' + UEFI_BOOT_PATH.join('/'));
    const biosFile = layout.files.find((f) => f.path.join('/') === BIOS_BOOT_PATH.join('/'))!;
    assert.equal(bios!.lba, biosFile.lba);
  });

  it('xorriso -find lsdl lists exactly our tree and sizes', () => {
    const text = run('xorriso', ['-indev', iso, '-find', '/', '-exec', 'lsdl']).stdout.toString('utf8');
    const files = new Map<string, number>();
    const dirs = new Set<string>();
    for (const line of text.split('\n')) {
      const m = /^([d-])\S+\s+\d+\s+\d+\s+\d+\s+(\d+)\s+\w+\s+\d+\s+\S+\s+'(.*)'$/u.exec(line);
      if (!m) continue;
      const path = m[3]!.replace(/'"'"'/gu, "'").slice(1);
      if (m[1] === 'd') {
        if (path !== '') dirs.add(path);
      } else files.set(path, Number(m[2]));
    }
    assert.deepEqual(new Map([...files].sort()), new Map([...expected].map(([k, v]) => [k, v.sizeBytes] as const).sort()));
    assert.deepEqual([...dirs].sort(), [...expectedDirs].sort());
  });

  it('isoinfo -d reads the volume ids, Joliet level 3 and the El Torito catalog', () => {
    const text = run('isoinfo', ['-d', '-i', iso]).stdout.toString('utf8');
    assert.match(text, /^Volume id: CONFIGURATION_MANAGER$/mu);
    assert.match(text, /^Application id: CAPTURE-MEDIA TEST$/mu);
    assert.match(text, /Joliet with UCS level 3 found/u);
    assert.match(text, /El Torito VD version 1 found/u);
    assert.match(text, new RegExp(`^Volume size is: ${layout.totalSectors}$`, 'mu'));
    assert.match(text, /Nsect 8/u);
  });

  it('isoinfo -l -J lists exactly our tree and sizes', () => {
    // isoinfo prints Joliet names converted to Latin-1; characters beyond it become "_".
    const latin1 = (name: string): string => [...name].map((c) => (c.charCodeAt(0) < 0x100 ? c : '_'.repeat(c.length))).join('');
    const text = run('isoinfo', ['-l', '-J', '-i', iso]).stdout.toString('latin1');
    const files = new Map<string, number>();
    let current = '';
    for (const line of text.split('\n')) {
      const heading = /^Directory listing of \/(.*)$/u.exec(line);
      if (heading) {
        current = heading[1]!;
        continue;
      }
      const m = /^([d-])-{9}\s+\d+\s+\d+\s+\d+\s+(\d+)\s+\w+\s+\d+\s+\d+\s+\[\s*\d+\s+\d+\]\s\s(.*) $/u.exec(line);
      if (!m || m[1] === 'd') continue;
      files.set(current + m[3]!, Number(m[2]));
    }
    const want = new Map([...expected].map(([k, v]) => [latin1(k), v.sizeBytes] as const));
    assert.deepEqual(new Map([...files].sort()), new Map([...want].sort()));
  });

  it('isovfy finds nothing in the primary tree but the hidden (Existence) flag it always reports', () => {
    // isovfy prints (in hex) every record whose flags are other than 0/2 and then omits "No errors found";
    // bit 0 "Existence" is valid ECMA-119 (§9.1.6) and is how Windows sees a hidden file.
    const text = run('isovfy', [iso]).stdout.toString('utf8');
    const findings = text.split('\n').filter((l) => l.trim() !== '' && !/^Root at extent|^\[0 0\]$/u.test(l));
    const hidden = layout.files.find((f) => f.hidden)!;
    assert.deepEqual(findings.map((l) => l.replace(/\s+/gu, ' ').trim()), [`1f: 44 ${hidden.lba.toString(16)} ${hidden.sizeBytes.toString(16)} Flags=(1) RRlen=0`]);
  });

  it('7z l agrees on every path and size, and sees both boot images', () => {
    const text = run('7z', ['l', '-slt', '-sccUTF-8', iso]).stdout.toString('utf8');
    const files = new Map<string, number>();
    const boot: string[] = [];
    for (const block of text.split(/\n\n/u)) {
      const path = /^Path = (.*)$/mu.exec(block)?.[1];
      const folder = /^Folder = (.)$/mu.exec(block)?.[1];
      const size = /^Size = (\d+)$/mu.exec(block)?.[1];
      if (path === undefined || folder !== '-') continue;
      if (path.startsWith('[BOOT]/')) boot.push(path);
      else files.set(path, Number(size));
    }
    assert.deepEqual(new Map([...files].sort()), new Map([...expected].map(([k, v]) => [k, v.sizeBytes] as const).sort()));
    assert.deepEqual(boot.sort(), ['[BOOT]/1-Boot-NoEmul.img', '[BOOT]/2-Boot-NoEmul.img']);
  });

  it('xorriso -osirrox extracts byte-identical files (SHA-256)', async () => {
    const out = join(dir, 'extract');
    mkdirSync(out);
    run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', out]);
    const extracted = new Map<string, string>();
    const walk = async (rel: string[]): Promise<void> => {
      for (const name of readdirSync(join(out, ...rel))) {
        const path = [...rel, name];
        if (statSync(join(out, ...path)).isDirectory()) await walk(path);
        else extracted.set(path.join('/'), await sha256File(join(out, ...path)));
      }
    };
    await walk([]);
    assert.equal(extracted.size, expected.size);
    for (const [path, { source }] of expected) assert.equal(extracted.get(path), await sha256File(source), path);
  });

  it('xorriso -check_media reads every block', () => {
    const text = run('xorriso', ['-indev', iso, '-check_media', '--']).stdout.toString('utf8');
    assert.match(text, new RegExp(`Media region :\\s+0 ,\\s+${layout.totalSectors} , \\+ good`, 'u'));
  });

  it('readIso agrees with the tree, the labels, the boot catalog and every file hash', async () => {
    const image = await readIso(iso);
    assert.equal(image.volumeLabel, 'CONFIGURATION_MANAGER');
    assert.equal(image.jolietLabel, 'Configuration Ma');
    assert.equal(image.tree, 'joliet');
    assert.equal(image.totalSectors, layout.totalSectors);
    assert.deepEqual(image.files.map((f) => f.path.join('/')).sort(), [...expected.keys()].sort());
    assert.deepEqual(image.directories.map((d) => d.join('/')).sort(), [...expectedDirs].sort());
    for (const file of image.files) {
      const want = expected.get(file.path.join('/'))!;
      assert.equal(file.sizeBytes, want.sizeBytes);
      assert.equal(await sha256Stream(image.openFile(file)), await sha256File(want.source), file.path.join('/'));
      const hidden = file.path[file.path.length - 1] === '.hidden-dot-file';
      assert.equal(file.hidden, hidden);
      assert.equal(file.recordedAt.getTime(), hidden ? Date.parse('2001-02-03T04:05:06Z') : RECORDED_AT.getTime());
    }
    assert.equal(image.bootCatalog?.validationPlatformId, 0x00);
    assert.deepEqual(
      image.bootCatalog?.entries.map((e) => [e.platformId, e.bootable, e.mediaType, e.sectorCount, e.path?.join('/')]),
      [
        [0x00, true, 0, 8, BIOS_BOOT_PATH.join('/')],
        [0xef, true, 0, fixture.efiSizeBytes / 512, UEFI_BOOT_PATH.join('/')],
      ],
    );
    const primary = await readIso(iso, { preferPrimary: true });
    assert.equal(primary.tree, 'primary');
    assert.deepEqual(primary.files.map((f) => f.path.join('/')).sort(), layout.files.map((f) => f.isoPath.join('/').replace(/\.?;1$/u, '')).sort());
  });
});
