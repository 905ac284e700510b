#!/usr/bin/env node
// Start-up of the CLI, side by side in one run: `node -e 0` (the floor), what ships
// (dist/capture-media.cjs, the launcher that runs the bundled core from its code cache), and tsc's
// unbundled output (dist/src/cli/main.js, what ran before the bundle), for `--help` and for `create --what-if` on the demo's sample boot image (which reads
// the WIM and plans the media, writing nothing). Rounds alternate between the commands so machine
// load hits all alike; the report gives medians and ratios, and judges the bundle's `--help`
// against its goal (wall time ≤ 1.3× `node -e 0`; `create --what-if` is reported, not judged).
//
// `npm run bench` runs it and puts the table in docs/benchmarks.md. On its own (after `npm run
// build` and `npm run demo`, which makes the sample):
//   node scripts/bench/startup.mjs [--rounds 21] [--instructions] [--write] [--wim FILE]
// --wim plans from another boot image than the demo's (npm run bench passes its 0.5 GiB sample's).
// --instructions also counts each command's instructions once under valgrind (callgrind): the same
// count whatever else the machine is doing, so it settles what a busy machine's timings cannot.
// --write replaces the start-up section of docs/benchmarks.md with this run's table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BEGIN = '<!-- startup:begin (scripts/bench/startup.mjs) -->';
const END = '<!-- startup:end -->';
const CLI_ENV = { ...process.env, CAPTUREMEDIA_NO_LOG: '1' };

function commandsFor(wim, scratch) {
  const bundle = join(root, 'dist', 'capture-media.cjs');
  const unbundled = join(root, 'dist', 'src', 'cli', 'main.js');
  const whatIf = ['create', '--media-type', 'cddvd', '--path', join(scratch, 'x.iso'), '--boot-image', wim, '--what-if'];
  const flags = ['--max-semi-space-size=1'];
  return {
    'node -e 0': [process.execPath, ['-e', '0']],
    'bundle --help': [process.execPath, [...flags, bundle, '--help']],
    'unbundled --help': [process.execPath, [...flags, unbundled, '--help']],
    'bundle create --what-if': [process.execPath, [...flags, bundle, ...whatIf]],
    'unbundled create --what-if': [process.execPath, [...flags, unbundled, ...whatIf]],
  };
}

