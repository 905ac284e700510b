// How long the boot image driver inventory takes on a WinPE-sized driver set: ~600 INFs in
// Windows\INF (sizes spread like a real WinPE's, 2-60 KiB, a quarter UTF-16LE), each also in the
// driver store (as Windows keeps them), in an XPRESS WIM built with wimlib-imagex. Prints the
// median of several runs of readDriverInventory (open image + read + parse + deduplicate), in
// wall time and in this process's CPU time (the machine is shared: wall time includes waiting
// for a core). With --write it replaces its section at the end of docs/benchmarks.md (between
// the bench-drivers markers, which `npm run bench` keeps when it rewrites the rest).
//
//   npm run bench:drivers            # = node --import tsx scripts/bench-drivers.ts --write
//   node --import tsx scripts/bench-drivers.ts [--infs 600] [--runs 7] [--write]

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readDriverInventory } from '../src/drivers/inventory.js';
import { openWim } from '../src/wim/index.js';
import { makeDriverWim, type DriverFile } from '../test/helpers/driver-wim.js';
import { xorshift32 } from '../test/helpers/xorshift.js';

const CLASSES = [
  ['Net', '{4d36e972-e325-11ce-bfc1-08002be10318}'],
  ['SCSIAdapter', '{4d36e97b-e325-11ce-bfc1-08002be10318}'],
  ['HDC', '{4d36e96a-e325-11ce-bfc1-08002be10318}'],
  ['System', '{4d36e97d-e325-11ce-bfc1-08002be10318}'],
  ['USB', '{36fc9e60-c465-11cf-8056-444553540000}'],
  ['HIDClass', '{745a17a0-74d3-11d0-b6fe-00a0c90f57da}'],
] as const;

/** One INF of roughly `targetBytes`: a [Version], models for amd64 and arm64, install sections, strings. */
export function syntheticInf(n: number, targetBytes: number, next: () => number): string {
  const [cls, guid] = CLASSES[n % CLASSES.length]!;
  const lines = [
    `; synthetic driver ${n}`,
    '[Version]',
    'Signature = "$WINDOWS NT$"',
    `Class = ${cls}`,
    `ClassGuid = ${guid}`,
    'Provider = %Prov%',
    `DriverVer = 0${1 + (n % 9)}/1${n % 9}/2024,10.0.${n}.1`,
    `CatalogFile = drv${n}.cat`,
    '[Manufacturer]',
    '%Prov% = Models, NTamd64.10.0...16299, NTarm64',
  ];
  const models: string[] = [];
  const body: string[] = [];
  let i = 0;
  let size = lines.join('\r\n').length;
  while (size < targetBytes) {
    const ven = (next() & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    const dev = (next() & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    const model = `%Dev${i}.Desc% = Install_${i}, PCI\\VEN_${ven}&DEV_${dev}&SUBSYS_${(next() >>> 0).toString(16).toUpperCase().padStart(8, '0')}, \\\r\n    PCI\\VEN_${ven}&DEV_${dev}`;
    const install = [`[Install_${i}.NT]`, `CopyFiles = Files_${i}`, `AddReg = Reg_${i}   ; registry`, `[Reg_${i}]`, `HKR, Ndi\\params\\Speed, ParamDesc, 0, "%Speed${i}%"`, `HKR, , BusNumber, 0, "${i}"`];
    models.push(model);
    body.push(...install, `Dev${i}.Desc = "Device ${n}.${i} ""model"" controller"`);
    size += model.length + install.join('\r\n').length + 48;
    i++;
  }
  const strings = body.filter((l) => l.startsWith('Dev'));
  return [...lines, '[Models.NTamd64.10.0...16299]', ...models, '[Models.NTarm64]', ...models.slice(0, 2), ...body.filter((l) => !l.startsWith('Dev')), '[Strings]', 'Prov = "Contoso"', ...strings, ''].join('\r\n');
}

export function syntheticDriverFiles(count: number, seed = 1): DriverFile[] {
  const next = xorshift32(seed);
  const files: DriverFile[] = [];
  for (let n = 0; n < count; n++) {
    const size = 2048 + (next() % 58_000) * (n % 7 === 0 ? 1 : 0.3);
    const text = syntheticInf(n, size, next);
    const name = n % 5 === 0 ? `oem${n}.inf` : `drv${n}.inf`;
    const content = n % 4 === 0 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.from(text, 'latin1');
    files.push({ published: name, store: `${name}_amd64_${(next() >>> 0).toString(16).padStart(8, '0')}`, content });
  }
  return files;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { infs: { type: 'string', default: '600' }, runs: { type: 'string', default: '7' }, write: { type: 'boolean', default: false } } });
  const count = Number(values.infs);
  const dir = mkdtempSync(join(tmpdir(), 'bench-drivers-'));
  try {
    const files = syntheticDriverFiles(count);
    const bytes = files.reduce((n, f) => n + f.content.length, 0);
    const wim = makeDriverWim(dir, files);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let drivers = 0;
    for (let run = 0; run < Number(values.runs); run++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const file = await openWim(wim);
      try {
        const image = await file.openImage(1);
        const inventory = await readDriverInventory(image, { architecture: 'x64', osVersion: file.images[0]!.version });
        drivers = inventory.drivers.length;
      } finally {
        await file.close();
      }
      times.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuStarted);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
    times.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);
    const result = {
        infFiles: count * 2,
        packages: drivers,
        infBytes: bytes,
        runs: times.length,
        medianMs: Math.round(times[Math.floor(times.length / 2)]!),
        minMs: Math.round(times[0]!),
        maxMs: Math.round(times[times.length - 1]!),
        // CPU time of this process (all threads): what the inventory costs, whatever else the machine runs.
        medianCpuMs: Math.round(cpuTimes[Math.floor(cpuTimes.length / 2)]!),
        loadAverage: loadavg()[0]!.toFixed(1),
    };
    console.log(JSON.stringify(result));
    if (values.write) writeSection(result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const START = '<!-- bench-drivers -->';
const END = '<!-- /bench-drivers -->';

function writeSection(r: { infFiles: number; packages: number; infBytes: number; runs: number; medianMs: number; minMs: number; maxMs: number; medianCpuMs: number; loadAverage: string }): void {
  const path = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
  const section = [
    START,
    '## Boot image driver inventory',
    '',
    `Generated by \`npm run bench:drivers\` (scripts/bench-drivers.ts) on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPUs, load average ${r.loadAverage} at the end.`,
    `A WinPE-sized driver set: ${r.infFiles} INF files (${r.packages} packages in \`Windows\\INF\`, each also in the driver store; ${(r.infBytes / 1048576).toFixed(1)} MiB of INF text, a quarter UTF-16LE) in an XPRESS WIM.`,
    `What is timed: open the WIM and its image, read and SHA-1-check every INF, parse, deduplicate (\`readDriverInventory\`, what \`create\` and \`boot-images --drivers\` run). ${r.runs} runs.`,
    '',
    '| | median | min | max |',
    '|---|---:|---:|---:|',
    `| wall time | ${r.medianMs} ms | ${r.minMs} ms | ${r.maxMs} ms |`,
    `| CPU time of the process (all threads) | ${r.medianCpuMs} ms | | |`,
    '',
    'Wall time on this shared machine includes waiting for a core; the CPU time is what the inventory itself costs.',
    END,
    '',
  ].join('\n');
  const current = readFileSync(path, 'utf8');
  const at = current.indexOf(START);
  const end = current.indexOf(END);
  const next = at >= 0 && end > at ? current.slice(0, at) + section + current.slice(end + END.length).replace(/^\n/, '') : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
