// Matching required devices against a driver inventory the way Windows ranks driver candidates
// (hardware-id.ts): the device's ids in order, most specific first; the first id that any INF
// model line lists, as its hardware id or as one of its compatible ids, decides.

import { requirementForms, type DeviceRequirement } from './hardware-id.js';
import type { DriverInventory, DriverPackage } from './inventory.js';

export interface IdIndexEntry {
  readonly driver: DriverPackage;
  /** The INF lists the id as a model line's hardware id (else as a compatible id). */
  readonly asHardwareId: boolean;
}

export type DriverIdIndex = ReadonlyMap<string, readonly IdIndexEntry[]>;

export function indexDriverIds(inventory: DriverInventory): DriverIdIndex {
  const index = new Map<string, IdIndexEntry[]>();
  const add = (id: string, driver: DriverPackage, asHardwareId: boolean) => {
    const key = id.toUpperCase();
    const list = index.get(key) ?? [];
    if (!list.some((e) => e.driver === driver && e.asHardwareId === asHardwareId)) list.push({ driver, asHardwareId });
    index.set(key, list);
  };
  for (const driver of inventory.drivers) {
    for (const model of driver.models) {
      if (model.hardwareId) add(model.hardwareId, driver, true);
      for (const c of model.compatibleIds) add(c, driver, false);
    }
  }
  return index;
}

export interface DeviceMatch {
  readonly requirement: DeviceRequirement;
  /** The device id (or derived shorter form) that matched; undefined when none did. */
  readonly matchedId: string | undefined;
  /** 0 = the first id given; higher = a later or shorter form. */
  readonly rank: number;
  readonly drivers: readonly IdIndexEntry[];
  /** Every form tried, in order. */
  readonly tried: readonly string[];
}

export function matchDevice(requirement: DeviceRequirement, index: DriverIdIndex): DeviceMatch {
  const tried = requirementForms(requirement);
  for (const [rank, id] of tried.entries()) {
    const drivers = index.get(id);
    if (drivers && drivers.length > 0) return { requirement, matchedId: id, rank, drivers, tried };
  }
  return { requirement, matchedId: undefined, rank: -1, drivers: [], tried };
}
