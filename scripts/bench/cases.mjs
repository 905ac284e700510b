// What scripts/bench.mjs times: our commands and the yardsticks and peers they are held against,
// as shell command lines, plus the untimed preparation some of them need (media to verify, the
// peers' file trees taken out of our own media) and the ratios that compare them.

import { linkSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { q, sh } from './timing.mjs';

/**
 * Everything the command lines need: `cli` the bundled CLI, `extractJs` the compiled WIM
 * extraction helper, `scratch` the work folder (outputs, temporary folder), `env` for sh().
 */
export function makeCommands({ cli, extractJs, scratch, env }) {
  // As the capture-media bin (shebang) and the PowerShell module run the core.
  const node = `node --max-semi-space-size=1`;
  const out = (name) => join(scratch, name);

  function create(sample, mediaType, path, verify) {
    return [
      node, q(cli), 'create', '--media-type', mediaType, '--path', q(path), '--boot-image', sample.packageId,
      '--distribution-point', q(sample.libraryRoot), '--temporary-folder', q(scratch), '--force', verify ? '' : '--no-verify', '>/dev/null',
    ].filter(Boolean).join(' ');
  }
  const verify = (path) => `${node} ${q(cli)} verify --path ${q(path)} >/dev/null`;
  // Reading the medium itself, past the page cache, and hashing every byte: what a verify has to do.
  const ddSha256 = (path) => `dd if=${q(path)} iflag=direct bs=4M status=none | openssl dgst -sha256 >/dev/null`;
  const extract = (wim, dest) => `${node} ${q(extractJs)} ${q(wim)} ${q(dest)} >/dev/null`;

  /** Goals group for one sample (tag '0.5g', '2g'): ours against `cp WIM && sync` and mkfs.fat+mcopy. */
  function createCases(sample, tag, staged) {
    const iso = out(`ours-${tag}.iso`);
    const img = out(`ours-${tag}.img`);
    const copy = out(`cp-${tag}.wim`);
    const peer = out(`mtools-${tag}.img`);
    const size = sizeLabel(sample);
    return {
      [`iso.ours@${tag}`]: { label: `ISO, ours, write only (--no-verify), ${size}`, cmd: create(sample, 'cddvd', iso, false), outputs: [iso] },
      [`usb.ours@${tag}`]: { label: `UsbImage, ours, write only (--no-verify), ${size}`, cmd: create(sample, 'usbimage', img, false), outputs: [img] },
      [`cp@${tag}`]: { label: `cp WIM && sync, ${size}`, cmd: `cp ${q(sample.wimPath)} ${q(copy)}`, outputs: [copy] },
      [`usb.mtools@${tag}`]: {
        label: `UsbImage peer: truncate + sfdisk + mkfs.fat + mcopy, ${size}`,
        cmd:
          `truncate -s ${staged.imageBytes} ${q(peer)} && printf 'start=2048, type=c, bootable\\n' | sfdisk -q ${q(peer)} && ` +
          `mkfs.fat -F 32 --offset 2048 -n CONFIGURATI ${q(peer)} ${(staged.imageBytes - 2 ** 20) / 1024} >/dev/null && ` +
          `mcopy -s -Q -i ${q(peer)}@@1M ${q(staged.usbStaged)}/* ::/`,
        outputs: [peer],
      },
      [`iso.ours.verify@${tag}`]: { label: `ISO, ours, default (write + verify), ${size}`, cmd: create(sample, 'cddvd', iso, true), outputs: [iso] },
      [`usb.ours.verify@${tag}`]: { label: `UsbImage, ours, default (write + verify), ${size}`, cmd: create(sample, 'usbimage', img, true), outputs: [img] },
    };
  }

  /** Verify group: `capture-media verify` of media built beforehand, against dd iflag=direct | openssl. */
  function verifyCases(media) {
    return {
      'verify.iso': { label: `verify, ours, ISO (${mb(media.isoBytes)})`, cmd: verify(media.iso), outputs: [] },
      'dd.iso': { label: `dd iflag=direct | openssl dgst -sha256, ISO`, cmd: ddSha256(media.iso), outputs: [] },
      'verify.img': { label: `verify, ours, UsbImage (${mb(media.imgBytes)})`, cmd: verify(media.img), outputs: [] },
      'dd.img': { label: `dd iflag=direct | openssl dgst -sha256, UsbImage`, cmd: ddSha256(media.img), outputs: [] },
    };
  }

  /** The older comparisons on the small sample's staged tree: a copy of it, and copy + xorriso. */
  function treeCases(staged) {
    return {
      'iso.floor': { label: 'ISO copy floor: cp -r tree', cmd: `cp -r ${q(staged.isoStaged)} ${q(out('floor'))}`, outputs: [out('floor')] },
      'iso.xorriso': {
        label: 'ISO script peer: cp -r + xorriso',
        cmd:
          `cp -r ${q(staged.isoStaged)} ${q(out('stage'))} && xorriso -as mkisofs -quiet -iso-level 3 -J -joliet-long -V CONFIGURATION_MANAGER ` +
          `-b boot/etfsboot.com -no-emul-boot -boot-load-size 8 -eltorito-alt-boot -e efi/microsoft/boot/efisys.bin -no-emul-boot ` +
          `-o ${q(out('x.iso'))} ${q(out('stage'))} 2>/dev/null`,
        outputs: [out('stage'), out('x.iso')],
      },
    };
  }

  function extractCases(sample) {
    return {
      'wim.ours': { label: 'WIM extraction, ours (whole image)', cmd: extract(sample.wimPath, out('x-ours')), outputs: [out('x-ours')] },
      'wim.wimlib': { label: 'WIM extraction, wimlib-imagex apply', cmd: `wimlib-imagex apply ${q(sample.wimPath)} 1 ${q(out('x-wimlib'))} --no-acls >/dev/null`, outputs: [out('x-wimlib')] },
    };
  }

  /** Each of our commands on one sample, for one run each to measure the peak RSS the rounds did not. */
  function rssCommands(sample, tag, media) {
    const iso = out(`rss-${tag}.iso`);
    const img = out(`rss-${tag}.img`);
    const commands = {
      'iso.ours': { cmd: create(sample, 'cddvd', iso, false), outputs: [iso] },
      'iso.ours.verify': { cmd: create(sample, 'cddvd', iso, true), outputs: [iso] },
      'usb.ours': { cmd: create(sample, 'usbimage', img, false), outputs: [img] },
      'usb.ours.verify': { cmd: create(sample, 'usbimage', img, true), outputs: [img] },
      'wim.ours': { cmd: extract(sample.wimPath, out(`rss-x-${tag}`)), outputs: [out(`rss-x-${tag}`)] },
    };
    // verify reads `media` (media the rounds left behind), else what the builds above leave
    // behind, so it runs after them.
    const target = media ?? { iso, img };
    commands['verify.iso'] = { cmd: verify(target.iso), outputs: [] };
    commands['verify.img'] = { cmd: verify(target.img), outputs: [] };
    return commands;
  }

  /** Builds one ISO and one UsbImage of `sample` (untimed, no verify), to be verified later. */
  function buildMedia(sample, tag) {
    const iso = out(`media-${tag}.iso`);
    const img = out(`media-${tag}.img`);
    sh(create(sample, 'cddvd', iso, false), { env });
    sh(create(sample, 'usbimage', img, false), { env });
    return { iso, img, isoBytes: statSync(iso).size, imgBytes: statSync(img).size };
  }

  /**
   * The peers' input: our media's exact file trees, taken out of our own ISO (xorriso -osirrox,
   * Joliet names; only when `withIso`) and USB image (mcopy), with sources/boot.wim a hard link
   * to the FileLib blob, the same bytes from the same place our build reads them.
   */
  function stageFromOurs(sample, tag, withIso) {
    const usbStaged = out(`staged-usb-${tag}`);
    const isoStaged = withIso ? out(`staged-iso-${tag}`) : undefined;
    const img = out(`probe-${tag}.img`);
    sh(create(sample, 'usbimage', img, false), { env });
    mkdirSync(usbStaged);
    sh(`mcopy -s -n -m -i ${q(img)}@@1M '::/*' ${q(usbStaged)}/`);
    const imageBytes = statSync(img).size;
    rmSync(img);
    if (isoStaged) {
      const iso = out(`probe-${tag}.iso`);
      sh(create(sample, 'cddvd', iso, false), { env });
      sh(`xorriso -osirrox on -indev ${q(iso)} -extract / ${q(isoStaged)} 2>/dev/null`);
      rmSync(iso);
    }
    for (const dir of [isoStaged, usbStaged].filter(Boolean)) {
      const wim = join(dir, 'sources/boot.wim');
      if (statSync(wim).size !== sample.wimBytes) throw new Error(`bench: ${wim} is not the boot image`);
      rmSync(wim);
      linkSync(sample.wimPath, wim);
    }
    const count = (dir) => Number(sh(`find ${q(dir)} -type f | wc -l`));
    return { isoStaged, usbStaged, imageBytes, isoFiles: isoStaged ? count(isoStaged) : 0, usbFiles: count(usbStaged) };
  }

  return { createCases, verifyCases, treeCases, extractCases, rssCommands, buildMedia, stageFromOurs };
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
export const sizeLabel = (sample) => `${(sample.wimBytes / 2 ** 30).toFixed(sample.wimBytes < 2 ** 30 ? 1 : 0)} GiB`;

/**
 * The ratios the report shows, for the sizes measured. `table` 'goals' is the primary
 * table (what users feel, against the disk's pace), 'tree' the older comparisons on the
 * 2,000-small-file tree. The ids key the hand-written texts in scripts/bench/misses.json.
 */
export function ratioDefs(tags) {
  const perSize = tags.flatMap(({ tag, size, cpGoal }) => [
    { id: `iso-cp-${tag}`, table: 'goals', size, label: 'ISO write-only ÷ cp WIM && sync', ours: `iso.ours@${tag}`, peer: `cp@${tag}`, goal: cpGoal },
    { id: `usb-cp-${tag}`, table: 'goals', size, label: 'UsbImage write-only ÷ cp WIM && sync', ours: `usb.ours@${tag}`, peer: `cp@${tag}`, goal: cpGoal },
    // Kept as a goal: it is the one peer that writes the same FAT32 image, from a tree already extracted.
    { id: `usb-mtools-${tag}`, table: 'goals', size, label: 'UsbImage write-only ÷ mkfs.fat+mcopy', ours: `usb.ours@${tag}`, peer: `usb.mtools@${tag}`, goal: 1.2 },
    { id: `isov-cp-${tag}`, table: 'goals', size, label: 'ISO default (write + verify) ÷ cp WIM && sync', ours: `iso.ours.verify@${tag}`, peer: `cp@${tag}`, goal: undefined, note: 'verify re-reads every byte; the copy does not' },
    { id: `usbv-cp-${tag}`, table: 'goals', size, label: 'UsbImage default (write + verify) ÷ cp WIM && sync', ours: `usb.ours.verify@${tag}`, peer: `cp@${tag}`, goal: undefined, note: 'verify re-reads every byte; the copy does not' },
  ]);
  return [
    ...perSize,
    { id: 'verify-iso', table: 'goals', size: '0.5 GiB', label: 'verify ISO ÷ dd iflag=direct | openssl sha256', ours: 'verify.iso', peer: 'dd.iso', goal: 1.1 },
    { id: 'verify-img', table: 'goals', size: '0.5 GiB', label: 'verify UsbImage ÷ dd iflag=direct | openssl sha256', ours: 'verify.img', peer: 'dd.img', goal: 1.1 },
    { id: 'iso-floor', table: 'tree', size: '0.5 GiB', label: 'ISO write-only ÷ cp -r tree', ours: 'iso.ours@0.5g', peer: 'iso.floor', goal: 1.15 },
    { id: 'iso-xorriso', table: 'tree', size: '0.5 GiB', label: 'ISO write-only ÷ cp -r tree + xorriso', ours: 'iso.ours@0.5g', peer: 'iso.xorriso', goal: 0.7 },
    { id: 'isov-floor', table: 'tree', size: '0.5 GiB', label: 'ISO default (verify) ÷ cp -r tree', ours: 'iso.ours.verify@0.5g', peer: 'iso.floor', goal: undefined, note: 'verify re-reads every byte from disk' },
    { id: 'isov-xorriso', table: 'tree', size: '0.5 GiB', label: 'ISO default (verify) ÷ cp -r tree + xorriso', ours: 'iso.ours.verify@0.5g', peer: 'iso.xorriso', goal: 0.7 },
    { id: 'wim-wimlib', table: 'tree', size: '0.5 GiB', label: 'WIM extraction ÷ wimlib-imagex apply', ours: 'wim.ours', peer: 'wim.wimlib', goal: 3 },
  ];
}
