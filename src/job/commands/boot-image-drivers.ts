// `boot-images --drivers` (Get-CaptureMediaBootImage -Drivers): the driver packages of each boot
// image's booted WIM image (boot index, else 1), one result per package of the chosen classes
// (default: network and storage), with the warnings `create` would give for the same image.

import { basename, resolve } from 'node:path';
import type { CommandParams } from './params.js';
import { classWarnings, NET_CLASSES, STORAGE_CLASSES, isClass } from '../../drivers/check.js';
import { packageIds, readDriverInventory } from '../../drivers/inventory.js';
import { CaptureMediaError } from '../../errors.js';
import { listBootImages } from '../../source/boot-image.js';
import { checkContentLibraryAccess } from '../../source/content-library.js';
import { openWim } from '../../wim/index.js';
import type { JobContext } from '../context.js';

const DEFAULT_CLASSES = [...NET_CLASSES, ...STORAGE_CLASSES];

async function listWimDrivers(wimPath: string, id: string, classes: readonly string[] | '*', context: JobContext): Promise<void> {
  const wim = await openWim(wimPath);
  try {
    const index = wim.bootIndex > 0 ? wim.bootIndex : 1;
    const info = wim.images.find((i) => i.index === index);
    if (!info) throw new CaptureMediaError('WimInvalid', `${wimPath} has no image ${index}.`, { target: wimPath });
    const arch = info.architecture;
    if (arch !== 'x86' && arch !== 'x64' && arch !== 'arm64') {
      throw new CaptureMediaError('ArchitectureMismatch', `The boot image ${id} is ${arch === 'unknown' ? 'of an unknown architecture (no ARCH in its XML)' : arch}; its drivers cannot be matched to a platform.`, { target: id });
    }
    const image = await wim.openImage(index);
    const inventory = await readDriverInventory(image, { architecture: arch, osVersion: info.version || undefined, signal: context.signal });
    for (const warning of classWarnings(inventory, id)) context.reporter.log('warning', warning);
    for (const s of inventory.skipped) context.reporter.log('verbose', `${id}: INF ${s.path} not used: ${s.reason}.`);
    const shown = inventory.drivers
      .filter((d) => classes === '*' || isClass(d, classes))
      .sort((a, b) => a.className.localeCompare(b.className) || a.name.localeCompare(b.name));
    for (const d of shown) {
      const ids = packageIds(d);
      context.reporter.result({
        BootImage: id,
        Architecture: arch,
        Class: d.className,
        Inf: d.name,
        Origin: d.origin,
        Provider: d.provider,
        Version: d.driverVersion,
        Date: d.driverDate,
        HardwareIds: ids.hardwareIds,
        CompatibleIds: ids.compatibleIds,
        ClassGuid: d.classGuid,
        Path: d.path,
        StorePath: d.storePath ?? null,
        Problems: d.problems,
      });
    }
  } finally {
    await wim.close();
  }
}

export async function runBootImageDrivers(params: CommandParams, context: JobContext): Promise<void> {
  const requested = params.driverClass ?? [];
  const classes = requested.includes('*') ? '*' : requested.length > 0 ? requested : DEFAULT_CLASSES;
  for (const file of params.path ?? []) await listWimDrivers(resolve(file), basename(file), classes, context);
  const roots = (params.distributionPoint ?? []).map((r) => resolve(r));
  if (roots.length > 0) {
    await checkContentLibraryAccess(roots);
    const packages = await listBootImages(roots, {
      onSkipped: (packageId, error) => context.reporter.log('warning', `Package ${packageId} was skipped: ${error.message}`),
    });
    for (const pkg of packages) await listWimDrivers(pkg.blobPath, pkg.packageId, classes, context);
  }
}
