// Shared by the WIM tests: builds the fixtures once (scripts/make-wim-fixtures.sh, wimlib-imagex)
// into test/.work/wim/, and small helpers to compare trees and build WIMs by hand.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
export const FIXTURES = join(root, 'test/.work/wim');

let built = false;
/** Build the fixtures (a no-op when they are already complete) and return their directory. */
export function wimFixtures(): string {
  if (!built) {
    execFileSync('bash', [join(root, 'scripts/make-wim-fixtures.sh'), FIXTURES], { stdio: ['ignore', 'ignore', 'inherit'] });
    built = true;
  }
  return FIXTURES;
}

/** Relative file paths (with '/') and their bytes, below a directory. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      if (statSync(full).isDirectory()) {
        out.set(`${r}/`, Buffer.alloc(0));
        walk(full, r);
      } else out.set(r, readFileSync(full));
    }
  };
  walk(dir, '');
  return out;
}
