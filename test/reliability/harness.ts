// Shared pieces of the reliability suite (docs/reliability.md): fixtures big enough that a run lasts
// about a second, a bridge driver that timestamps every NDJSON event and can fire a signal on a
// chosen one, and "nothing changed" snapshots of an output folder.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cliCommand } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/temp.js';
import { makeWinPeWim } from '../helpers/wim-fixture.js';

export const MiB = 1024 * 1024;

/** ~80 MB of media from a ~2.4 MB WIM: 12 compressible 6 MiB payloads (a run lasts ~1-2 s). */
export function makeBigWim(dir: string, arch = 9): string {
  return makeWinPeWim(dir, {
    arch,
    compressible: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`sms/bin/x64/pkg${i}/payload${i}.bin`, 6 * MiB])),
  });
}

export interface BridgeEventLine {
  readonly at: number;
  readonly event: { type: string; phase?: string; percent?: number; id?: string; level?: string; message?: string; data?: Record<string, unknown> };
}

export interface BridgeRun {
  readonly child: ChildProcess;
  readonly events: BridgeEventLine[];
  /** Resolves with the exit code and signal once the process has exited and stdout is drained. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Resolves with the first event matching `pred` (or undefined when the process ends first). */
  waitFor(pred: (e: BridgeEventLine['event']) => boolean): Promise<BridgeEventLine | undefined>;
}

/** Start `capture-media bridge` with one request line; stdin stays open (closing it cancels). */
export function startBridge(request: object, env: NodeJS.ProcessEnv = {}): BridgeRun {
  const child = spawn(process.execPath, [...cliCommand(), 'bridge'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CAPTUREMEDIA_NO_LOG: '1', SOURCE_DATE_EPOCH: '1764000000', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const started = Date.now();
  const events: BridgeEventLine[] = [];
  const waiters: { pred: (e: BridgeEventLine['event']) => boolean; resolve: (e: BridgeEventLine | undefined) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() === '') continue;
      const entry: BridgeEventLine = { at: Date.now() - started, event: JSON.parse(line) as BridgeEventLine['event'] };
      events.push(entry);
      for (const w of [...waiters]) {
        if (w.pred(entry.event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(entry);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin!.on('error', () => undefined); // EPIPE when the child is already gone
  child.stdin!.write(`${JSON.stringify({ protocol: 1, ...request })}\n`);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) w.resolve(undefined);
      resolve({ code, signal, stderr });
    });
  });
  return {
    child,
    events,
    done,
    waitFor: (pred) => {
      const hit = events.find((e) => pred(e.event));
      if (hit) return Promise.resolve(hit);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(undefined);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

/** Run the bridge to completion with stdin held open until the end; returns events and exit code. */
export async function runBridge(request: object, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; events: BridgeEventLine['event'][]; stderr: string }> {
  const run = startBridge(request, env);
  const { code, stderr } = await run.done;
  return { code, events: run.events.map((e) => e.event), stderr };
}

export const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A folder's listing with each file's size and hash: compare before/after for "nothing changed". */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const s = statSync(full);
      if (s.isDirectory()) {
        out[`${prefix}${name}/`] = 'dir';
        walk(full, `${prefix}${name}/`);
      } else out[`${prefix}${name}`] = `${s.size}:${sha256(full)}`;
    }
  };
  walk(dir, '');
  return out;
}

export const tempFilesIn = (dir: string): string[] => readdirSync(dir).filter((n) => /\.capture-media-(?:[0-9a-f]{8}-)?\d+-[0-9a-f]{8}\.(tmp|bak)$|^\.capture-media-set\..*\.journal$/.test(n));

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
