#!/usr/bin/env node
// npm run bench  (= npm run build && node scripts/bench.mjs)  — goals and results in docs/benchmarks.md.
//
// One run, on the same input, alternating ours and the peer (A/B, then B/A next round, so drift
// in machine load hits both alike), reports medians and ratios against the goals, and writes
// docs/benchmarks.md + docs/benchmarks.svg. Raw numbers go to .bench/results.json.
//
//   node scripts/bench.mjs [--rounds 5] [--large] [--warm] [--keep] [--only iso,usb,extract]
//
//   --rounds N   timed rounds per case (default 5, minimum 3)
//   --large      also build a ~4 GiB boot.wim sample and measure our peak RSS on it (one run of
//                each of our commands; the sample is cached). A first `--large` run on a fresh
//                clone, both samples built, took 5 min 51 s here (2 vCPUs), setup.sh included.
//   --warm       do not drop the page cache between runs (default: drop it when permitted)
//   --only LIST  measure only these groups (the report then holds only those rows)
//   --no-report  print results, do not rewrite docs/
//
// Needs: wimlib-imagex, xorriso, mkfs.fat, mtools (mcopy), sfdisk, /usr/bin/time (GNU time).
// Everything it makes lives under .bench/ (gitignored): the sample content libraries are cached
// there (rebuilt only when the generator's inputs change), the scratch outputs are deleted.
//
// What is timed, each as `sh -c 'COMMAND && sync'` under `/usr/bin/time` (wall clock measured
// here; the %M max RSS is of the whole process tree), cold page cache unless --warm:
//   iso.ours        capture-media create --media-type cddvd … --no-verify   (write only)
//   iso.ours.verify capture-media create --media-type cddvd …               (default: + read-back verify)
//   iso.floor       cp -r STAGED out/                                        (the one-pass copy floor)
//   iso.xorriso     cp -r STAGED stage/ && xorriso -as mkisofs … -o x.iso stage/   (the script peer)
//   usb.ours        capture-media create --media-type usbimage … --no-verify
//   usb.ours.verify capture-media create --media-type usbimage …
//   usb.mtools      truncate + sfdisk (MBR, 1 MiB offset) + mkfs.fat -F 32 --offset 2048 + mcopy -s
//   wim.ours        dist/scripts/bench/extract.js WIM out/   (whole image: our WIM reader)
//   wim.wimlib      wimlib-imagex apply WIM 1 out/ --no-acls
// STAGED is exactly our medium's file tree (taken out of our own ISO with xorriso, and out of our
// USB image with mcopy), with sources/boot.wim a hard link to the content library's FileLib blob:
// the same bytes from the same place our build reads them.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(new URL('..', import.meta.url).pathname);
const dist = join(root, 'dist');
const benchDir = join(root, '.bench');
const cli = join(dist, 'capture-media.cjs');

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    large: { type: 'boolean', default: false },
    warm: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-report': { type: 'boolean', default: false },
  },
});
const ROUNDS = Math.max(3, Number(args.rounds));
const ONLY = new Set((args.only ?? 'iso,usb,extract').split(',').map((s) => s.trim()));
const RSS_GOAL = 150e6;

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Preconditions

if (!existsSync(cli)) throw new Error(`${cli} missing: run "npm run bench" (it builds first)`);
for (const tool of ['wimlib-imagex', 'xorriso', 'mkfs.fat', 'mcopy', 'sfdisk']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) throw new Error(`bench needs ${tool} on PATH`);
}
if (!existsSync('/usr/bin/time')) throw new Error('bench needs GNU time at /usr/bin/time (apt-get install time)');

const { buildSample } = await import(join(dist, 'scripts/bench/sample.js'));
const { renderMarkdown, renderSvg } = await import(join(dist, 'scripts/bench/report.js'));

