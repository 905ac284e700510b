// The FAT12/FAT16 reader for El Torito UEFI images, on images made by mkfs.fat + mtools (the
// same recipe as the sample's efisys.bin), and on hostile ones:
//   fat32          a FAT32 volume: refused (reader.ts reads those)
//   truncated      the image cut inside the FAT
//   loop           a file's cluster chain pointing back at itself
//   bad-geometry   0 sectors per cluster
//   random         random bytes
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { CaptureMediaError } from '../../src/errors.js';
import { readSmallFatVolume } from '../../src/fat/small-volume.js';
import { makeTempDir } from '../helpers/temp.js';
import { xorshiftBytes } from '../helpers/xorshift.js';

let dir: string;
let cleanup: () => void;
const payload = Buffer.from(xorshiftBytes(150_000, 42));

before(() => {
  ({ path: dir, cleanup } = makeTempDir('small-fat'));
  writeFileSync(join(dir, 'payload.efi'), payload);
});
after(() => cleanup());

async function image(name: string, mkfs: string[]): Promise<string> {
  const path = join(dir, name);
  await execa('mkfs.fat', [...mkfs, '-C', path, '2880']);
  await execa('mmd', ['-i', path, '::/EFI', '::/EFI/BOOT']);
  await execa('mcopy', ['-i', path, join(dir, 'payload.efi'), '::/EFI/BOOT/BOOTX64.EFI']);
  return path;
}

const mediaInvalid = (pattern: RegExp) => (e: unknown) => e instanceof CaptureMediaError && e.id === 'MediaInvalid' && pattern.test(e.message);

describe('readSmallFatVolume', () => {
  for (const [bits, flags] of [
    [12, ['-F', '12']],
    [16, ['-F', '16', '-s', '1']],
  ] as const) {
    test(`FAT${bits} image from mkfs.fat: \\EFI\\BOOT\\BOOTX64.EFI byte for byte`, async () => {
      const volume = readSmallFatVolume(readFileSync(await image(`fat${bits}.img`, [...flags])));
      assert.equal(volume.fatBits, bits);
      assert.deepEqual(volume.files.map((f) => f.path), [['EFI', 'BOOT', 'BOOTX64.EFI']]);
      assert.ok(Buffer.from(volume.files[0]!.readBytes()).equals(payload));
    });
  }

  test('fat32, truncated, loop, bad-geometry and random bytes end in MediaInvalid', async () => {
    const fat32 = join(dir, 'fat32.img');
    await execa('mkfs.fat', ['-F', '32', '-C', fat32, '70000']);
    assert.throws(() => readSmallFatVolume(readFileSync(fat32)), mediaInvalid(/not a FAT12\/FAT16|FAT32/));

    const good = readFileSync(await image('good.img', ['-F', '12']));
    assert.throws(() => readSmallFatVolume(good.subarray(0, 1024)), mediaInvalid(/do not fit|past the end/));

    const loop = Buffer.from(good);
    // FAT12 entry for the file's first cluster -> itself. The file starts at the first free data
    // cluster after the two directories (EFI = 2, BOOT = 3), so cluster 4: entry 4 is at 6 bytes.
    const fat = loop.readUInt16LE(0x0e) * 512;
    loop.writeUInt16LE((loop.readUInt16LE(fat + 6) & 0xf000) | 4, fat + 6);
    assert.throws(() => readSmallFatVolume(loop), mediaInvalid(/reached twice/));

    const geometry = Buffer.from(good);
    geometry[0x0d] = 0;
    assert.throws(() => readSmallFatVolume(geometry), mediaInvalid(/impossible geometry/));

    for (let seed = 1; seed <= 50; seed++) {
      try {
        readSmallFatVolume(xorshiftBytes(1440 * 1024, seed));
      } catch (e: unknown) {
        assert.ok(e instanceof CaptureMediaError && e.id === 'MediaInvalid', `seed ${seed}: ${String(e)}`);
      }
    }
  });
});
