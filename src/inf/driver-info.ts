// What a driver INF says about itself (Microsoft "INF Version section", "INF Manufacturer
// section", "INF Models section"):
//   [Version]       Class=, ClassGuid= (the device setup class), Provider=, DriverVer=mm/dd/yyyy,w.x.y.z, CatalogFile=
//   [Manufacturer]  %Mfg% = Models[, TargetOSVersion…]     (target-os.ts picks the section)
//   [Models.Deco]   %DeviceDesc% = InstallSection, hw-id[, compatible-id…]
// The ids of every model line of the selected sections are what Windows matches a device against.

import type { InfDocument } from './document.js';
import { selectModelsSection, type TargetOs } from './target-os.js';

export interface InfModel {
  readonly manufacturer: string;
  /** The models section the line is in, as referenced (e.g. `Intel.NTamd64.10.0`). */
  readonly section: string;
  readonly description: string;
  readonly installSection: string;
  readonly hardwareId: string;
  readonly compatibleIds: readonly string[];
  readonly lineNumber: number;
}

export interface InfDriverInfo {
  /** Class= as written, or the name of a known ClassGuid; '' when neither. */
  readonly className: string;
  /** Lower-case, without braces; '' when absent. */
  readonly classGuid: string;
  readonly provider: string;
  /** DriverVer date as ISO `yyyy-mm-dd`, '' when absent or not a date. */
  readonly driverDate: string;
  readonly driverVersion: string;
  readonly catalogFile: string;
  readonly models: readonly InfModel[];
  /** Models sections a [Manufacturer] line names that the INF does not have (a broken INF). */
  readonly missingSections: readonly string[];
}

/** The device setup classes that matter for a boot image (Microsoft "System-defined device setup classes"). */
export const KNOWN_CLASS_GUIDS: Readonly<Record<string, string>> = {
  '4d36e972-e325-11ce-bfc1-08002be10318': 'Net',
  '4d36e97b-e325-11ce-bfc1-08002be10318': 'SCSIAdapter',
  '4d36e96a-e325-11ce-bfc1-08002be10318': 'HDC',
  '36fc9e60-c465-11cf-8056-444553540000': 'USB',
  '4d36e967-e325-11ce-bfc1-08002be10318': 'DiskDrive',
  '4d36e97d-e325-11ce-bfc1-08002be10318': 'System',
  '745a17a0-74d3-11d0-b6fe-00a0c90f57da': 'HIDClass',
  '4d36e96b-e325-11ce-bfc1-08002be10318': 'Keyboard',
  '4d36e96f-e325-11ce-bfc1-08002be10318': 'Mouse',
  '4d36e968-e325-11ce-bfc1-08002be10318': 'Display',
  '4d36e97e-e325-11ce-bfc1-08002be10318': 'Unknown',
  '71a27cdd-812a-11d0-bec7-08002be2092f': 'Volume',
  '4d36e965-e325-11ce-bfc1-08002be10318': 'CDROM',
  'a0a588a4-c46f-4b37-b7ea-c82fe89870c6': 'SDHost',
  '4d36e97a-e325-11ce-bfc1-08002be10318': 'Printer',
  'e0cbf06c-cd8b-4647-bb8a-263b43f0f974': 'Bluetooth',
  '4d36e96c-e325-11ce-bfc1-08002be10318': 'MEDIA',
  '50127dc3-0f36-415e-a6cc-4cb3be910b65': 'Processor',
  '4d36e978-e325-11ce-bfc1-08002be10318': 'Ports',
  '5099944a-f6b9-4057-a056-8c550228544c': 'Firmware',
  'd48179be-ec20-11d1-b6b8-00c04fa372a7': 'SBP2',
  '6bdd1fc6-810f-11d0-bec7-08002be2092f': 'Image',
};

/**
 * A copy of `text` that does not point into the INF's text. V8 keeps a substring as a view of its
 * parent, so an id kept in the inventory would otherwise keep the whole decoded INF alive.
 */
function own(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf16le').toString('utf16le');
}

function first(doc: InfDocument, section: string, key: string): string {
  return doc.section(section)?.valuesOf(key)?.[0] ?? '';
}

function normalizeGuid(text: string): string {
  const m = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i.exec(text.trim());
  return m ? m[1]!.toLowerCase() : '';
}

function parseDriverDate(text: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!m) return '';
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return '';
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function describeInf(doc: InfDocument, target: TargetOs): InfDriverInfo {
  const classGuid = normalizeGuid(first(doc, 'Version', 'ClassGuid'));
  const className = first(doc, 'Version', 'Class') || KNOWN_CLASS_GUIDS[classGuid] || '';
  const driverVer = doc.section('Version')?.valuesOf('DriverVer') ?? [];
  const catalogKey = doc.section('Version')?.lines.find((l) => l.key !== undefined && /^CatalogFile(\..*)?$/i.test(l.key));

  const models: InfModel[] = [];
  const missingSections: string[] = [];
  const seenSections = new Set<string>();
  for (const line of doc.section('Manufacturer')?.lines ?? []) {
    // `%Mfg% = Models, NTamd64` or the old form `Models` (manufacturer name = section name).
    const manufacturer = line.key ?? line.values[0] ?? '';
    const [base, ...decorations] = line.key === undefined ? [line.values[0] ?? ''] : line.values;
    if (!base) continue;
    const sectionName = selectModelsSection(base, decorations, target);
    if (sectionName === undefined || seenSections.has(sectionName.toUpperCase())) continue;
    seenSections.add(sectionName.toUpperCase());
    const section = doc.section(sectionName);
    if (!section) {
      missingSections.push(sectionName);
      continue;
    }
    for (const model of section.lines) {
      const [installSection = '', hardwareId = '', ...compatible] = model.values;
      if (hardwareId === '' && compatible.every((c) => c === '')) continue;
      models.push({
        manufacturer: own(manufacturer),
        section: own(sectionName),
        description: own(model.key ?? ''),
        installSection: own(installSection),
        hardwareId: own(hardwareId),
        compatibleIds: compatible.filter((c) => c !== '').map(own),
        lineNumber: model.lineNumber,
      });
    }
  }
  return {
    className: own(className),
    classGuid,
    provider: own(first(doc, 'Version', 'Provider')),
    driverDate: parseDriverDate(driverVer[0] ?? ''),
    driverVersion: own((driverVer[1] ?? '').trim()),
    catalogFile: own(catalogKey?.values[0] ?? ''),
    models,
    missingSections,
  };
}