function sh(cmd, options = {}) {
  return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
}
function tryShell(cmd) {
  try {
    return sh(cmd);
  } catch {
    return '';
  }
}
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** Drop the page cache (root only); returns whether it worked. */
function dropCaches() {
  if (args.warm) return false;
  const r = spawnSync('sh', ['-c', 'sync && echo 3 > /proc/sys/vm/drop_caches'], { stdio: 'ignore' });
  return r.status === 0;
}
const canDrop = dropCaches();
if (!args.warm && !canDrop) log('cannot drop the page cache (not root, or /proc/sys/vm read-only): measuring warm-cache runs');
const coldCache = !args.warm && canDrop;

// ---------------------------------------------------------------------------------------------
// Samples

mkdirSync(benchDir, { recursive: true });
// boot.wim ≈ payload + ~53 MiB of boot files and 2,000 small files (LZX): 512 MiB and just under 4 GiB.
const small = await buildSample({ dir: join(benchDir, 'sample-0.5g'), payloadMiB: 459 });
const large = args.large ? await buildSample({ dir: join(benchDir, 'sample-4g'), payloadMiB: 4030 }) : undefined;
log(`sample: ${small.wimPath} (${(small.wimBytes / 2 ** 20).toFixed(0)} MiB)`);

const scratch = join(benchDir, 'run');
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const env = { ...process.env, CAPTUREMEDIA_NO_LOG: '1', TMPDIR: scratch };

function oursCmd(sample, mediaType, out, verify) {
  return [
    // As the capture-media bin (shebang) and the PowerShell module run the core.
    'node', '--max-semi-space-size=1', q(cli), 'create', '--media-type', mediaType, '--path', q(out), '--boot-image', sample.packageId,
    '--distribution-point', q(sample.libraryRoot), '--temporary-folder', q(scratch), '--force', verify ? '' : '--no-verify',
  ].filter(Boolean).join(' ');
}

