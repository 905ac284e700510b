import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaptureMediaError } from '../../src/errors.js';
import { assertSafeName, unsafeNameReason } from '../../src/source/safe-name.js';

describe('safe library names', () => {
  it('accepts ordinary Windows file names', () => {
    for (const name of ['boot.PS100004.wim', 'TsmBootstrap.ini', 'a b.txt', '.hidden', 'x..y', 'CONSOLE.txt', 'COM10', 'nul_file', 'Grüße.txt']) {
      assert.equal(unsafeNameReason(name), undefined, name);
    }
  });

  it('refuses traversal, rooted, drive, UNC, device and malformed names', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['.', /itself or its parent/],
      ['..', /itself or its parent/],
      ['..\\..\\x', /separator/],
      ['../x', /separator/],
      ['/etc', /separator/],
      ['\\\\server\\share', /separator/],
      ['C:x', /drive letter/],
      ['c:', /drive letter/],
      ['file:stream', /not allow/],
      ['a?b', /not allow/],
      ['a\u0001b', /control/],
      ['a\0b', /NUL/],
      ['CON', /device/],
      ['con.txt', /device/],
      ['Nul', /device/],
      ['AUX .log', /device/],
      ['COM1', /device/],
      ['lpt9.dat', /device/],
      ['trailing.', /dot or a space/],
      ['trailing ', /dot or a space/],
      ['x'.repeat(256), /longer/],
    ];
    for (const [name, pattern] of cases) {
      const reason = unsafeNameReason(name);
      assert.ok(reason && pattern.test(reason), `${JSON.stringify(name)}: ${reason}`);
    }
  });

  it('assertSafeName throws ContentLibraryInvalid naming the source file', () => {
    assert.throws(
      () => assertSafeName('..', '/lib/DataLib/PS100004.1/...INI'),
      (e: unknown) => e instanceof CaptureMediaError && e.id === 'ContentLibraryInvalid' && e.message.includes('/lib/DataLib/PS100004.1/...INI'),
    );
  });
});
