// Issue 15 item 6: names and depths the target format cannot hold are refused while planning
// (MediaNameUnsupported, exit 4, naming the file), before anything is written - not found by the
// read-back verify after the whole ISO was written (VerifyFailed, exit 5). Real WIMs made by
// wimlib-imagex from trees holding the bad names.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';
import { snapshot } from './harness.js';

let dir: string;
let cleanup: () => void;
let out: string;

before(() => {
  ({ path: dir, cleanup } = makeTempDir('media-names'));
  out = join(dir, 'out');
  mkdirSync(out);
});
after(() => cleanup());

const deepDirs = 'd1/d2/d3/d4/d5';
const longDirs = Array.from({ length: 4 }, (_, i) => `${String(i).repeat(60)}`).join('/');
const CASES: readonly { what: string; file: string; cd: 'refused' | 'ok'; usb: 'refused' | 'ok' }[] = [
  { what: 'a 65-character name', file: `${'n'.repeat(61)}.txt`, cd: 'refused', usb: 'ok' },
  { what: 'a 64-character name (the Joliet limit)', file: `${'m'.repeat(60)}.txt`, cd: 'ok', usb: 'ok' },
  { what: 'a name with ":"', file: 'a:b.txt', cd: 'refused', usb: 'refused' },
  { what: 'a name with "*"', file: 'a*b.txt', cd: 'refused', usb: 'refused' },
  { what: 'a name with "?"', file: 'a?b.txt', cd: 'refused', usb: 'refused' },
  { what: 'a name with a control character', file: 'a\u0001b.txt', cd: 'refused', usb: 'refused' },
  { what: 'a name with ";"', file: 'a;b.txt', cd: 'refused', usb: 'ok' },
  { what: 'a name ending in a dot', file: 'trailing.', cd: 'refused', usb: 'refused' },
  { what: 'a file 8 folders deep (ISO 9660 holds 7)', file: `${deepDirs}/deep.txt`, cd: 'refused', usb: 'ok' },
  { what: 'a path of 270 characters', file: `${longDirs}/f.txt`, cd: 'refused', usb: 'refused' },
];

describe('names the medium cannot hold (item 6)', () => {
  for (const [i, c] of CASES.entries()) {
    test(`${c.what}: CD/DVD ${c.cd}, UsbImage ${c.usb}`, async () => {
      const wim = makeWinPeWim(join(dir, `wim-${i}`), { extra: { [`sms/bin/x64/${c.file}`]: 100 } });
      for (const [mediaType, expected, ext] of [
        ['cddvd', c.cd, 'iso'],
        ['usbimage', c.usb, 'img'],
      ] as const) {
        const before = snapshot(out);
        const target = join(out, `case-${i}.${ext}`);
        const r = await runCli(['create', '--json', '--media-type', mediaType, '--path', target, '--boot-image', wim]);
        if (expected === 'ok') {
          assert.equal(r.code, 0, `${mediaType}: ${r.stdout} ${r.stderr}`);
          continue;
        }
        const error = (JSON.parse(r.stdout) as { error?: { id: string; target?: string } }).error;
        assert.equal(error?.id, 'MediaNameUnsupported', `${mediaType}: ${r.stdout} ${r.stderr}`);
        assert.equal(r.code, 4);
        assert.ok(error?.target?.endsWith(c.file.split('/').at(-1)!), `the error names the file: ${error?.target}`);
        assert.deepEqual(snapshot(out), before, 'nothing was written');
      }
    });
  }
});
