// The driver packages a boot image holds, read from the WIM image itself (no mounting, no DISM).
//
// Where Windows keeps them (Microsoft "Driver store", "Driver package installation"): published
// INFs are `Windows\INF\*.inf` — inbox ones under their own names, added ones as `oem<N>.inf` —
// and every package sits in the driver store as
// `Windows\System32\DriverStore\FileRepository\<name>.inf_<arch>_<hash>\<name>.inf`. The same INF
// is usually in both places, byte for byte, so packages are deduplicated by the content's SHA-1
// (which the WIM already records per file). A package is "Added" when its published name is
// oem<N>.inf, or — found only in the store — when its provider is not Microsoft.

import { CaptureMediaError } from '../errors.js';
import { INF_MAX_BYTES, readInf, type InfArchitecture, type InfModel } from '../inf/index.js';
import type { WimEntry, WimImage } from '../wim/index.js';
import { readWhole } from '../io/content.js';

export const INF_DIR = 'Windows\\INF';
export const DRIVER_STORE_DIR = 'Windows\\System32\\DriverStore\\FileRepository';
/** INFs read at once: hides the latency of each small read without holding much memory. */
const READ_CONCURRENCY = 8;

export type DriverOrigin = 'Inbox' | 'Added';

export interface DriverPackage {
  /** Published name (`oem3.inf`, `netwtw08.inf`), or the store file name when unpublished. */
  readonly name: string;
  /** Where it was read in the image. */
  readonly path: string;
  /** The driver store copy, when there is one. */
  readonly storePath: string | undefined;
  readonly origin: DriverOrigin;
  readonly className: string;
  readonly classGuid: string;
  readonly provider: string;
  readonly driverDate: string;
  readonly driverVersion: string;
  /** Model lines for the image's architecture. */
  readonly models: readonly InfModel[];
  /** What was odd in the INF and how it was read anyway. */
  readonly problems: readonly string[];
}

export interface SkippedInf {
  readonly path: string;
  readonly reason: string;
}

export interface DriverInventory {
  readonly architecture: InfArchitecture;
  readonly osVersion: string | undefined;
  readonly drivers: readonly DriverPackage[];
  /** INF files that are not driver INFs or could not be read as one. */
  readonly skipped: readonly SkippedInf[];
  /** INF files looked at (before deduplication). */
  readonly infFiles: number;
}

function isInf(entry: WimEntry): boolean {
  return !entry.isDirectory && /\.inf$/i.test(entry.name);
}

const byPath = (a: WimEntry, b: WimEntry) => (a.path.toUpperCase() < b.path.toUpperCase() ? -1 : a.path.toUpperCase() > b.path.toUpperCase() ? 1 : 0);

/** The INF files of the image: published ones first, then the driver store's; each sorted by path (output independent of WIM order). */
function findInfs(image: WimImage): { published: WimEntry[]; store: WimEntry[] } {
  const published = image.list(INF_DIR).filter(isInf).sort(byPath);
  const store: WimEntry[] = [];
  for (const dir of image.list(DRIVER_STORE_DIR)) {
    if (!dir.isDirectory) continue;
    for (const entry of image.list(dir.path)) if (isInf(entry)) store.push(entry);
  }
  return { published, store: store.sort(byPath) };
}

async function readEntry(image: WimImage, entry: WimEntry, signal: AbortSignal | undefined): Promise<Uint8Array> {
  return readWhole(image.contentSource(entry).stream(signal), entry.sizeBytes);
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface InventoryOptions {
  readonly architecture: InfArchitecture;
  readonly osVersion?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Read every driver INF of a WIM image. A damaged or odd INF is listed in `skipped` (or keeps its
 * `problems`); a WIM that cannot be read (bad SHA-1, corrupt chunk) throws its own error.
 */
export async function readDriverInventory(image: WimImage, options: InventoryOptions): Promise<DriverInventory> {
  const { published, store } = findInfs(image);
  const target = { architecture: options.architecture, version: options.osVersion };
  const skipped: SkippedInf[] = [];
  const bySha1 = new Map<string, { entry: WimEntry; storePath: string | undefined; publishedName: string | undefined }>();
  const order: string[] = [];
  for (const entry of published) {
    const key = entry.sha1 === '' ? `empty:${entry.path}` : entry.sha1;
    if (!bySha1.has(key)) {
      bySha1.set(key, { entry, storePath: undefined, publishedName: entry.name });
      order.push(key);
    }
  }
  for (const entry of store) {
    const key = entry.sha1 === '' ? `empty:${entry.path}` : entry.sha1;
    const known = bySha1.get(key);
    if (known) {
      if (known.storePath === undefined) known.storePath = entry.path;
      continue;
    }
    bySha1.set(key, { entry, storePath: entry.path, publishedName: undefined });
    order.push(key);
  }

  const unique = order.map((k) => bySha1.get(k)!);
  const results = await mapLimited(unique, READ_CONCURRENCY, async (item) => {
    if (options.signal?.aborted) throw new CaptureMediaError('Cancelled', 'The operation was cancelled.');
    if (item.entry.sizeBytes > INF_MAX_BYTES) return { kind: 'rejected' as const, reason: `${item.entry.sizeBytes} bytes is larger than the ${INF_MAX_BYTES} an INF may have` };
    const result = readInf(await readEntry(image, item.entry, options.signal), target);
    // Keep only what the inventory needs: holding every parsed document until the end made the
    // garbage collector copy them all (half of the inventory's time on a WinPE-sized set).
    return result.kind === 'read' ? { kind: 'read' as const, driver: result.driver, problems: result.problems } : result;
  });

  const drivers: DriverPackage[] = [];
  unique.forEach((item, i) => {
    const result = results[i]!;
    if (result.kind === 'rejected') {
      skipped.push({ path: item.entry.path, reason: result.reason });
      return;
    }
    const d = result.driver;
    const origin: DriverOrigin =
      item.publishedName !== undefined ? (/^oem\d+\.inf$/i.test(item.publishedName) ? 'Added' : 'Inbox') : /microsoft/i.test(d.provider) ? 'Inbox' : 'Added';
    drivers.push({
      name: item.publishedName ?? item.entry.name,
      path: item.entry.path,
      storePath: item.storePath,
      origin,
      className: d.className,
      classGuid: d.classGuid,
      provider: d.provider,
      driverDate: d.driverDate,
      driverVersion: d.driverVersion,
      models: d.models,
      problems: result.problems,
    });
  });
  return { architecture: options.architecture, osVersion: options.osVersion, drivers, skipped, infFiles: published.length + store.length };
}

/** Hardware and compatible ids of a package's model lines, each once, upper-case. */
export function packageIds(pkg: DriverPackage): { hardwareIds: string[]; compatibleIds: string[] } {
  const hardware = new Set<string>();
  const compatible = new Set<string>();
  for (const m of pkg.models) {
    if (m.hardwareId) hardware.add(m.hardwareId.toUpperCase());
    for (const c of m.compatibleIds) compatible.add(c.toUpperCase());
  }
  return { hardwareIds: [...hardware], compatibleIds: [...compatible] };
}
