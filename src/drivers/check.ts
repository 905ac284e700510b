// The boot image driver check a job runs before it writes anything (ConfigMgr's capture media
// prerequisite: "make sure the boot image contains the network and storage drivers needed to
// provision the target computer"):
//   - every required device (`--require-hardware-id`) must be matched by some INF model line
//     (match.ts), else DriverMissing naming each unmatched device and the class it needs;
//   - a boot image with no network driver, or no storage controller driver, for its architecture
//     gets a warning saying what that costs.
// A matching INF proves Windows PE would pick a driver for the device; it cannot prove the driver
// loads (signature, missing files, a service that fails to start): that shows only on the device.

import { CaptureMediaError } from '../errors.js';
import type { InfArchitecture } from '../inf/index.js';
import type { WimFile, WimImage } from '../wim/index.js';
import { parseDeviceRequirement, type DeviceRequirement } from './hardware-id.js';
import { readDriverInventory, type DriverInventory, type DriverPackage } from './inventory.js';
import { indexDriverIds, matchDevice, type DeviceMatch } from './match.js';

export const NET_CLASSES: readonly string[] = ['Net'];
export const STORAGE_CLASSES: readonly string[] = ['SCSIAdapter', 'HDC'];

const ADD_DRIVER_FIX =
  "add the device's driver to the boot image (ConfigMgr console: the boot image's Properties → Drivers, then update distribution points; or DISM /Image:<mount> /Add-Driver), then build the media again";

export function isClass(driver: DriverPackage, classes: readonly string[]): boolean {
  return classes.some((c) => c.toUpperCase() === driver.className.toUpperCase());
}

/** Warnings for a boot image lacking every network or every storage driver for its architecture. */
export function classWarnings(inventory: DriverInventory, bootImageName: string): string[] {
  const warnings: string[] = [];
  const serving = (classes: readonly string[]) => inventory.drivers.filter((d) => isClass(d, classes) && d.models.length > 0);
  const present = (classes: readonly string[]) => inventory.drivers.filter((d) => isClass(d, classes)).length;
  const arch = inventory.architecture;
  if (serving(NET_CLASSES).length === 0) {
    const other = present(NET_CLASSES);
    warnings.push(
      `The boot image ${bootImageName} has no network (Net class) driver for ${arch}${other ? ` (${other} Net INF(s), none listing a device for ${arch})` : ''}: ` +
        'Windows PE will not reach the network on the reference computer, so the capture cannot be written to the share — and Sysprep will already have run. ' +
        "Add the reference computer's network driver to the boot image.",
    );
  }
  if (serving(STORAGE_CLASSES).length === 0) {
    const other = present(STORAGE_CLASSES);
    warnings.push(
      `The boot image ${bootImageName} has no storage controller (SCSIAdapter or HDC class) driver for ${arch}${other ? ` (${other} such INF(s), none listing a device for ${arch})` : ''}: ` +
        "Windows PE may not see the reference computer's disk, so there is nothing to capture. Add the disk controller's driver to the boot image.",
    );
  }
  return warnings;
}

function describeDriver(d: DriverPackage): string {
  return `${d.name} (${d.className || 'no class'}, ${d.provider || 'no provider'}${d.driverVersion ? ` ${d.driverVersion}` : ''}, ${d.origin.toLowerCase()})`;
}

export function describeMatch(m: DeviceMatch): string {
  if (m.matchedId === undefined) return `${m.requirement.text}: no driver`;
  const how = m.rank === 0 ? 'its id' : `the form ${m.matchedId}`;
  const drivers = m.drivers.map((e) => `${describeDriver(e.driver)}${e.asHardwareId ? '' : ' as a compatible id'}`).join('; ');
  return `${m.requirement.text} is served through ${how} by ${drivers}`;
}

