import assert from 'node:assert/strict';
import { mkdir, open, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeContentLibrary } from '../../scripts/make-content-library.js';
import { IntegrityError } from '../../src/errors.js';
import { STREAM_CHUNK_BYTES } from '../../src/io/content.js';
import { findBootImage, listBootImages } from '../../src/source/boot-image.js';
import { checkContentLibraryAccess, openContentLibrary } from '../../src/source/content-library.js';
import { hashCheckedSource } from '../../src/source/hash-checked-source.js';
import { bytesOf, drain, isError, scratch } from './fixture.js';

const MODIFIED = new Date(Date.UTC(2025, 2, 14, 9, 30, 15, 123));
// Sizes at the edges of the 1 MiB read size: one byte over, so the last read is a single byte.
const WIM = bytesOf(STREAM_CHUNK_BYTES + 1, 7);
const DLL = bytesOf(4096, 8);
const TXT = Buffer.from('label=Configuration Manager\r\n');

let work: { dir: string; cleanup: () => Promise<void> };
before(async () => {
  work = await scratch('cl');
});
after(async () => {
  await work.cleanup();
});

let counter = 0;
function fresh(name: string): string {
  counter += 1;
  return join(work.dir, `${counter}-${name}`);
}

describe('getPackage', () => {
  it('reads a package whose FileLib is split over two roots', async () => {
    const root = fresh('main');
    const root2 = fresh('e-drive');
    await makeContentLibrary({
      root,
      splitFileLib: root2,
      packageId: 'PS100010',
      files: [
        { bytes: WIM, name: 'boot.PS100010.wim', modified: MODIFIED },
        { bytes: DLL, name: 'sms\\bin\\x64\\TsManager.dll', modified: MODIFIED, attributes: 0x21 },
        { bytes: TXT, name: 'sms/data/notes.txt', modified: MODIFIED },
      ],
    });
    const library = await openContentLibrary([root, root2]);
    const pkg = await library.getPackage('ps100010');
    assert.equal(pkg.packageId, 'PS100010');
    assert.equal(pkg.contentId, 'PS100010.1');
    assert.equal(pkg.version, 1);
    assert.equal(pkg.root, root);
    assert.deepEqual(
      pkg.files.map((f) => f.relativePath.join('\\')),
      ['boot.PS100010.wim', 'sms\\bin\\x64\\TsManager.dll', 'sms\\data\\notes.txt'],
    );
    const [wim, dll, txt] = pkg.files as [typeof pkg.files[0], typeof pkg.files[0], typeof pkg.files[0]];
    assert.ok(wim.blobPath.startsWith(root2), 'blob 0 lives on the second root');
    assert.ok(dll.blobPath.startsWith(root + '/'), 'blob 1 lives on the first root');
    assert.ok(txt.blobPath.startsWith(root2));
    assert.equal(wim.sizeBytes, WIM.length);
    assert.match(wim.sha256, /^[0-9A-F]{64}$/);
    assert.equal(dll.attributes, 0x21);
    assert.equal(txt.attributes, 0x20);
    assert.equal(wim.modified.getTime(), MODIFIED.getTime());

    assert.deepEqual(await drain(library.source(pkg, wim).stream()), WIM);
    assert.deepEqual(await drain(library.source(pkg, dll).stream()), DLL);
    assert.deepEqual(await drain(library.source(pkg, txt).stream()), TXT);
  });

  it('reads UTF-16LE INIs, lower-case hashes and lower-case folder names', async () => {
    for (const variant of [{ utf16: true }, { lowercaseHash: true }, { lowercaseHash: true, lowercaseFolders: true, utf16: true }]) {
      const root = fresh('variant');
      const made = await makeContentLibrary({ root, packageId: 'ps100011', files: [{ bytes: WIM, name: 'boot.PS100011.wim' }], ...variant });
      const image = await findBootImage([root], 'PS100011');
      assert.equal(image.wimFile.sha256, made.files[0]!.sha256, JSON.stringify(variant));
      assert.equal(image.wimFile.blobPath, made.files[0]!.blobPath);
      assert.deepEqual(await drain(image.source.stream()), WIM);
    }
  });

  it('picks the highest content version, comparing numerically', async () => {
    const root = fresh('versions');
    for (const [version, seed] of [
      [2, 1],
      [10, 2],
      [9, 3],
    ] as const) {
      await makeContentLibrary({ root, packageId: 'PS100012', version, files: [{ bytes: bytesOf(1000, seed), name: 'boot.PS100012.wim' }] });
    }
    const image = await findBootImage([root], 'PS100012');
    assert.equal(image.contentId, 'PS100012.10');
    assert.equal(image.version, 10);
    assert.deepEqual(await drain(image.source.stream()), bytesOf(1000, 2));
  });

  it('refuses traversal and reserved names in DataLib, naming the file', async () => {
    for (const hostile of ['..\\..\\x', 'C:x', 'CON', 'aux.txt', 'name.', '\\\\server\\share\\x']) {
      const root = fresh('hostile');
      await makeContentLibrary({ root, packageId: 'PS100013', files: [{ bytes: TXT, name: 'ok.txt' }] });
      const ini = join(root, 'DataLib', 'PS100013.1', `${hostile}.INI`);
      await rename(join(root, 'DataLib', 'PS100013.1', 'ok.txt.INI'), ini);
      const library = await openContentLibrary([root]);
      await assert.rejects(library.getPackage('PS100013'), isError('ContentLibraryInvalid', ini, 'cannot be used'), hostile);
    }
    // A folder name is checked the same way.
    const root = fresh('hostile-dir');
    await makeContentLibrary({ root, packageId: 'PS100013', files: [{ bytes: TXT, name: 'C:evil\\ok.txt' }] });
    await assert.rejects(
      (await openContentLibrary([root])).getPackage('PS100013'),
      isError('ContentLibraryInvalid', join(root, 'DataLib', 'PS100013.1', 'C:evil'), 'drive letter'),
    );
  });

  it('refuses a symbolic link inside DataLib', async () => {
    const root = fresh('symlink');
    await makeContentLibrary({ root, packageId: 'PS100014', files: [{ bytes: TXT, name: 'ok.txt' }] });
    const { symlink } = await import('node:fs/promises');
    const link = join(root, 'DataLib', 'PS100014.1', 'escape');
    await symlink('/etc', link);
    await assert.rejects((await openContentLibrary([root])).getPackage('PS100014'), isError('ContentLibraryInvalid', link, 'symbolic link'));
  });

  it('refuses a malformed [File] entry naming the INI', async () => {
    const root = fresh('badini');
    await makeContentLibrary({ root, packageId: 'PS100015', files: [{ bytes: TXT, name: 'ok.txt' }] });
    const ini = join(root, 'DataLib', 'PS100015.1', 'ok.txt.INI');
    await writeFile(ini, '[File]\r\nSize=29\r\nHash=XYZ\r\n');
    await assert.rejects((await openContentLibrary([root])).getPackage('PS100015'), isError('ContentLibraryInvalid', ini, 'Hash=XYZ'));
    await writeFile(ini, '[File]\r\nSize=-1\r\nHash=' + 'A'.repeat(64) + '\r\n');
    await assert.rejects((await openContentLibrary([root])).getPackage('PS100015'), isError('ContentLibraryInvalid', ini, 'Size=-1'));
  });

  it('missing package: BootImageNotFound listing every root searched', async () => {
    const root = fresh('a');
    const root2 = fresh('b');
    await makeContentLibrary({ root, splitFileLib: root2, packageId: 'PS100016', files: [{ bytes: TXT, name: 'x.txt' }] });
    await mkdir(join(root2, 'PkgLib'));
    await assert.rejects(
      findBootImage([root, root2], 'PS1FFFFF'),
      isError('BootImageNotFound', 'PS1FFFFF', join(root, 'PkgLib'), join(root2, 'PkgLib')),
    );
  });

  it('malformed package id: InvalidParameter', async () => {
    const root = fresh('id');
    await makeContentLibrary({ root, packageId: 'PS100017', files: [{ bytes: TXT, name: 'x.txt' }] });
    for (const id of ['PS10004', 'PS1000G4', '../PS100017', 'PS100017.1', '']) {
      await assert.rejects(findBootImage([root], id), isError('InvalidParameter'), id);
    }
  });

  it('missing DataLib entry: ContentLibraryInvalid naming it', async () => {
    const root = fresh('nodatalib');
    await makeContentLibrary({ root, packageId: 'PS100018', files: [{ bytes: TXT, name: 'x.txt' }] });
    await rm(join(root, 'DataLib', 'PS100018.1'), { recursive: true });
    await assert.rejects(findBootImage([root], 'PS100018'), isError('ContentLibraryInvalid', 'PS100018.1', join(root, 'DataLib', 'PS100018.1')));
  });

  it('missing FileLib blob: ContentLibraryInvalid naming the file and the hash', async () => {
    const root = fresh('noblob');
    const made = await makeContentLibrary({ root, packageId: 'PS100019', files: [{ bytes: WIM, name: 'boot.PS100019.wim' }] });
    await rm(made.files[0]!.blobPath);
    await assert.rejects(
      findBootImage([root], 'PS100019'),
      isError('ContentLibraryInvalid', 'boot.PS100019.wim', made.files[0]!.sha256, 'FileLib blob'),
    );
  });

  it('a blob whose size differs from DataLib: ContentHashMismatch before anything streams', async () => {
    const root = fresh('short');
    const made = await makeContentLibrary({ root, packageId: 'PS10001A', files: [{ bytes: WIM, name: 'boot.PS10001A.wim' }] });
    await truncate(made.files[0]!.blobPath, 100);
    await assert.rejects(findBootImage([root], 'PS10001A'), isError('ContentHashMismatch', made.files[0]!.blobPath, `${WIM.length} bytes`));
  });

  it('refuses two entries that differ only in case', async () => {
    const root = fresh('dupcase');
    await makeContentLibrary({ root, packageId: 'PS10001B', files: [{ bytes: TXT, name: 'a.txt' }, { bytes: DLL, name: 'A.TXT' }] });
    await assert.rejects((await openContentLibrary([root])).getPackage('PS10001B'), isError('ContentLibraryInvalid', 'differ only in case'));
  });
});