/** Run `cmd && sync` once (after clearing `outputs` and dropping caches); returns { ms, rssBytes }. */
function timed(cmd, outputs) {
  for (const o of outputs) rmSync(o, { recursive: true, force: true });
  if (coldCache) dropCaches();
  else spawnSync('sync');
  const rssFile = join(scratch, 'rss.txt');
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, 'sh', '-c', `${cmd} && sync`], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${cmd}\n${r.stdout}\n${r.stderr}`);
  const rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  return { ms, rssBytes: rssKiB * 1024 };
}

// Staged trees = our media's exact file trees, with boot.wim hard-linked to the FileLib blob.
function stageFromOurs(sample, tag) {
  const isoStaged = join(scratch, `staged-iso-${tag}`);
  const usbStaged = join(scratch, `staged-usb-${tag}`);
  const iso = join(scratch, `probe-${tag}.iso`);
  const img = join(scratch, `probe-${tag}.img`);
  sh(`${oursCmd(sample, 'cddvd', iso, false)} >/dev/null`, { env });
  sh(`xorriso -osirrox on -indev ${q(iso)} -extract / ${q(isoStaged)} 2>/dev/null`);
  sh(`${oursCmd(sample, 'usbimage', img, false)} >/dev/null`, { env });
  mkdirSync(usbStaged);
  sh(`mcopy -s -n -m -i ${q(img)}@@1M '::/*' ${q(usbStaged)}/`);
  const imageBytes = statSync(img).size;
  for (const dir of [isoStaged, usbStaged]) {
    const wim = join(dir, 'sources/boot.wim');
    if (statSync(wim).size !== sample.wimBytes) throw new Error(`${wim} is not the boot image`);
    rmSync(wim);
    linkSync(sample.wimPath, wim);
  }
  rmSync(iso);
  rmSync(img);
  const count = (dir) => Number(sh(`find ${q(dir)} -type f | wc -l`));
  const bytes = (dir) => Number(sh(`du -sbL ${q(dir)} | cut -f1`));
  return { isoStaged, usbStaged, imageBytes, isoFiles: count(isoStaged), isoBytes: bytes(isoStaged), usbFiles: count(usbStaged) };
}

log('staging the reference trees from our own media (untimed)');
const staged = stageFromOurs(small, 'small');
log(`ISO tree: ${staged.isoFiles} files, ${(staged.isoBytes / 2 ** 20).toFixed(0)} MiB; USB tree: ${staged.usbFiles} files; image ${staged.imageBytes} B`);

// ---------------------------------------------------------------------------------------------
// Cases

const out = (name) => join(scratch, name);
const cases = {
  'iso.ours': { label: 'ISO, ours, write only (--no-verify)', cmd: oursCmd(small, 'cddvd', out('ours.iso'), false), outputs: [out('ours.iso')] },
  'iso.ours.verify': { label: 'ISO, ours, default (write + verify)', cmd: oursCmd(small, 'cddvd', out('ours.iso'), true), outputs: [out('ours.iso')] },
  'iso.floor': { label: 'ISO copy floor: cp -r tree', cmd: `cp -r ${q(staged.isoStaged)} ${q(out('floor'))}`, outputs: [out('floor')] },
  'iso.xorriso': {
    label: 'ISO script peer: cp -r + xorriso',
    cmd:
      `cp -r ${q(staged.isoStaged)} ${q(out('stage'))} && xorriso -as mkisofs -quiet -iso-level 3 -J -joliet-long -V CONFIGURATION_MANAGER ` +
      `-b boot/etfsboot.com -no-emul-boot -boot-load-size 8 -eltorito-alt-boot -e efi/microsoft/boot/efisys.bin -no-emul-boot ` +
      `-o ${q(out('x.iso'))} ${q(out('stage'))} 2>/dev/null`,
    outputs: [out('stage'), out('x.iso')],
  },
  'usb.ours': { label: 'UsbImage, ours, write only (--no-verify)', cmd: oursCmd(small, 'usbimage', out('ours.img'), false), outputs: [out('ours.img')] },
  'usb.ours.verify': { label: 'UsbImage, ours, default (write + verify)', cmd: oursCmd(small, 'usbimage', out('ours.img'), true), outputs: [out('ours.img')] },
  'usb.mtools': {
    label: 'UsbImage peer: truncate + sfdisk + mkfs.fat + mcopy',
    cmd:
      `truncate -s ${staged.imageBytes} ${q(out('p.img'))} && printf 'start=2048, type=c, bootable\\n' | sfdisk -q ${q(out('p.img'))} && ` +
      `mkfs.fat -F 32 --offset 2048 -n CONFIGURATI ${q(out('p.img'))} ${(staged.imageBytes - 2 ** 20) / 1024} >/dev/null && ` +
      `mcopy -s -Q -i ${q(out('p.img'))}@@1M ${q(staged.usbStaged)}/* ::/`,
    outputs: [out('p.img')],
  },
  'wim.ours': { label: 'WIM extraction, ours (whole image)', cmd: `node --max-semi-space-size=1 ${q(join(dist, 'scripts/bench/extract.js'))} ${q(small.wimPath)} ${q(out('x-ours'))} >/dev/null`, outputs: [out('x-ours')] },
  'wim.wimlib': { label: 'WIM extraction, wimlib-imagex apply', cmd: `wimlib-imagex apply ${q(small.wimPath)} 1 ${q(out('x-wimlib'))} --no-acls >/dev/null`, outputs: [out('x-wimlib')] },
};
const groups = [
  { name: 'iso', ids: ['iso.ours', 'iso.floor', 'iso.xorriso', 'iso.ours.verify'] },
  { name: 'usb', ids: ['usb.ours', 'usb.mtools', 'usb.ours.verify'] },
  { name: 'extract', ids: ['wim.ours', 'wim.wimlib'] },
].filter((g) => ONLY.has(g.name));

const runs = Object.fromEntries(Object.keys(cases).map((id) => [id, []]));
const loadBefore = loadavg();
for (let round = 0; round < ROUNDS; round++) {
  for (const group of groups) {
    const order = round % 2 === 0 ? group.ids : [...group.ids].reverse();
    for (const id of order) {
      const r = timed(cases[id].cmd, cases[id].outputs);
      runs[id].push(r);
      log(`round ${round + 1}/${ROUNDS} ${id}: ${Math.round(r.ms)} ms, rss ${(r.rssBytes / 1e6).toFixed(0)} MB`);
    }
  }
}
for (const c of Object.values(cases)) for (const o of c.outputs) rmSync(o, { recursive: true, force: true });
const loadAfter = loadavg();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = Object.entries(runs)
  .filter(([, rs]) => rs.length > 0)
  .map(([id, rs]) => ({
    id,
    label: cases[id].label,
    runsMs: rs.map((r) => r.ms),
    medianMs: median(rs.map((r) => r.ms)),
    peakRssBytes: Math.max(...rs.map((r) => r.rssBytes)),
  }));
const statById = new Map(stats.map((s) => [s.id, s]));

const ratioDefs = [
  { id: 'iso-floor', label: 'ISO write-only ÷ copy floor', ours: 'iso.ours', peer: 'iso.floor', goal: 1.15 },
  { id: 'iso-xorriso', label: 'ISO write-only ÷ stage+xorriso', ours: 'iso.ours', peer: 'iso.xorriso', goal: 0.7 },
  { id: 'isov-floor', label: 'ISO default (verify) ÷ copy floor', ours: 'iso.ours.verify', peer: 'iso.floor', goal: undefined, note: 'verify re-reads every byte from disk' },
  { id: 'isov-xorriso', label: 'ISO default (verify) ÷ stage+xorriso', ours: 'iso.ours.verify', peer: 'iso.xorriso', goal: 0.7 },
  { id: 'usb-mtools', label: 'UsbImage write-only ÷ mkfs.fat+mcopy', ours: 'usb.ours', peer: 'usb.mtools', goal: 1.2 },
  { id: 'usbv-mtools', label: 'UsbImage default (verify) ÷ mkfs.fat+mcopy', ours: 'usb.ours.verify', peer: 'usb.mtools', goal: undefined, note: 'the peer does not verify' },
  { id: 'wim-wimlib', label: 'WIM extraction ÷ wimlib-imagex', ours: 'wim.ours', peer: 'wim.wimlib', goal: 3 },
];
const ratios = ratioDefs
  .filter((d) => statById.has(d.ours) && statById.has(d.peer))
  .map((d) => ({ ...d, value: statById.get(d.ours).medianMs / statById.get(d.peer).medianMs }));

// ---------------------------------------------------------------------------------------------
// Peak RSS: every run above was under /usr/bin/time; --large adds one run of each on ~4 GiB.

const rss = [];
const rssCases = [
  ['iso.ours', 'ISO, write only'],
  ['iso.ours.verify', 'ISO, default (verify)'],
  ['usb.ours', 'UsbImage, write only'],
  ['usb.ours.verify', 'UsbImage, default (verify)'],
  ['wim.ours', 'WIM extraction'],
];
for (const [id, label] of rssCases) {
  const s = statById.get(id);
  if (s) rss.push({ label, contentBytes: small.wimBytes, peakRssBytes: s.peakRssBytes, goalBytes: RSS_GOAL });
}
if (large) {
  log('large sample: one run of each of ours for peak RSS');
  const bigCmds = {
    'iso.ours': oursCmd(large, 'cddvd', out('big.iso'), false),
    'iso.ours.verify': oursCmd(large, 'cddvd', out('big.iso'), true),
    'usb.ours': oursCmd(large, 'usbimage', out('big.img'), false),
    'usb.ours.verify': oursCmd(large, 'usbimage', out('big.img'), true),
    'wim.ours': `node --max-semi-space-size=1 ${q(join(dist, 'scripts/bench/extract.js'))} ${q(large.wimPath)} ${q(out('big-x'))} >/dev/null`,
  };
  for (const [id, label] of rssCases) {
    const r = timed(bigCmds[id], [out('big.iso'), out('big.img'), out('big-x')]);
    log(`large ${id}: ${Math.round(r.ms)} ms, rss ${(r.rssBytes / 1e6).toFixed(0)} MB`);
    rss.push({ label, contentBytes: large.wimBytes, peakRssBytes: r.rssBytes, goalBytes: RSS_GOAL });
  }
  for (const o of [out('big.iso'), out('big.img'), out('big-x')]) rmSync(o, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Report

const disk = tryShell(`df -h --output=source,fstype,size ${q(benchDir)} | tail -1`).replace(/\s+/g, ' ');
const dev = disk.split(' ')[0]?.replace('/dev/', '') ?? '';
const rota = tryShell(`cat /sys/block/${dev}/queue/rotational`);
const machine = {
  CPU: `${cpus().length} × ${cpus()[0]?.model ?? '?'} (nproc ${tryShell('nproc')})`,
  Memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end`,
  Disk: `${disk}${rota === '1' ? ' (reported rotational; likely a virtio disk)' : rota === '0' ? ' (non-rotational)' : ''}`,
  Kernel: tryShell('uname -sr'),
  Node: process.version,
  Tools: [tryShell('wimlib-imagex --version | head -1'), tryShell('xorriso -version 2>&1 | head -1'), tryShell('mkfs.fat --help 2>&1 | head -1'), tryShell('mcopy --version | head -1')].filter(Boolean).join('; '),
  'Load average': `${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
  'Page cache': coldCache ? 'dropped before every run (sync; echo 3 > /proc/sys/vm/drop_caches)' : 'warm (not dropped: ' + (args.warm ? '--warm' : 'not permitted') + ')',
};
const method = [
  `Sample: a content library (PkgLib/DataLib/FileLib) with package ${small.packageId}, whose boot.wim (LZX, built by wimlib-imagex over file contents from a seeded AES-128-CTR keystream, so incompressible and the same bytes in every run; only the WIM GUID and timestamps differ between builds) is ${(small.wimBytes / 2 ** 20).toFixed(0)} MiB, plus ${small.smallFiles} small files (1–96 KiB, half random half text) under sms/bin/x64 that land on the media${large ? `; the --large sample's boot.wim is ${(large.wimBytes / 2 ** 30).toFixed(2)} GiB` : ''}. Built by scripts/bench/sample.ts, cached under .bench/.`,
  `${ROUNDS} rounds; in each round every case of a group runs once, in forward order on even rounds and reverse order on odd rounds (A/B, B/A), so a trend in machine load does not favour one side. Medians are reported; ratio = median(ours) ÷ median(peer).`,
  'Every timed command runs as `sh -c "COMMAND && sync"` under `/usr/bin/time -f %M` on the same disk (.bench/run), so page cache never flatters anyone; ours fsyncs its output itself, the extra sync is then nearly free. Process start-up is included on both sides.',
  `The peers read exactly our medium's file tree (${staged.isoFiles} files for the ISO, ${staged.usbFiles} for the USB image), taken out of our own ISO (xorriso -osirrox, Joliet names) and USB image (mcopy); sources/boot.wim there is a hard link to the FileLib blob our build reads. Staging the peers' trees from the WIM is not charged to them (a real script would have to extract the boot files too), which favours the peers.`,
  'ISO peer: `cp -r TREE stage/ && xorriso -as mkisofs -iso-level 3 -J -joliet-long -b boot/etfsboot.com -no-emul-boot -boot-load-size 8 -eltorito-alt-boot -e efi/microsoft/boot/efisys.bin -no-emul-boot -o x.iso stage/`; removing stage/ afterwards is not charged.',
  `UsbImage peer: a same-size (${staged.imageBytes} B) sparse file (truncate), an MBR with one FAT32-LBA partition at 1 MiB (sfdisk), \`mkfs.fat -F 32 --offset 2048\` on that partition and \`mcopy -s -i img@@1M\` of the tree — the same disk-image shape ours writes (MBR + partition at 1 MiB). Our writer also leaves free clusters sparse.`,
  'WIM extraction: the whole boot image (all files, incl. the payload) with our WIM reader (scripts/bench/extract.ts, the same work as scripts/bench-wim.ts; run with node --max-semi-space-size=1, as the capture-media bin runs the core) vs `wimlib-imagex apply WIM 1 DIR --no-acls`. Our media build extracts only the boot files and sms/bin, so this is the harder case.',
  'Peak RSS: GNU time %M (maximum resident set size of the process tree) over every run of the command.',
];
const notes = [];
if (Math.max(...loadBefore) > 1.0 || Math.max(...loadAfter) > 1.5) {
  notes.push(`The machine was busy during this run (load average ${loadBefore[0].toFixed(2)} → ${loadAfter[0].toFixed(2)} on ${cpus().length} CPUs; other work shares the disk and CPUs), so individual timings are noisy; the A/B alternation and medians limit, but do not remove, the effect. Re-run on an idle machine for publishable numbers.`);
}

const report = { date: new Date().toISOString(), machine, method, cases: stats, ratios, rss, misses: {}, notes };
// Explanations of missed goals: written by hand where known (keyed by ratio id), else generic.
const knownMisses = JSON.parse(readFileSync(join(root, 'scripts/bench/misses.json'), 'utf8'));
for (const r of ratios) if (r.goal !== undefined && r.value > r.goal) report.misses[`${r.label} (${r.value.toFixed(2)}× > ${r.goal}×)`] = knownMisses[r.id] ?? 'not yet analysed; profile it with `node --cpu-prof`.';
const rssMissed = rss.filter((r) => r.peakRssBytes > r.goalBytes);
if (rssMissed.length > 0) {
  const list = rssMissed.map((r) => `${r.label} at ${(r.contentBytes / 2 ** 30).toFixed(1)} GiB: ${(r.peakRssBytes / 1e6).toFixed(0)} MB`).join('; ');
  report.misses[`Peak RSS ≤ 150 MB (${rssMissed.length} of ${rss.length} commands over: ${list})`] = knownMisses['rss'] ?? 'not yet analysed.';
}

writeFileSync(join(benchDir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
const bars = [
  ...ratios.map((r) => ({ label: r.label.split(' ÷ ')[0].replace('write-only', 'write').replace(' default (verify)', '+verify'), sublabel: `÷ ${r.label.split(' ÷ ')[1]}`, value: r.value, goal: r.goal })),
  ...rss
    .filter((r) => r.label.startsWith('ISO, write') || r.label.startsWith('UsbImage, write') || r.label.startsWith('WIM'))
    .map((r) => ({ label: `RSS ${r.label.split(',')[0].replace('WIM extraction', 'WIM extract')}`, sublabel: `${(r.contentBytes / 2 ** 30).toFixed(1)} GiB ÷ 150 MB`, value: r.peakRssBytes / r.goalBytes, goal: 1 })),
];
process.stdout.write(renderMarkdown(report) + '\n');
// Start-up (--help, create --what-if) against `node -e 0`, on the small sample's WIM.
const { measureStartup, spliceStartup } = await import('./bench/startup.mjs');
const startup = measureStartup({ wim: small.wimPath, rounds: 21 });
process.stdout.write(`${startup}\n`);
if (!args['no-report']) {
  // Keep the driver inventory section that scripts/bench-drivers.ts maintains at the end.
  const mdPath = join(root, 'docs/benchmarks.md');
  const kept = existsSync(mdPath) ? (/<!-- bench-drivers -->[\s\S]*<!-- \/bench-drivers -->\n?/.exec(readFileSync(mdPath, 'utf8'))?.[0] ?? '') : '';
  writeFileSync(mdPath, spliceStartup(renderMarkdown(report), startup).trimEnd() + '\n' + (kept ? `\n${kept}` : ''));
  writeFileSync(join(root, 'docs/benchmarks.svg'), renderSvg(bars, `capture-media benchmarks (${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPUs)`));
  log('wrote docs/benchmarks.md and docs/benchmarks.svg');
}
if (!args.keep) rmSync(scratch, { recursive: true, force: true });
