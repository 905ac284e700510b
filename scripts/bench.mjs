#!/usr/bin/env node
// npm run bench  (= npm run build && node scripts/bench.mjs)  — goals and results in docs/benchmarks.md.
//
// Measures what users feel, side by side in one run on the same inputs: every case of a group
// runs once per round, forward then backward on alternate rounds (A/B, B/A, so drift in machine
// load hits both sides alike); medians and ratios against the goals go to docs/benchmarks.md and
// docs/benchmarks.svg, raw numbers to .bench/results.json.
//
//   node scripts/bench.mjs [--rounds 5] [--sizes 0.5,2] [--large] [--warm] [--keep]
//                          [--only create,verify,tree,extract,startup] [--no-report] [--rerender]
//
//   --rounds N   timed rounds per case (default 5, minimum 3)
//   --sizes LIST boot-image sizes of the create group, in GiB: 0.5 and/or 2 (default both; a quick
//                run takes --sizes 0.5). The verify, tree and extract groups always use 0.5.
//   --large      also measure the peak RSS of each of our commands on a ~4 GiB boot.wim (one run
//                each; the sample is built once and cached)
//   --warm       do not drop the page cache between runs (default: drop it when permitted)
//   --only LIST  measure only these groups (the report then holds only their rows)
//   --keep       keep the scratch folder .bench/run
//   --no-report  print the report, do not rewrite docs/
//   --rerender   measure nothing: write docs/ again from the last run (.bench/results.json) with
//                the current texts of scripts/bench/misses.json
//
// Needs: wimlib-imagex, xorriso, mkfs.fat, mtools (mcopy), sfdisk, dd, openssl, bash, GNU time
// at /usr/bin/time. Everything it makes lives under .bench/ (gitignored): the samples
// (.bench/sample-0.5g, sample-2g, sample-4g; built by scripts/bench/sample.ts when missing,
// reused while the generator's inputs match) and the scratch folder .bench/run.
//
// What is timed, each as `bash -o pipefail -c 'COMMAND && sync'` under /usr/bin/time (wall
// clock measured here, %M the peak RSS), cold page cache unless --warm. Group "create", for
// each size S (0.5 GiB: boot.wim 536,597,538 B; 2 GiB: 2,147,212,448 B):
//   iso.ours@S         capture-media create --media-type cddvd … --no-verify
//   usb.ours@S         capture-media create --media-type usbimage … --no-verify
//   cp@S               cp WIM out   (the yardstick: the disk's pace for the boot image's bytes)
//   usb.mtools@S       truncate + sfdisk (MBR, 1 MiB offset) + mkfs.fat -F 32 --offset 2048 + mcopy -s
//   iso.ours.verify@S, usb.ours.verify@S   the same builds with the default read-back verify
// Group "verify" (on an ISO and a UsbImage of the 0.5 GiB sample, built once untimed):
//   verify.iso, verify.img   capture-media verify --path X
//   dd.iso, dd.img           dd if=X iflag=direct bs=4M | openssl dgst -sha256   (the yardstick)
// Group "tree" (the older comparisons, 0.5 GiB): iso.floor = cp -r of our ISO's file tree,
//   iso.xorriso = cp -r of it + xorriso -as mkisofs. Group "extract": wim.ours (our WIM reader,
//   dist/scripts/bench/extract.js) vs wim.wimlib (wimlib-imagex apply). Group "startup":
//   scripts/bench/startup.mjs (`node -e 0`, `--help`, `create --what-if` on the 0.5 GiB WIM).
// The USB peer and the tree peers read our media's exact file trees (taken out of our own media
// untimed), with sources/boot.wim a hard link to the FileLib blob our build reads.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeCommands, ratioDefs, sizeLabel } from './bench/cases.mjs';
import { describeMachine, describeMethod } from './bench/method.mjs';
import { dropCaches, makeTimer, median, runRounds, sh } from './bench/timing.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const dist = join(root, 'dist');
const benchDir = join(root, '.bench');
const scratch = join(benchDir, 'run');
const cli = join(dist, 'capture-media.cjs');
const RSS_GOAL = 150e6;
const GROUPS = ['create', 'verify', 'tree', 'extract', 'startup'];
// The project's goals on ours ÷ `cp WIM && sync`, by boot-image size.
const SIZES = {
  0.5: { tag: '0.5g', dir: 'sample-0.5g', payloadMiB: 459, cpGoal: 1.3 },
  2: { tag: '2g', dir: 'sample-2g', payloadMiB: 1995, cpGoal: 1.15 },
};
const LARGE = { tag: '4g', dir: 'sample-4g', payloadMiB: 4030 };
/** Our commands in the peak-RSS table: id, label, the group that measures it. */
const RSS_COMMANDS = [
  ['iso.ours', 'ISO, write only', 'create'],
  ['iso.ours.verify', 'ISO, default (verify)', 'create'],
  ['usb.ours', 'UsbImage, write only', 'create'],
  ['usb.ours.verify', 'UsbImage, default (verify)', 'create'],
  ['verify.iso', 'verify, ISO', 'verify'],
  ['verify.img', 'verify, UsbImage', 'verify'],
  ['wim.ours', 'WIM extraction', 'extract'],
];

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