describe('case-insensitive names', () => {
  it('prefers the exact name and refuses names that differ only in case', async () => {
    const root = fresh('case');
    await makeContentLibrary({ root, packageId: 'PS100023', files: [{ bytes: TXT, name: 'boot.PS100023.wim' }] });
    // A second, empty "pkglib" beside "PkgLib": the exact spelling wins.
    await mkdir(join(root, 'pkglib'));
    assert.equal((await findBootImage([root], 'PS100023')).contentId, 'PS100023.1');
    // Two spellings, neither exact: ambiguous, refused.
    await rename(join(root, 'PkgLib'), join(root, 'PKGLIB'));
    await assert.rejects(findBootImage([root], 'PS100023'), isError('ContentLibraryInvalid', 'differ only in case', 'PKGLIB', 'pkglib'));
  });
});

describe('make-content-library CLI', () => {
  it('builds a library the reader accepts', async () => {
    const { execFileSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const repo = fileURLToPath(new URL('../..', import.meta.url));
    const root = fresh('cli');
    const root2 = fresh('cli2');
    const wim = fresh('boot.wim');
    await writeFile(wim, WIM);
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/make-content-library.ts', '--root', root, '--package', 'PKG00001', '--version', '1', '--version', '4',
        '--file', `${wim}=boot.PKG00001.wim`, '--utf16', '--lowercase-hash', '--split-filelib', root2],
      { cwd: repo, encoding: 'utf8' },
    );
    const made = JSON.parse(out) as { contentIds: string[] };
    assert.deepEqual(made.contentIds, ['PKG00001.1', 'PKG00001.4']);
    const image = await findBootImage([root, root2], 'PKG00001');
    assert.equal(image.contentId, 'PKG00001.4');
    assert.deepEqual(await drain(image.source.stream()), WIM);
  });
});

