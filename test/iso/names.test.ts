import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  assignIsoNames,
  assignJolietNames,
  compareIsoNames,
  isoIdentifier,
  mangleIsoName,
  mangleJolietName,
  splitForSort,
  toDCharacters,
} from '../../src/iso/names.js';

describe('primary-tree names (ECMA-119 §7.5, §7.6)', () => {
  it('maps to d-characters: upper case, accents folded, everything else "_"', () => {
    assert.equal(toDCharacters('Ünïcödé-name 1'), 'UNICODE_NAME_1');
    assert.equal(toDCharacters('ファイル'), '____');
  });

  it('files are NAME.EXT;1 with the separator always present, ≤ 30 characters', () => {
    assert.equal(isoIdentifier(mangleIsoName('bootmgr', false)), 'BOOTMGR.;1');
    assert.equal(isoIdentifier(mangleIsoName('boot.wim', false)), 'BOOT.WIM;1');
    assert.equal(isoIdentifier(mangleIsoName('Mixed.Case.Name.tar.gz', false)), 'MIXED_CASE_NAME_TAR.GZ;1');
    assert.equal(isoIdentifier(mangleIsoName('.gitignore', false)), '.GITIGNOR;1');
    const long = mangleIsoName('a'.repeat(50) + '.extension', false);
    assert.equal(long.base.length + (long.ext ?? '').length, 30);
    assert.equal(long.ext, 'EXTENSIO');
  });

  it('directories are ≤ 31 d-characters with no dot', () => {
    assert.deepEqual(mangleIsoName('some.dir', true), { base: 'SOME_DIR', ext: undefined });
    assert.equal(mangleIsoName('x'.repeat(40), true).base.length, 31);
  });

  it('resolves collisions deterministically, keeping the length limits', () => {
    const names = assignIsoNames([
      { name: 'data-file.txt', isDirectory: false },
      { name: 'data_file.txt', isDirectory: false },
      { name: 'DATA FILE.txt', isDirectory: false },
      { name: 'x'.repeat(40), isDirectory: true },
      { name: 'X'.repeat(41), isDirectory: true },
    ]).map(isoIdentifier);
    assert.deepEqual(names, ['DATA_FILE.TXT;1', 'DATA_FILE_1.TXT;1', 'DATA_FILE_2.TXT;1', 'X'.repeat(31), 'X'.repeat(29) + '_1']);
  });
});

describe('Joliet names (Joliet §3)', () => {
  it('keeps case, spaces and unicode; replaces * / : ; ? \\ and control characters', () => {
    assert.equal(mangleJolietName('Ünïcödé ファイル 😀.txt'), 'Ünïcödé ファイル 😀.txt');
    assert.equal(mangleJolietName('a:b;c?d*e\\f\u0001.txt'), 'a_b_c_d_e_f_.txt');
  });

  it('cuts names to 64 UTF-16 units keeping the extension, never splitting a surrogate pair', () => {
    const cut = mangleJolietName('n'.repeat(100) + '.txt');
    assert.equal(cut.length, 64);
    assert.ok(cut.endsWith('.txt'));
    const emoji = mangleJolietName('n'.repeat(59) + '😀😀.txt');
    assert.ok(emoji.length <= 64);
    assert.equal(emoji, 'n'.repeat(59) + '.txt');
  });

  it('de-duplicates case-insensitively after cutting (Windows compares names that way)', () => {
    const base = 'n'.repeat(70);
    assert.deepEqual(assignJolietNames([base + 'A.txt', base + 'B.txt', 'readme', 'README']), [
      'n'.repeat(60) + '.txt',
      'n'.repeat(58) + '_1.txt',
      'readme',
      'README_1',
    ]);
  });
});

describe('ECMA-119 §9.3 ordering', () => {
  it('compares the name part padded with spaces, then the extension', () => {
    const sorted = ['empty dir', 'empty.txt', 'A', 'AB.C', 'A.Z', 'b']
      .map((n) => ({ n, key: splitForSort(n, !n.includes('.')) }))
      .sort((x, y) => compareIsoNames(x.key, y.key))
      .map((x) => x.n);
    assert.deepEqual(sorted, ['A', 'A.Z', 'AB.C', 'b', 'empty.txt', 'empty dir']);
  });
});
