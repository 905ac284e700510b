// CD/DVD media: the media tree, split into discs when -MediaSize asks for it, each disc planned
// as an ISO, written in one pass to a temporary file beside its target, verified by reading it
// back, and only then renamed into place - all discs or none.

import { dirname } from 'node:path';
import type { BuildContext } from './context.js';
import { CaptureMediaError, throwIfAborted } from '../errors.js';
import type { TreeFile } from '../io/file-tree.js';
import { ProgressMeter } from '../io/progress.js';
import { emitIso, planIso, type IsoLayout } from '../iso/index.js';
import { MEDIA_LABEL_MEDIA_PATH } from '../layout/configmgr-names.js';
import { splitIntoDiscs } from '../layout/disc-set.js';
import { HashRecorder, manifestTreeFile, renderManifest, type ManifestPlan } from '../layout/manifest.js';
import { mediaKey, type MediaTree } from '../layout/media-tree.js';
import { planMediaTree } from '../layout/media-files.js';
import type { MediaPlan } from '../plan/media-plan.js';
import { discSetPath, refuseExisting, statOrUndefined } from '../plan/paths.js';
import { AtomicOutput, finalModeFor, removeStaleTempFiles } from '../io/atomic-output.js';
import { commitSet, namesInJournals, recoverSetCommits } from './set-commit.js';
import { discSetId, leftoverDiscs } from './disc-set-files.js';
import type { OpenedBootImage } from '../source/boot-image-source.js';
import { requireFreeSpace } from '../io/free-space.js';
import { PRODUCT_NAME_AND_VERSION as CREATED_BY } from '../version.js';
import { mediaResult, succeeded, type BuildOutcome } from './result.js';
import { verifyIso } from '../verify/verify-iso.js';
import { describeReads } from '../verify/verify-manifest.js';

interface DiscBuild {
  readonly disc: number;
  readonly target: string;
  readonly layout: IsoLayout;
  readonly files: readonly TreeFile[];
}

function planDiscs(plan: MediaPlan, tree: MediaTree, recorder: HashRecorder, created: Date, boot: OpenedBootImage): DiscBuild[] {
  const isLabel = (f: TreeFile) => mediaKey(f.path) === mediaKey(MEDIA_LABEL_MEDIA_PATH);
  const labelFile = tree.files.find(isLabel)!;
  const content = tree.files.filter((f) => !isLabel(f)).map((f) => recorder.wrap(f));
  const wrappedLabel = recorder.wrap(labelFile);

  // Every disc carries MediaLabel.txt and its manifest; reserve them before splitting.
  const allForManifest = (discOf: (f: TreeFile) => number, discCount: number) =>
    [...content.map((f) => ({ path: f.path, size: f.content.sizeBytes, disc: discOf(f) })), ...Array.from({ length: discCount }, (_, i) => ({ path: labelFile.path, size: labelFile.content.sizeBytes, disc: i + 1 }))];
  const roughManifest = Buffer.byteLength(
    renderManifest({ label: plan.label.text, createdBy: CREATED_BY, created, disc: 1, discCount: 99, setId: discSetId([]), files: allForManifest(() => 99, 99) }, () => 'F'.repeat(64)),
  );
  const reserved = roughManifest + labelFile.content.sizeBytes + 2 * 4096;
  const discs = plan.mediaSizeBytes === null ? [content] : splitIntoDiscs(content, tree.bootSet, plan.mediaSizeBytes, reserved);
  const discIndex = new Map<TreeFile, number>();
  discs.forEach((files, i) => files.forEach((f) => discIndex.set(f, i + 1)));
  const setFiles = allForManifest((f) => discIndex.get(f)!, discs.length);
  // Every disc names its set, so `verify` can tell a disc of this set from one of an earlier set.
  const setId = discSetId([plan.label.text, created.toISOString(), boot.name, boot.content.sizeBytes, ...setFiles.map((f) => `${f.path.join('/')}:${f.size}:${f.disc}`)]);

  return discs.map((files, i) => {
    const disc = i + 1;
    const manifestPlan: ManifestPlan = { label: plan.label.text, createdBy: CREATED_BY, created, disc, discCount: discs.length, setId, files: setFiles };
    const discFiles = [...files, wrappedLabel, manifestTreeFile(manifestPlan, recorder)];
    const target = discs.length === 1 ? plan.targets[0]! : discSetPath(plan.targets[0]!, disc);
    const layout = planIso(
      { files: discFiles },
      {
        volumeLabel: plan.label.iso,
        jolietLabel: plan.label.joliet,
        recordedAt: created,
        applicationId: CREATED_BY.toUpperCase().replace(/[^A-Z0-9_ ]/g, '_'),
        ...(disc === 1 && tree.biosBootFile ? { bootBios: { path: tree.biosBootFile, loadSectors: 8 } } : {}),
        ...(disc === 1 && tree.uefiBootFile ? { bootUefi: { path: tree.uefiBootFile } } : {}),
      },
    );
    if (plan.mediaSizeBytes !== null && layout.totalBytes > plan.mediaSizeBytes) {
      throw new CaptureMediaError('FileTooLargeForMedia', `Disc ${disc} needs ${layout.totalBytes} bytes, more than the media size of ${plan.mediaSizeBytes} bytes.`, { target });
    }
    return { disc, target, layout, files: discFiles };
  });
}