function readOptions() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      sizes: { type: 'string', default: '0.5,2' },
      large: { type: 'boolean', default: false },
      warm: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      only: { type: 'string', default: GROUPS.join(',') },
      'no-report': { type: 'boolean', default: false },
      rerender: { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`bench: --rounds ${values.rounds} is not a whole number of rounds; pass e.g. --rounds 5 (3 at least are run)`);
  const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
  const sizes = list(values.sizes);
  for (const s of sizes) if (!(s in SIZES)) throw new Error(`bench: --sizes ${values.sizes}: ${s} is not a sample size; pass 0.5, 2 or 0.5,2`);
  const only = new Set(list(values.only));
  for (const g of only) if (!GROUPS.includes(g)) throw new Error(`bench: --only ${values.only}: ${g} is not a group; pass some of ${GROUPS.join(',')}`);
  return { rounds: Math.max(3, rounds), sizes: sizes.map((s) => SIZES[s]), only, large: values.large, warm: values.warm, keep: values.keep, report: !values['no-report'], rerender: values.rerender };
}

function checkTools() {
  if (!existsSync(cli)) throw new Error(`bench: ${cli} missing: run "npm run bench" (it builds first)`);
  for (const tool of ['wimlib-imagex', 'xorriso', 'mkfs.fat', 'mcopy', 'sfdisk', 'dd', 'openssl', 'bash']) {
    try {
      sh(`command -v ${tool}`);
    } catch {
      throw new Error(`bench needs ${tool} on PATH (scripts/setup.sh installs it)`);
    }
  }
  if (!existsSync('/usr/bin/time')) throw new Error('bench needs GNU time at /usr/bin/time (apt-get install time)');
}

/** Median, runs and peak RSS of every case that ran. */
function summarize(runs, cases) {
  return [...runs].map(([id, rs]) => ({
    id,
    label: cases[id].label,
    runsMs: rs.map((r) => r.ms),
    medianMs: median(rs.map((r) => r.ms)),
    peakRssBytes: Math.max(...rs.map((r) => r.rssBytes)),
  }));
}

function ratiosFrom(statById, sizes) {
  return ratioDefs(sizes.map((s) => ({ tag: s.tag, size: sizeLabel(s.sample), cpGoal: s.cpGoal })))
    .filter((d) => statById.has(d.ours) && statById.has(d.peer))
    .map(({ ours, peer, ...d }) => {
      const oursMs = statById.get(ours).medianMs;
      const peerMs = statById.get(peer).medianMs;
      return { ...d, oursMs, peerMs, value: oursMs / peerMs };
    });
}

/**
 * The peak-RSS table: each of our commands (of the groups measured) at each size. Where the
 * rounds ran a command its peak over them is used; the others run once here (verify and WIM
 * extraction above 0.5 GiB, everything on the --large sample).
 */