describe('hashCheckedSource', () => {
  it('one flipped byte: streaming throws ContentHashMismatch naming package, file and blob', async () => {
    const root = fresh('flip');
    const made = await makeContentLibrary({ root, packageId: 'PS100020', files: [{ bytes: WIM, name: 'boot.PS100020.wim' }] });
    const image = await findBootImage([root], 'PS100020');
    const handle = await open(made.files[0]!.blobPath, 'r+');
    await handle.write(Buffer.from([WIM[STREAM_CHUNK_BYTES - 5]! ^ 0x01]), 0, 1, STREAM_CHUNK_BYTES - 5);
    await handle.close();
    let bytes = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of image.source.stream()) bytes += chunk.length;
      })(),
      (e: unknown) => {
        isError('ContentHashMismatch', 'PS100020', 'boot.PS100020.wim', made.files[0]!.blobPath)(e);
        assert.ok(e instanceof IntegrityError);
        assert.equal(e.expected, made.files[0]!.sha256);
        assert.match(e.actual, /^[0-9A-F]{64}$/);
        assert.notEqual(e.actual, e.expected);
        return true;
      },
    );
    assert.equal(bytes, WIM.length, 'the verdict comes after the single streaming pass');
  });

  it('a blob shorter or longer than announced is a mismatch', async () => {
    const root = fresh('sizes');
    const made = await makeContentLibrary({ root, packageId: 'PS100021', files: [{ bytes: DLL, name: 'x.dll' }] });
    const { blobPath, sha256 } = made.files[0]!;
    const label = { packageId: 'PS100021', file: 'x.dll' };
    await assert.rejects(drain(hashCheckedSource(blobPath, DLL.length + 1, sha256, label).stream()), isError('ContentHashMismatch', 'shorter', blobPath));
    await assert.rejects(drain(hashCheckedSource(blobPath, DLL.length - 1, sha256, label).stream()), isError('ContentHashMismatch', 'longer', blobPath));
    assert.deepEqual(await drain(hashCheckedSource(blobPath, DLL.length, sha256.toLowerCase(), label).stream()), DLL);
  });

  it('stops with Cancelled when the signal fires', async () => {
    const root = fresh('abort');
    const made = await makeContentLibrary({ root, packageId: 'PS100022', files: [{ bytes: WIM, name: 'boot.PS100022.wim' }] });
    const controller = new AbortController();
    const source = hashCheckedSource(made.files[0]!.blobPath, WIM.length, made.files[0]!.sha256, { packageId: 'PS100022', file: 'boot.PS100022.wim' });
    await assert.rejects(
      (async () => {
        for await (const chunk of source.stream(controller.signal)) {
          assert.ok(chunk.length > 0);
          controller.abort();
        }
      })(),
      isError('Cancelled'),
    );
  });
});

