// The driver set the drivers tests build into WIMs: inbox-style and oem<N>.inf packages, ANSI and
// UTF-16LE INFs, published in Windows\INF and/or in the driver store, x64 and arm64 models.
import { ahciInf, netInf, nvmeInf, utf16 } from '../helpers/inf-samples.js';
import type { DriverFile } from '../helpers/driver-wim.js';

export const IWAN_ID = 'PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03';

export const RAID_INF = [
  '[Version]',
  'Signature="$WINDOWS NT$"',
  'Class=SCSIAdapter',
  'ClassGuid={4D36E97B-E325-11CE-BFC1-08002BE10318}',
  'Provider=%INTEL%',
  'DriverVer=11/05/2024,20.0.0.1038',
  '[Manufacturer]',
  '%INTEL% = INTEL, NTamd64.10.0...17763',
  '[INTEL.NTamd64.10.0...17763]',
  '%VMD% = iaStorVD_Inst, PCI\\VEN_8086&DEV_A77F&CC_0104',
  '%VMD% = iaStorVD_Inst, PCI\\VEN_8086&DEV_7D0B',
  '[Strings]',
  'INTEL = "Intel Corporation"',
  'VMD = "Intel RST VMD Controller"',
].join('\r\n');

export function driverSet(): DriverFile[] {
  return [
    // Inbox-style: published under its own name and in the store, ANSI, a third-party provider.
    { published: 'net1ic64.inf', store: 'net1ic64.inf_amd64_0f4c2b7f2a7b61c1', content: netInf({ provider: 'Intel' }) },
    // Added with DISM: oem3.inf plus its store copy, UTF-16LE.
    {
      published: 'oem3.inf',
      store: 'rt640x64.inf_amd64_2c34e6b5a7e4d1f0',
      content: utf16(netInf({ provider: 'Realtek', models: ['PCI\\VEN_10EC&DEV_8168&SUBSYS_86771043&REV_15', 'PCI\\VEN_10EC&DEV_8168'] })),
    },
    { published: 'stornvme.inf', store: 'stornvme.inf_amd64_a1b2c3d4e5f60718', content: utf16(nvmeInf()) },
    { published: 'storahci.inf', content: ahciInf() },
    // In the store only (staged, not published): classified by provider.
    { store: 'iastorvd.inf_amd64_5e6f7a8b9c0d1e2f', content: RAID_INF },
    // Not driver INFs, or broken ones: listed as skipped, never fatal.
    { published: 'layout.inf', content: '[SourceDisksNames]\r\n1 = "Windows",,,\r\n' },
    { published: 'broken.inf', content: Uint8Array.from([0xff, 0xfe, 0x00, 0xd8, 0x41]) },
  ];
}
