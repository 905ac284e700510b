// WIMs holding driver INFs, laid out as in a Windows image (Windows\INF, the driver store), made
// with the real wimlib-imagex from a folder the test writes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const INF_DIR = 'Windows/INF';
export const STORE_DIR = 'Windows/System32/DriverStore/FileRepository';

export interface DriverFile {
  /** Published name in Windows\INF (oem3.inf, net1ic64.inf); omit for a store-only package. */
  readonly published?: string;
  /** Store folder name (e.g. e2f68.inf_amd64_1a2b3c4d5e6f7a8b); omit for no store copy. */
  readonly store?: string;
  readonly content: string | Uint8Array;
}

/** Write the INFs under `dir/tree` and capture them (plus `extra` files) into `dir/<name>`. */
export function makeDriverWim(dir: string, files: readonly DriverFile[], options: { arch?: number; name?: string; version?: string; extra?: Readonly<Record<string, string | Uint8Array>> } = {}): string {
  const tree = join(dir, `${options.name ?? 'drivers'}-tree`);
  const write = (path: string, content: string | Uint8Array) => {
    const full = join(tree, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  };
  mkdirSync(join(tree, INF_DIR), { recursive: true });
  for (const f of files) {
    if (f.published) write(`${INF_DIR}/${f.published}`, f.content);
    if (f.store) write(`${STORE_DIR}/${f.store}/${f.store.split('_')[0]}`, f.content);
  }
  for (const [path, content] of Object.entries(options.extra ?? {})) write(path, content);
  const wim = join(dir, `${options.name ?? 'drivers'}.wim`);
  const [major, minor, build] = (options.version ?? '10.0.26100').split('.');
  execFileSync(
    'wimlib-imagex',
    [
      'capture', tree, wim, 'Microsoft Windows PE', '--compress=XPRESS', '--boot',
      '--image-property', `WINDOWS/ARCH=${options.arch ?? 9}`,
      '--image-property', `WINDOWS/VERSION/MAJOR=${major}`,
      '--image-property', `WINDOWS/VERSION/MINOR=${minor}`,
      '--image-property', `WINDOWS/VERSION/BUILD=${build}`,
    ],
    { stdio: 'ignore' },
  );
  return wim;
}
