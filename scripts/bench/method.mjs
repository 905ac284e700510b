// The prose of docs/benchmarks.md that depends on the run: the machine it ran on and the method
// (what each yardstick and peer is, and why it is the fair one).

import { cpus, freemem, totalmem } from 'node:os';
import { q, tryShell } from './timing.mjs';

export function describeMachine({ benchDir, cold, warm, loadBefore, loadAfter }) {
  const disk = tryShell(`df -h --output=source,fstype,size ${q(benchDir)} | tail -1`).replace(/\s+/g, ' ');
  const dev = disk.split(' ')[0]?.replace('/dev/', '') ?? '';
  const rota = tryShell(`cat /sys/block/${dev}/queue/rotational`);
  const tools = [
    'wimlib-imagex --version | head -1',
    'xorriso -version 2>&1 | head -1',
    'mkfs.fat --help 2>&1 | head -1',
    'mcopy --version | head -1',
    'dd --version | head -1',
    'openssl version',
  ];
  return {
    CPU: `${cpus().length} × ${cpus()[0]?.model ?? '?'} (nproc ${tryShell('nproc')})`,
    Memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end`,
    Disk: `${disk}${rota === '1' ? ' (reported rotational; likely a virtio disk)' : rota === '0' ? ' (non-rotational)' : ''}`,
    Kernel: tryShell('uname -sr'),
    Node: process.version,
    Tools: tools.map(tryShell).filter(Boolean).join('; '),
    'Load average': `${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
    'Page cache': cold ? 'dropped before every run (sync; echo 3 > /proc/sys/vm/drop_caches)' : `warm (not dropped: ${warm ? '--warm' : 'not permitted'})`,
  };
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** One bullet per topic; `staged` and `media` are absent when their groups did not run. */
export function describeMethod({ rounds, small, sized, large, staged, media }) {
  const samples = [small, ...sized.filter((s) => s !== small), ...(large ? [large] : [])];
  const lines = [
    `Samples: content libraries (PkgLib/DataLib/FileLib) with package ${small.sample.packageId}, whose boot.wim (LZX, built by wimlib-imagex over file contents from a seeded AES-128-CTR keystream, so incompressible and the same bytes in every run; only the WIM GUID and timestamps differ between builds) holds a payload plus ${small.sample.smallFiles} small files (1–96 KiB, half random half text) under sms/bin/x64 that land on the media. boot.wim sizes: ${samples.map((s) => `${s.tag} = ${s.sample.wimBytes.toLocaleString('en-US')} B (${mib(s.sample.wimBytes)})`).join(', ')}. Built by scripts/bench/sample.ts, cached under .bench/.`,
    `${rounds} rounds; in each round every case of a group runs once, in forward order on even rounds and reverse order on odd rounds (A/B, B/A), so a trend in machine load does not favour one side. Medians are reported; ratio = median(ours) ÷ median(yardstick or peer).`,
    'Every timed command runs as `bash -o pipefail -c "COMMAND && sync"` under `/usr/bin/time -f %M` on the same disk (.bench/run), with the page cache dropped before it, so neither side reads from memory what an earlier run left there, and neither is done before its bytes are on disk. Process start-up is included on both sides; ours runs as the capture-media bin does (`node --max-semi-space-size=1`).',
    "Yardstick for building media, `cp WIM out && sync` of the boot image's FileLib blob (the very file our build reads for sources/boot.wim): the disk's own pace for the bulk of the same bytes, read once and written once. A medium holds a little more (the boot files and ~2,000 small files, ~100 MiB more at either size), which ours must also take out of the WIM, decompress and hash; the goals (≤ 1.3× at 0.5 GiB, ≤ 1.15× at 2 GiB) leave room for that and for Node's start-up, and less of it at 2 GiB, where the stream should dominate.",
    `UsbImage peer: a same-size${staged ? ` (${staged.imageBytes} B at 0.5 GiB)` : ''} sparse file (truncate), an MBR with one FAT32-LBA partition at 1 MiB (sfdisk), \`mkfs.fat -F 32 --offset 2048\` on that partition and \`mcopy -s -i img@@1M\` of our USB image's file tree${staged ? ` (${staged.usbFiles} files)` : ''}, taken out of our own image with mcopy, untimed, with sources/boot.wim a hard link to the FileLib blob — the same disk-image shape ours writes, by the tools a script writer would use. It is given the tree already extracted from the WIM, which favours it. Its goal (≤ 1.2×) is kept because it is the only peer that makes the same FAT32 image.`,
    `Yardstick for verify, \`dd if=X iflag=direct bs=4M | openssl dgst -sha256\` of the same medium${media ? ` (ISO ${media.isoBytes} B, UsbImage ${media.imgBytes} B, built once beforehand by our create --no-verify)` : ''}: reading the medium itself past the page cache (O_DIRECT) plus one SHA-256 of every byte, the least any verify of what reached the disk must do. \`capture-media verify --path X\` also parses the medium, hashes each file against the manifest and checks the EFI programs; it reads only the allocated parts of the UsbImage, where dd reads all of it.`,
    "Start-up yardstick, `node -e 0`: the cost of starting Node at all; `--help` (goal ≤ 1.3×) shows what loading our code adds, `create --what-if` (reads the 0.5 GiB sample's WIM and plans the ISO, writing nothing) is reported for information. See the Start-up section.",
    'Second table (older goals): the ISO build against `cp -r` of our ISO\'s exact file tree (taken out of our own ISO with xorriso -osirrox, Joliet names; boot.wim hard-linked to the FileLib blob) and against that copy followed by `xorriso -as mkisofs -iso-level 3 -J -joliet-long -b boot/etfsboot.com -no-emul-boot -boot-load-size 8 -eltorito-alt-boot -e efi/microsoft/boot/efisys.bin -no-emul-boot`; extracting the peers\' tree is not charged to them. WIM extraction: the whole boot image with our WIM reader (scripts/bench/extract.ts) against `wimlib-imagex apply WIM 1 DIR --no-acls`; our media build extracts only the boot files and sms/bin, so this is the harder case.',
    'Peak RSS: GNU time %M, the maximum resident set size of the largest process of the command (node for ours), the highest over every run of that command at that size; commands the rounds did not run at a size (verify and WIM extraction above 0.5 GiB, everything with --large) run once for it.',
  ];
  return lines;
}
