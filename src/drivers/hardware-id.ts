// Device ids as Windows matches them against INF model lines (Microsoft "Identifiers for PCI
// devices", "Hardware IDs", "Compatible IDs", "How Windows selects drivers"): a device reports
// hardware ids, most specific first, then compatible ids; Windows takes the first of them that an
// INF model line lists (as its hardware id or as one of its compatible ids). Comparison is
// case-insensitive.
//
// A user usually names a device by one id (`PCI\VEN_8086&DEV_15F3`, or the full id with SUBSYS
// and REV). From it we derive the shorter forms the device would also report:
//   PCI:   VEN&DEV&SUBSYS&REV, VEN&DEV&SUBSYS, VEN&DEV&CC_xxxxxx, VEN&DEV&CC_xxxx      (hardware ids)
//          VEN&DEV&REV, VEN&DEV, VEN&CC_xxxxxx, VEN&CC_xxxx, VEN, CC_xxxxxx&REV, CC_xxxxxx,
//          CC_xxxx&REV, CC_xxxx                                                       (compatible ids)
//          - each only when the fields it needs are in the given id;
//   other buses (USB, HID, ACPI, …): the id, then trailing `&` parts dropped one at a time down
//          to two parts (`USB\VID_0BDA&PID_8153&REV_3000` → `USB\VID_0BDA&PID_8153`).
// Class-code forms (`PCI\CC_010802`, which the inbox NVMe driver matches) are only known when the
// id carries CC_; Get-PnpDevice's HardwareID list does, so piping devices is the surest way.

export interface DeviceRequirement {
  /** As the user gave it, for messages. */
  readonly text: string;
  /** The device's ids as given, most specific first. */
  readonly ids: readonly string[];
  /** The setup class the device needs (Net, SCSIAdapter, HDC…), when given or derivable. */
  readonly className: string | undefined;
}

/** `Net:PCI\VEN_8086&DEV_15F3,PCI\VEN_8086&DEV_15F3&CC_0200`: an optional class, then one device's ids. */
export function parseDeviceRequirement(text: string): DeviceRequirement {
  const trimmed = text.trim();
  const m = /^([A-Za-z][A-Za-z0-9]{0,31}):([^\\].*|)$/.exec(trimmed);
  const idText = m ? m[2]! : trimmed;
  const ids = idText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return { text: trimmed, ids, className: m ? m[1] : classFromIds(ids) };
}

interface PciFields {
  ven?: string;
  dev?: string;
  subsys?: string;
  rev?: string;
  cc?: string;
}

function pciFields(rest: string): PciFields | undefined {
  const fields: PciFields = {};
  for (const part of rest.split('&')) {
    const m = /^(VEN|DEV|SUBSYS|REV|CC)_([0-9A-F]+)$/.exec(part);
    if (!m) return undefined;
    const key = m[1]!.toLowerCase() as keyof PciFields;
    fields[key] = m[2]!;
  }
  return fields;
}

function pciForms(f: PciFields): string[] {
  const out: string[] = [];
  const add = (...parts: (string | undefined)[]) => {
    if (parts.every((p) => p !== undefined)) out.push(`PCI\\${parts.join('&')}`);
  };
  const ven = f.ven && `VEN_${f.ven}`;
  const dev = f.dev && `DEV_${f.dev}`;
  const subsys = f.subsys && `SUBSYS_${f.subsys}`;
  const rev = f.rev && `REV_${f.rev}`;
  const cc6 = f.cc && f.cc.length >= 6 ? `CC_${f.cc.slice(0, 6)}` : undefined;
  const cc4 = f.cc && f.cc.length >= 4 ? `CC_${f.cc.slice(0, 4)}` : undefined;
  add(ven, dev, subsys, rev);
  add(ven, dev, subsys);
  add(ven, dev, cc6);
  add(ven, dev, cc4);
  add(ven, dev, rev);
  add(ven, dev);
  add(ven, cc6);
  add(ven, cc4);
  add(ven);
  add(cc6, rev);
  add(cc6);
  add(cc4, rev);
  add(cc4);
  return out;
}

/** The forms of one id Windows would try, most specific first, upper-case, the id itself first. */
export function idForms(id: string): string[] {
  const upper = id.trim().toUpperCase();
  const forms = [upper];
  const slash = upper.indexOf('\\');
  if (slash > 0) {
    const bus = upper.slice(0, slash);
    const rest = upper.slice(slash + 1);
    const pci = bus === 'PCI' ? pciFields(rest) : undefined;
    if (pci) forms.push(...pciForms(pci));
    else {
      const parts = rest.split('&');
      for (let n = parts.length - 1; n >= 2; n--) forms.push(`${bus}\\${parts.slice(0, n).join('&')}`);
    }
  }
  return [...new Set(forms)];
}

/** Every id a device would be matched by, in Windows' order, without repeats. */
export function requirementForms(requirement: DeviceRequirement): string[] {
  return [...new Set(requirement.ids.flatMap(idForms))];
}

/** The setup class a PCI class code needs (PCI SIG class codes; Microsoft's inbox INFs' classes). */
export function classFromIds(ids: readonly string[]): string | undefined {
  for (const id of ids) {
    const cc = /(?:^|[\\&])CC_([0-9A-F]{4,6})/i.exec(id)?.[1]?.toUpperCase();
    if (!cc) continue;
    if (cc.startsWith('02')) return 'Net';
    // IDE (0101) and SATA AHCI (0106) controllers are HDC (mshdc.inf, storahci.inf); SCSI, RAID,
    // SAS and NVMe controllers (0100, 0104, 0107, 0108) are SCSIAdapter (stornvme.inf, RAID miniports).
    if (cc.startsWith('0101') || cc.startsWith('0106')) return 'HDC';
    if (cc.startsWith('01')) return 'SCSIAdapter';
    if (cc.startsWith('0C03')) return 'USB';
  }
  return undefined;
}