function measureRss({ statById, samples, only, commands, timed, createRanAt }) {
  const rows = [];
  for (const { tag, sample } of samples) {
    const roundId = (id, group) => (group === 'create' ? `${id}@${tag}` : tag === '0.5g' ? id : undefined);
    const wanted = RSS_COMMANDS.filter(([, , group]) => only.has(group));
    const missing = wanted.filter(([id, , group]) => !statById.has(roundId(id, group)));
    let media;
    if (missing.some(([id]) => id.startsWith('verify.'))) {
      // verify needs media: the rounds' last builds at this size, else the builds run below, else its own.
      if (createRanAt(tag)) media = { iso: join(scratch, `ours-${tag}.iso`), img: join(scratch, `ours-${tag}.img`) };
      else if (!only.has('create')) media = commands.buildMedia(sample, tag);
    }
    const extra = commands.rssCommands(sample, tag, media);
    for (const [id, label, group] of wanted) {
      const stat = statById.get(roundId(id, group));
      if (stat) {
        rows.push({ label, contentBytes: sample.wimBytes, peakRssBytes: stat.peakRssBytes, goalBytes: RSS_GOAL, runs: stat.runsMs.length });
        continue;
      }
      const r = timed(extra[id].cmd, extra[id].outputs);
      log(`peak RSS, ${tag} ${id}: ${Math.round(r.ms)} ms, rss ${(r.rssBytes / 1e6).toFixed(0)} MB`);
      rows.push({ label, contentBytes: sample.wimBytes, peakRssBytes: r.rssBytes, goalBytes: RSS_GOAL, runs: 1 });
    }
  }
  return rows;
}

/** The text between two markers of the current docs/benchmarks.md, markers included, or ''. */
function keptSection(markdown, begin, end) {
  const from = markdown.indexOf(begin);
  const to = markdown.indexOf(end, from);
  return from >= 0 && to > from ? markdown.slice(from, to + end.length) : '';
}

function writeDocs({ markdown, startupSection, panels }) {
  const mdPath = join(root, 'docs/benchmarks.md');
  const old = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : '';
  // The start-up section is this run's, or the previous one when --only left start-up out; the
  // driver inventory section (scripts/bench-drivers.ts maintains it) stays at the end.
  const startup = startupSection ?? keptSection(old, '<!-- startup:begin', '<!-- startup:end -->');
  const drivers = keptSection(old, '<!-- bench-drivers -->', '<!-- /bench-drivers -->');
  const text = [markdown.trimEnd(), startup, drivers].filter(Boolean).join('\n\n') + '\n';
  writeFileSync(mdPath, text);
  writeFileSync(join(root, 'docs/benchmarks.svg'), panels);
  log('wrote docs/benchmarks.md and docs/benchmarks.svg');
}

