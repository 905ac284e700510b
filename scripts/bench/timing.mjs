// How scripts/bench.mjs times a command: shell helpers, the page-cache drop, one timed run under
// GNU time (wall clock and peak RSS), the alternating rounds and the median.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Quotes one word for sh/bash. */
export const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

export function sh(cmd, options = {}) {
  return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
}

/** sh(), or '' when the command fails: for describing the machine, where a gap is harmless. */
export function tryShell(cmd) {
  try {
    return sh(cmd);
  } catch {
    return '';
  }
}

/** Drops the page cache (needs root and a writable /proc/sys/vm); returns whether it worked. */
export function dropCaches() {
  return spawnSync('sh', ['-c', 'sync && echo 3 > /proc/sys/vm/drop_caches'], { stdio: 'ignore' }).status === 0;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Returns `timed(cmd, outputs)`: clears `outputs`, drops the page cache (when `cold`), then runs
 * `bash -o pipefail -c 'cmd && sync'` under /usr/bin/time and returns { ms, rssBytes }.
 * bash with pipefail so that a yardstick pipeline (dd | openssl) fails when its reader fails;
 * the shell costs the same few milliseconds on both sides. %M is the peak RSS of the largest
 * process in the tree, which for ours is the node process.
 */
export function makeTimer({ scratch, env, cold }) {
  const rssFile = join(scratch, 'rss.txt');
  return function timed(cmd, outputs) {
    for (const o of outputs) rmSync(o, { recursive: true, force: true });
    if (cold) dropCaches();
    else spawnSync('sync');
    const started = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, 'bash', '-o', 'pipefail', '-c', `${cmd} && sync`], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 2 ** 20,
    });
    const ms = performance.now() - started;
    if (r.status !== 0) throw new Error(`bench: exit ${r.status}: ${cmd}\n${r.stdout}\n${r.stderr}`);
    const rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    return { ms, rssBytes: rssKiB * 1024 };
  };
}

/**
 * Runs every case of every group once per round, forward on even rounds and backward on odd ones
 * (A/B then B/A), so a trend in machine load does not favour either side. Returns id -> runs.
 */
export function runRounds({ groups, cases, rounds, timed, log }) {
  const runs = new Map();
  for (let round = 0; round < rounds; round++) {
    for (const group of groups) {
      const order = round % 2 === 0 ? group.ids : [...group.ids].reverse();
      for (const id of order) {
        const r = timed(cases[id].cmd, cases[id].outputs);
        if (!runs.has(id)) runs.set(id, []);
        runs.get(id).push(r);
        log(`round ${round + 1}/${rounds} ${id}: ${Math.round(r.ms)} ms, rss ${(r.rssBytes / 1e6).toFixed(0)} MB`);
      }
    }
  }
  return runs;
}
