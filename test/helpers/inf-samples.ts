// Driver INFs written for the tests, shaped like real ones (Intel/Realtek NIC, NVMe and AHCI
// storage, an x64/arm64 decorated INF): strings, quoted values, continuations, comments.

export interface NetInfOptions {
  readonly provider?: string;
  readonly className?: string;
  readonly classGuid?: string;
  readonly decorations?: string;
  readonly models?: readonly string[];
}

/** A NIC INF: `models` are model-line right-hand sides after the install section. */
export function netInf(options: NetInfOptions = {}): string {
  const models = options.models ?? ['PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03', 'PCI\\VEN_8086&DEV_15F3'];
  return [
    '; Copyright test fixture',
    '[Version]',
    'Signature   = "$WINDOWS NT$"',
    `Class       = ${options.className ?? 'Net'}`,
    `ClassGuid   = ${options.classGuid ?? '{4d36e972-e325-11ce-bfc1-08002be10318}'}`,
    `Provider    = %${options.provider === undefined ? 'Intel' : 'Prov'}%`,
    'CatalogFile = e2f68.cat',
    'DriverVer   = 07/12/2023,2.1.3.15   ; date, version',
    '',
    '[Manufacturer]',
    `%Intel%     = Intel, ${options.decorations ?? 'NTamd64.10.0...16299, NTarm64'}`,
    '',
    '[Intel.NTamd64.10.0...16299]',
    ...models.map((m, i) => `%E15F3.DeviceDesc% = E15F3_${i}.ndi, \\\n    ${m}`),
    '',
    '[Intel.NTarm64]',
    '%E15F3.DeviceDesc% = E15F3.arm.ndi, PCI\\VEN_8086&DEV_ARM1',
    '',
    '[E15F3_0.ndi]',
    'AddReg = x',
    '',
    '[Strings]',
    'Intel = "Intel Corporation"',
    `Prov = "${options.provider ?? ''}"`,
    'E15F3.DeviceDesc = "Intel(R) Ethernet Controller I225-V; rev ""3"""',
    '',
  ].join('\r\n');
}

/** The inbox NVMe driver's shape: matched by class code, a compatible id of every NVMe controller. */
export function nvmeInf(): string {
  return [
    '[Version]',
    'Signature="$WINDOWS NT$"',
    'Class=SCSIAdapter',
    'ClassGUID={4D36E97B-E325-11CE-BFC1-08002BE10318}',
    'Provider=%MSFT%',
    'DriverVer=06/21/2006,10.0.26100.1',
    '[Manufacturer]',
    '%Standard% = Standard, NTamd64, NTarm64',
    '[Standard.NTamd64]',
    '%NVME.DeviceDesc% = Stornvme_Inst, PCI\\CC_010802',
    '[Standard.NTarm64]',
    '%NVME.DeviceDesc% = Stornvme_Inst, PCI\\CC_010802',
    '[Strings]',
    'MSFT = "Microsoft"',
    'Standard = "Standard NVM Express Controller"',
    'NVME.DeviceDesc = "Standard NVM Express Controller"',
  ].join('\r\n');
}

/** An AHCI controller INF of class HDC (as storahci.inf), models by hardware id and compatible id. */
export function ahciInf(): string {
  return [
    '[Version]',
    'Signature="$WINDOWS NT$"',
    'ClassGUID={4D36E96A-E325-11CE-BFC1-08002BE10318}',
    'Provider=%MSFT%',
    'DriverVer=06/21/2006,10.0.26100.2',
    '[Manufacturer]',
    '%MSFT% = Generic, NTamd64',
    '[Generic.NTamd64]',
    '%AHCI% = msahci, PCI\\VEN_1022&DEV_7901, PCI\\CC_010601',
    '[Strings]',
    'MSFT = "Microsoft"',
    'AHCI = "Standard SATA AHCI Controller"',
  ].join('\r\n');
}

/** UTF-16LE with BOM, as Windows' Unicode INFs are stored. */
export function utf16(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}