/** The required devices, checked for shape before anything is read (InvalidParameter, exit 2). */
export function parseRequirements(texts: readonly string[]): DeviceRequirement[] {
  return texts.map((text) => {
    const requirement = parseDeviceRequirement(text);
    if (requirement.ids.length === 0 || requirement.ids.some((id) => id.length > 512 || /[\s"]/.test(id))) {
      throw new CaptureMediaError(
        'InvalidParameter',
        `-RequireHardwareId "${text}" is not a hardware id; give one such as PCI\\VEN_8086&DEV_15F3 (several ids of one device separated by commas, optionally after Class:).`,
        { target: text },
      );
    }
    return requirement;
  });
}

/** Match every required device; DriverMissing names each one no INF serves. Returns the matches. */
export function requireDevices(inventory: DriverInventory, requirements: readonly DeviceRequirement[], bootImageName: string): DeviceMatch[] {
  const index = indexDriverIds(inventory);
  const matches = requirements.map((r) => matchDevice(r, index));
  const missing = matches.filter((m) => m.matchedId === undefined);
  if (missing.length > 0) {
    const lines = missing.map((m) => {
      const cls = m.requirement.className ?? inferClassFromInventory(m, inventory);
      const needs = cls ? `a ${cls} class driver` : 'a driver (class unknown: pipe the Get-PnpDevice object, or write Class:Id, to name it)';
      return `${m.requirement.ids[0]} needs ${needs}, and no INF model line lists ${m.tried.length > 1 ? `any of ${m.tried.join(', ')}` : 'it'}`;
    });
    throw new CaptureMediaError(
      'DriverMissing',
      `The boot image ${bootImageName} (${inventory.architecture}) has no driver for ${missing.length} of ${matches.length} required device(s): ${lines.join('; ')}. Fix: ${ADD_DRIVER_FIX}.`,
      { target: missing.map((m) => m.requirement.ids[0]).join(', ') },
    );
  }
  return matches;
}

/** A class for an unmatched device from a driver that lists its vendor (same VEN_/VID_), if one does. */
function inferClassFromInventory(m: DeviceMatch, inventory: DriverInventory): string | undefined {
  const vendor = /^([^\\]+\\(?:VEN|VID)_[0-9A-F]+)/i.exec(m.requirement.ids[0] ?? '')?.[1]?.toUpperCase();
  if (!vendor) return undefined;
  const classes = new Set<string>();
  for (const d of inventory.drivers) {
    if (d.className && d.models.some((model) => model.hardwareId.toUpperCase().startsWith(vendor) && model.hardwareId.toUpperCase().includes('&DEV_'))) classes.add(d.className);
  }
  return classes.size === 1 ? [...classes][0] : undefined;
}

/** Where the check reports: a job's reporter fits (its levels are the bridge's log levels). */
export interface DriverCheckReporter {
  log(level: 'verbose' | 'info' | 'warning', message: string): void;
}

export interface BootImageForCheck {
  readonly image: WimImage;
  readonly architecture: InfArchitecture;
  readonly osVersion: string | undefined;
  /** How the user names it (package id or file name). */
  readonly name: string;
}

/**
 * The whole check as a job runs it, before any byte is written: read the inventory, warn about
 * missing classes, then match the required devices (DriverMissing). Without required devices an
 * inventory that cannot be read is only a warning: the check is advice then, not a gate.
 */
export async function checkBootImageDrivers(
  boot: BootImageForCheck,
  requirements: readonly DeviceRequirement[],
  reporter: DriverCheckReporter,
  signal?: AbortSignal,
): Promise<DeviceMatch[]> {
  let inventory: DriverInventory;
  try {
    inventory = await readDriverInventory(boot.image, { architecture: boot.architecture, osVersion: boot.osVersion, signal });
  } catch (error: unknown) {
    if (requirements.length > 0 || !(error instanceof CaptureMediaError) || error.id === 'Cancelled') throw error;
    reporter.log('warning', `The drivers of the boot image ${boot.name} could not be listed, so they were not checked: ${error.message}`);
    return [];
  }
  const drivers = inventory.drivers;
  reporter.log(
    'verbose',
    `Boot image drivers: ${drivers.length} INF(s) (${drivers.filter((d) => d.origin === 'Added').length} added), ` +
      `${drivers.filter((d) => isClass(d, NET_CLASSES)).length} network, ${drivers.filter((d) => isClass(d, STORAGE_CLASSES)).length} storage.`,
  );
  for (const s of inventory.skipped) reporter.log('verbose', `INF ${s.path} not used: ${s.reason}.`);
  for (const warning of classWarnings(inventory, boot.name)) reporter.log('warning', warning);
  if (requirements.length === 0) return [];
  const matches = requireDevices(inventory, requirements, boot.name);
  for (const m of matches) reporter.log('info', `Driver check: ${describeMatch(m)}.`);
  return matches;
}

/**
 * The check on a WIM that is not being written from (media already made): its boot image (boot
 * index, else 1) must serve every required device.
 */
export async function checkWimDrivers(
  wim: WimFile,
  name: string,
  requirements: readonly DeviceRequirement[],
  reporter: DriverCheckReporter,
  signal?: AbortSignal,
): Promise<DeviceMatch[]> {
  const index = wim.bootIndex > 0 ? wim.bootIndex : 1;
  const info = wim.images.find((i) => i.index === index);
  if (!info) throw new CaptureMediaError('WimInvalid', `${name} has no image ${index}.`, { target: name });
  const arch = info.architecture;
  if (arch !== 'x86' && arch !== 'x64' && arch !== 'arm64') {
    throw new CaptureMediaError('ArchitectureMismatch', `The boot image ${name} is of ${arch === 'unknown' ? 'an unknown architecture (no ARCH in its XML)' : `architecture ${arch}`}; its drivers cannot be matched to a platform.`, { target: name });
  }
  return checkBootImageDrivers({ image: await wim.openImage(index), architecture: arch, osVersion: info.version || undefined, name }, requirements, reporter, signal);
}