describe('boot images', () => {
  it('findBootImage refuses a package that is not a single boot.<id>.wim', async () => {
    const root = fresh('notboot');
    await makeContentLibrary({ root, packageId: 'PS100030', files: [{ bytes: TXT, name: 'setup.exe' }, { bytes: DLL, name: 'x.dll' }] });
    await assert.rejects(findBootImage([root], 'PS100030'), isError('BootImageNotFound', 'PS100030', 'boot.PS100030.wim', '2 files', 'setup.exe'));
    const root2 = fresh('wrongname');
    await makeContentLibrary({ root: root2, packageId: 'PS100031', files: [{ bytes: WIM, name: 'boot.PS100099.wim' }] });
    await assert.rejects(findBootImage([root2], 'PS100031'), isError('BootImageNotFound', 'boot.PS100031.wim'));
  });

  it('listBootImages finds only boot image packages, across roots', async () => {
    const root = fresh('list');
    const root2 = fresh('list2');
    await makeContentLibrary({ root, splitFileLib: root2, packageId: 'PS100040', files: [{ bytes: WIM, name: 'boot.PS100040.wim' }] });
    await makeContentLibrary({ root, packageId: 'PS100041', version: [1, 2], files: [{ bytes: DLL, name: 'BOOT.ps100041.WIM' }] });
    await makeContentLibrary({ root, packageId: 'PS100042', files: [{ bytes: TXT, name: 'setup.exe' }] });
    await makeContentLibrary({ root, packageId: 'PS100043', files: [{ bytes: TXT, name: 'boot.PS100043.wim' }, { bytes: DLL, name: 'extra.dll' }] });
    // Not a package INI: ignored.
    await writeFile(join(root, 'PkgLib', 'desktop.ini'), '[.ShellClassInfo]\r\n');

    const images = await listBootImages([root, root2]);
    assert.deepEqual(
      images.map((i) => [i.packageId, i.contentId, i.version, i.sizeBytes]),
      [
        ['PS100040', 'PS100040.1', 1, WIM.length],
        ['PS100041', 'PS100041.2', 2, DLL.length],
      ],
    );
    assert.ok(images[0]!.blobPath.startsWith(root2));
  });

  it('listBootImages: a damaged boot image fails the listing unless onSkipped is given; damaged others are passed over', async () => {
    const root = fresh('listbad');
    await makeContentLibrary({ root, packageId: 'PS100050', files: [{ bytes: WIM, name: 'boot.PS100050.wim' }] });
    const broken = await makeContentLibrary({ root, packageId: 'PS100051', files: [{ bytes: DLL, name: 'boot.PS100051.wim' }] });
    await makeContentLibrary({ root, packageId: 'PS100052', files: [{ bytes: TXT, name: 'other.txt' }] });
    await rm(broken.files[0]!.blobPath);
    await rm(join(root, 'DataLib', 'PS100052.1'), { recursive: true });

    await assert.rejects(listBootImages([root]), isError('ContentLibraryInvalid', broken.files[0]!.sha256));
    const skipped: string[] = [];
    const images = await listBootImages([root], { onSkipped: (id, error) => skipped.push(`${id}:${error.id}`) });
    assert.deepEqual(
      images.map((i) => i.packageId),
      ['PS100050'],
    );
    assert.deepEqual(skipped, ['PS100051:ContentLibraryInvalid', 'PS100052:ContentLibraryInvalid']);
  });
});

describe('checkContentLibraryAccess', () => {
  it('refuses a root that does not exist, naming it', async () => {
    const missing = fresh('missing');
    await assert.rejects(checkContentLibraryAccess([missing]), isError('ContentLibraryUnreadable', missing, 'does not exist', 'Read access'));
  });

  it('refuses a folder that is not a content library', async () => {
    const empty = fresh('empty');
    await mkdir(empty);
    await assert.rejects(checkContentLibraryAccess([empty]), isError('ContentLibraryUnreadable', empty, 'not a content library'));
  });

  it('accepts a FileLib-only root next to a full one, but not alone', async () => {
    const root = fresh('full');
    const root2 = fresh('filelib-only');
    await makeContentLibrary({ root, splitFileLib: root2, packageId: 'PS100060', files: [{ bytes: TXT, name: 'x.txt' }] });
    await checkContentLibraryAccess([root, root2]);
    await assert.rejects(checkContentLibraryAccess([root2]), isError('ContentLibraryUnreadable', 'PkgLib', 'DataLib'));
  });

  it('openContentLibrary with no roots is an argument error', async () => {
    await assert.rejects(openContentLibrary([]), isError('InvalidParameter'));
  });
});
