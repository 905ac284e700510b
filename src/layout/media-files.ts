// The media tree for a plan and boot image (README "What is on the media"; CD or USB flavour), with
// its warnings handed once to the caller, and a USB volume's files with the manifest last: shared
// by every media path.

import type { TreeFile } from '../io/file-tree.js';
import { HashRecorder, manifestTreeFile } from './manifest.js';
import { buildMediaTree, type MediaTree } from './media-tree.js';
import type { MediaPlan } from '../plan/media-plan.js';
import type { OpenedBootImage } from '../source/boot-image-source.js';
import { PRODUCT_NAME_AND_VERSION as CREATED_BY } from '../version.js';
import { checkMediaNames } from './media-names.js';

export function planMediaTree(plan: MediaPlan, boot: OpenedBootImage, created: Date, medium: 'cd' | 'usb', warn: (message: string) => void): MediaTree {
  const tree = buildMediaTree({
    image: boot.image,
    architecture: boot.architecture,
    bootWim: boot.content,
    bootImageName: boot.name,
    label: plan.label.text,
    includeAutoRun: plan.includeAutoRun,
    medium,
    recordedAt: created,
    createdBy: CREATED_BY,
    ...(boot.clientFiles ? { clientFiles: boot.clientFiles } : {}),
    requireCaptureLauncher: plan.requireCaptureLauncher,
    bootManager: plan.bootManager,
  });
  for (const w of tree.warnings) warn(w);
  checkMediaNames(tree.files, medium);
  return tree;
}

/** The media files for a USB volume: the tree with every file hashed as it streams, and the manifest last. */
export function usbVolumeFiles(plan: MediaPlan, tree: MediaTree, created: Date): TreeFile[] {
  const recorder = new HashRecorder();
  const content = tree.files.map((f) => recorder.wrap(f));
  const manifest = manifestTreeFile(
    { label: plan.label.text, createdBy: CREATED_BY, created, disc: 1, discCount: 1, files: content.map((f) => ({ path: f.path, size: f.content.sizeBytes, disc: 1 })) },
    recorder,
  );
  return [...content, manifest];
}