function timeOnce(file, args) {
  // /usr/bin/time reports the child's own CPU time (user + system): on a busy machine the wall
  // time mostly measures the neighbours, the CPU time mostly the program. The wall time is taken
  // here, to the microsecond: time's own %e has 10 ms steps, too coarse for a 1.3× goal on ~100 ms.
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S', file, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: CLI_ENV, encoding: 'utf8' });
  const wall = performance.now() - started;
  if (run.status !== 0) throw new Error(`startup: ${file} ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const [user, system] = run.stderr.trim().split(/\s+/).slice(-2).map(Number);
  return { wall, cpu: (user + system) * 1000 };
}

function countInstructions(file, args) {
  const run = spawnSync('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null', file, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: CLI_ENV, encoding: 'utf8' });
  const collected = /Collected : (\d+)/.exec(run.stderr ?? '');
  if (!collected) throw new Error(`startup: valgrind did not count ${file} ${args.join(' ')} (is valgrind installed?): ${run.stderr}`);
  return Number(collected[1]) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The goal on `--help`'s wall time, as a multiple of `node -e 0`'s; `create --what-if` has none. */
export const HELP_GOAL = 1.3;

/**
 * Measures, and returns `markdown` (the section, with its markers, for docs/benchmarks.md) and
 * `ratios` (the bundle's wall-time ratios to `node -e 0`, in scripts/bench/report.ts's shape).
 */
export function measureStartup({ wim = join(root, '.demo', 'sample', 'boot.wim'), rounds = 21, instructions = false } = {}) {
  if (!existsSync(wim)) throw new Error(`startup: ${wim} is missing: run \`npm run demo\` first`);
  const scratch = mkdtempSync(join(tmpdir(), 'capture-media-startup-'));
  try {
    const commands = commandsFor(wim, scratch);
    const names = Object.keys(commands);
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    const loadBefore = loadavg()[0];
    for (let round = 0; round < rounds; round += 1) {
      for (const name of round % 2 === 0 ? names : [...names].reverse()) samples[name].push(timeOnce(...commands[name]));
    }
    const wall = Object.fromEntries(names.map((name) => [name, median(samples[name].map((s) => s.wall))]));
    const cpu = Object.fromEntries(names.map((name) => [name, median(samples[name].map((s) => s.cpu))]));
    const counted = instructions ? Object.fromEntries(names.map((name) => [name, countInstructions(...commands[name])])) : undefined;
    const ratio = (table, a, b) => `${(table[a] / table[b]).toFixed(2)}×`;
    const goalRatio = (id, label, name, goal) => ({ id, table: 'goals', label, size: '–', oursMs: wall[name], peerMs: wall['node -e 0'], value: wall[name] / wall['node -e 0'], goal });
    const ratios = [
      goalRatio('startup-help', '`--help` ÷ node -e 0', 'bundle --help', HELP_GOAL),
      goalRatio('startup-what-if', '`create --what-if` ÷ node -e 0', 'bundle create --what-if', undefined),
    ];
    const judged = (r) => (r.goal === undefined ? 'for information, no goal' : r.value <= r.goal ? `goal ≤ ${r.goal}×: **met**` : `goal ≤ ${r.goal}×: **missed**`);
    const lines = [
      BEGIN,
      '## Start-up',
      '',
      `CLI start-up, medians of ${rounds} alternating rounds (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${loadBefore.toFixed(1)} at the start). "bundle" is \`dist/capture-media.cjs\`, what ships (the launcher, running the bundled core from its V8 code cache); "unbundled" is tsc's output with \`node_modules\`, what ran before. \`create --what-if\` reads the sample boot image and plans the ISO, writing nothing. CPU is the process's user + system time (10 ms resolution)${counted ? '; instructions are counted once under valgrind, the same whatever the machine\'s load' : ''}.`,
      '',
      `| command | wall | ÷ node -e 0 | CPU | ÷ node -e 0 |${counted ? ' instructions | ÷ node -e 0 |' : ''}`,
      `|---|---:|---:|---:|---:|${counted ? '---:|---:|' : ''}`,
      ...names.map(
        (name) =>
          `| ${name} | ${wall[name].toFixed(0)} ms | ${ratio(wall, name, 'node -e 0')} | ${cpu[name].toFixed(0)} ms | ${ratio(cpu, name, 'node -e 0')} |${counted ? ` ${counted[name].toFixed(0)} M | ${ratio(counted, name, 'node -e 0')} |` : ''}`,
      ),
      '',
      ...ratios.map((r) => `- Goal, wall time of the bundle: ${r.label} = ${r.value.toFixed(2)}× (${judged(r)})`),
      ...[['wall', wall], ['CPU', cpu], ...(counted ? [['instructions', counted]] : [])].map(
        ([what, table]) => `- bundle ÷ unbundled, ${what}: \`--help\` ${ratio(table, 'bundle --help', 'unbundled --help')}, \`create --what-if\` ${ratio(table, 'bundle create --what-if', 'unbundled create --what-if')}`,
      ),
      END,
    ];
    return { markdown: lines.join('\n'), ratios };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Puts `section` into a benchmarks.md text in place of the previous one, or at the end. */
export function spliceStartup(markdown, section) {
  const begin = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (begin >= 0 && end > begin) return markdown.slice(0, begin) + section + markdown.slice(end + END.length);
  return `${markdown.trimEnd()}\n\n${section}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '21' }, instructions: { type: 'boolean', default: false }, write: { type: 'boolean', default: false }, wim: { type: 'string' } } });
  const { markdown: section } = measureStartup({ rounds: Number(values.rounds), instructions: values.instructions, ...(values.wim ? { wim: values.wim } : {}) });
  console.log(section);
  if (values.write) {
    const doc = join(root, 'docs', 'benchmarks.md');
    writeFileSync(doc, spliceStartup(readFileSync(doc, 'utf8'), section));
    console.log(`startup: wrote the start-up section of ${doc}`);
  }
}