export async function buildIsoSet(plan: MediaPlan, boot: OpenedBootImage, created: Date, context: BuildContext): Promise<BuildOutcome> {
  const { reporter, signal } = context;
  const started = Date.now();
  const tree = planMediaTree(plan, boot, created, 'cd', (w) => context.reporter.log('warning', w));

  const recorder = new HashRecorder();
  const discs = planDiscs(plan, tree, recorder, created, boot);
  const outputDir = dirname(plan.targets[0]!);
  // An interrupted set commit is finished first, so the files looked at below are one whole set.
  if (!plan.whatIf) for (const line of await recoverSetCommits(outputDir)) reporter.log('warning', line);
  // Discs of an earlier, larger set under the same name would sit beside the new set looking like
  // part of it: they are replaced by nothing, in the same all-or-none commit (so need --force).
  const leftovers = discs.length > 1 ? await leftoverDiscs(plan.targets[0]!, discs.length) : [];
  const targets = [...discs.map((d) => d.target), ...leftovers];
  await refuseExisting(targets, plan.force);
  for (const target of targets) {
    const s = await statOrUndefined(target);
    if (s && !s.isFile()) {
      throw new CaptureMediaError('OutputPathInvalid', `${target} exists and is not a file (a folder?), so disc ${targets.indexOf(target) + 1} cannot be written there.`, { target });
    }
  }
  const totalBytes = discs.reduce((s, d) => s + d.layout.totalBytes, 0);
  reporter.log('info', `Media: ${discs.length} disc(s), ${discs.reduce((s, d) => s + d.files.length, 0)} files, ${totalBytes} bytes; boots ${tree.bootModes.join(' and ')}.`);

  if (plan.whatIf) {
    // -WhatIf outputs no objects (PowerShell convention): the plan is told as messages.
    for (const d of discs) reporter.log('info', `Would write ${d.target}: ${d.layout.totalBytes} bytes, ${d.files.length} files${d.disc === 1 ? `, bootable (${tree.bootModes.join(', ')})` : ''}.`);
    return succeeded([]);
  }

  for (const name of await removeStaleTempFiles(outputDir, Date.now(), await namesInJournals(outputDir))) reporter.log('info', `Removed a stale temporary file from an earlier interrupted run: ${name}`);
  await requireFreeSpace(outputDir, totalBytes, 'OutputSpaceLow', 'The output folder');

  const outputs: AtomicOutput[] = [];
  try {
    const meter = new ProgressMeter('write', totalBytes, (e) => reporter.progress(e), 'Writing');
    meter.start();
    for (const d of discs) {
      throwIfAborted(signal);
      meter.setStatus(`Writing ${d.target}`);
      const out = await AtomicOutput.create(d.target);
      outputs.push(out);
      await emitIso(d.layout, out.sink, { signal, onBytes: (n) => meter.add(n) });
      await out.close();
    }
    meter.finish();

    if (plan.verify) {
      for (const [i, d] of discs.entries()) {
        throwIfAborted(signal);
        const outcome = await verifyIso(outputs[i]!.tempPath, { where: d.target, signal, onProgress: (e) => reporter.progress(e), status: `Verifying ${d.target}` });
        reporter.log('verbose', `Verified ${d.target}: ${outcome.files} files, ${outcome.bytes} bytes match the manifest${describeReads(outcome)}.`);
      }
    }
    throwIfAborted(signal);
    if (outputs.length === 1 && leftovers.length === 0) await outputs[0]!.commit();
    else {
      for (const out of outputs) await out.close();
      const members = await Promise.all(outputs.map(async (o) => ({ target: o.targetPath, temp: o.tempPath, mode: await finalModeFor(o.targetPath) })));
      await commitSet([...members, ...leftovers.map((target) => ({ target, temp: null }))]);
      for (const out of outputs) out.markCommitted();
      for (const gone of leftovers) reporter.log('info', `Removed ${gone}: a disc of the earlier, larger set this one replaces.`);
    }
  } finally {
    for (const out of outputs) await out.discard();
  }
  return succeeded([
    mediaResult(
      { plan, boot, tree, started, context },
      {
        mediaType: 'CdDvd',
        path: discs.map((d) => d.target),
        volumeLabel: plan.label.iso,
        discs: discs.length,
        files: discs.reduce((s, d) => s + d.files.length, 0),
        bytes: discs.reduce((s, d) => s + d.layout.totalBytes, 0),
        verified: plan.verify,
      },
    ),
  ]);
}
