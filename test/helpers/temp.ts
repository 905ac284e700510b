// Temporary folders for tests, under test/.work (gitignored) so a failed run leaves evidence to read.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WORK_ROOT = join(REPO_ROOT, 'test', '.work');

export function makeTempDir(prefix: string): { path: string; cleanup: () => void } {
  mkdirSync(WORK_ROOT, { recursive: true });
  const path = mkdtempSync(join(WORK_ROOT, `${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
