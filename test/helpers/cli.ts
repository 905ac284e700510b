// Runs the real CLI: with CAPTUREMEDIA_TEST_DIST=1 (what `npm test` sets, after `npm run build`) the
// core that ships, dist/capture-media.cjs (the launcher of the bundle); else the TypeScript source
// through tsx.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './temp.js';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function cliCommand(): string[] {
  const built = join(REPO_ROOT, 'dist', 'capture-media.cjs');
  if (process.env.CAPTUREMEDIA_TEST_DIST === '1' && existsSync(built)) return [built];
  return ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts')];
}

export function runCli(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliCommand(), ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, CAPTUREMEDIA_NO_LOG: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}