/** --rerender: the last run's measurements (.bench/results.json) written again with today's texts. */
async function rerender() {
  const render = await import(join(dist, 'scripts/bench/report.js'));
  const report = JSON.parse(readFileSync(join(benchDir, 'results.json'), 'utf8'));
  const texts = JSON.parse(readFileSync(join(root, 'scripts/bench/misses.json'), 'utf8'));
  report.timeNotes = render.explainMisses(report.ratios, report.rss, texts);
  writeFileSync(join(benchDir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
  const title = `capture-media benchmarks (${report.date.slice(0, 10)}, ${cpus().length} CPUs)`;
  writeDocs({ markdown: render.renderMarkdown(report, texts.overview), startupSection: undefined, panels: render.renderSvg(render.chartPanels(report), title) });
}

async function main() {
  const options = readOptions();
  if (options.rerender) return rerender();
  checkTools();
  const { buildSample } = await import(join(dist, 'scripts/bench/sample.js'));
  const render = await import(join(dist, 'scripts/bench/report.js'));

  const cold = !options.warm && dropCaches();
  if (!options.warm && !cold) log('cannot drop the page cache (not root, or /proc/sys/vm read-only): measuring warm-cache runs');

  mkdirSync(benchDir, { recursive: true });
  // boot.wim ≈ payload + ~53 MiB of boot files and 2,000 small files (LZX).
  const sampleFor = async (spec) => ({ ...spec, sample: await buildSample({ dir: join(benchDir, spec.dir), payloadMiB: spec.payloadMiB }) });
  const small = await sampleFor(SIZES[0.5]);
  const sized = [];
  for (const spec of options.sizes) sized.push(spec.tag === small.tag ? small : await sampleFor(spec));
  const large = options.large ? await sampleFor(LARGE) : undefined;
  for (const s of new Set([small, ...sized, ...(large ? [large] : [])])) log(`sample ${s.tag}: ${s.sample.wimPath} (${s.sample.wimBytes} B)`);

  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    await measureAndReport(options, { cold, small, sized, large, render });
  } finally {
    // Gigabytes of media and copies: gone unless asked to stay, even when a command failed.
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Prepares, runs the rounds, measures peak RSS and start-up, and writes the report. */
async function measureAndReport(options, { cold, small, sized, large, render }) {
  const env = { ...process.env, CAPTUREMEDIA_NO_LOG: '1', TMPDIR: scratch };
  const commands = makeCommands({ cli, extractJs: join(dist, 'scripts/bench/extract.js'), scratch, env });
  const timed = makeTimer({ scratch, env, cold });
  const { only } = options;

  // Untimed preparation, then the groups of cases.
  const cases = {};
  const groups = [];
  const staged = new Map();
  const stage = (s, withIso) => {
    log(`staging the peers' trees from our own ${s.tag} media (untimed)`);
    const st = commands.stageFromOurs(s.sample, s.tag, withIso);
    log(`USB tree: ${st.usbFiles} files, image ${st.imageBytes} B${withIso ? `; ISO tree: ${st.isoFiles} files` : ''}`);
    staged.set(s.tag, st);
    return st;
  };
  if (only.has('create')) {
    for (const s of sized) {
      const group = commands.createCases(s.sample, s.tag, stage(s, s.tag === small.tag && only.has('tree')));
      Object.assign(cases, group);
      groups.push({ name: `create ${s.tag}`, ids: Object.keys(group) });
    }
  }
  let media;
  if (only.has('verify')) {
    log('building the media to verify (untimed)');
    media = commands.buildMedia(small.sample, small.tag);
    const group = commands.verifyCases(media);
    Object.assign(cases, group);
    groups.push({ name: 'verify', ids: Object.keys(group) });
  }
  if (only.has('tree')) {
    const st = staged.get(small.tag)?.isoStaged ? staged.get(small.tag) : stage(small, true);
    const group = commands.treeCases(st);
    const ids = Object.keys(group);
    // The tree ratios compare against our 0.5 GiB ISO build: run it here when the create group does not.
    if (!cases['iso.ours@0.5g']) {
      const create = commands.createCases(small.sample, small.tag, st);
      for (const id of ['iso.ours@0.5g', 'iso.ours.verify@0.5g']) (group[id] = create[id]), ids.push(id);
    }
    Object.assign(cases, group);
    groups.push({ name: 'tree', ids });
  }
  if (only.has('extract')) {
    const group = commands.extractCases(small.sample);
    Object.assign(cases, group);
    groups.push({ name: 'extract', ids: Object.keys(group) });
  }

  const loadBefore = loadavg();
  const runs = runRounds({ groups, cases, rounds: options.rounds, timed, log });
  const stats = summarize(runs, cases);
  const statById = new Map(stats.map((s) => [s.id, s]));
  const createRanAt = (tag) => statById.has(`iso.ours@${tag}`);
  const rss = measureRss({ statById, samples: [...new Set([small, ...sized, ...(large ? [large] : [])])], only, commands, timed, createRanAt });
  const loadAfter = loadavg();

  let startupSection;
  const ratios = ratiosFrom(statById, sized);
  if (only.has('startup')) {
    // Start-up (--help, create --what-if) against `node -e 0`, on the small sample's WIM.
    const { measureStartup } = await import('./bench/startup.mjs');
    const startup = measureStartup({ wim: small.sample.wimPath, rounds: 21 });
    startupSection = startup.markdown;
    ratios.push(...startup.ratios);
  }

  const texts = JSON.parse(readFileSync(join(root, 'scripts/bench/misses.json'), 'utf8'));
  const report = {
    date: new Date().toISOString(),
    machine: describeMachine({ benchDir, cold, warm: options.warm, loadBefore, loadAfter }),
    method: describeMethod({ rounds: options.rounds, small, sized, large, staged: staged.get(small.tag), media }),
    cases: stats,
    ratios,
    rss,
    timeNotes: render.explainMisses(ratios, rss, texts),
    notes:
      Math.max(...loadBefore) > 1.0 || Math.max(...loadAfter) > 1.5
        ? [
            `The machine was busy during this run (load average ${loadBefore[0].toFixed(2)} → ${loadAfter[0].toFixed(2)} on ${cpus().length} CPUs; other work shares the disk and CPUs), so individual timings are noisy; the A/B alternation and medians limit, but do not remove, the effect. Re-run on an idle machine for publishable numbers.`,
          ]
        : [],
  };
  writeFileSync(join(benchDir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
  const markdown = render.renderMarkdown(report, texts.overview);
  process.stdout.write(`${markdown}\n${startupSection ?? ''}\n`);
  if (options.report) {
    const title = `capture-media benchmarks (${report.date.slice(0, 10)}, ${cpus().length} CPUs)`;
    writeDocs({ markdown, startupSection, panels: render.renderSvg(render.chartPanels(report), title) });
  }
}

await main();
