# Module manifest for CaptureMedia: build Configuration Manager capture media (ISO sets, USB drives,
# USB disk images) from a script. The work is done by the one-file Node.js core (core\capture-media.cjs
# in the installed package, ..\dist\capture-media.cjs in a source checkout); these functions speak
# the NDJSON bridge protocol (docs/bridge.md of the source repository).
@{
    RootModule           = 'CaptureMedia.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6b7c1f0e-3d2a-4c5e-9f61-2a8e4b9d7c13'
    Author               = 'capture-media contributors'
    CompanyName          = 'capture-media'
    Copyright            = '(c) capture-media contributors. MIT License.'
    Description          = 'Create Configuration Manager capture media (bootable ISO sets, FAT32 USB drives and USB disk images) from a boot image, without the console.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('CaptureMedia.format.ps1xml')
    # Listed explicitly (never '*'): the Pester suite checks that this is exactly Public/*.ps1.
    FunctionsToExport    = @(
        'Compare-CaptureMedia'
        'Get-CaptureMediaBootImage'
        'Get-CaptureMediaDisk'
        'New-CaptureMedia'
        'Test-CaptureMedia'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('ConfigMgr', 'SCCM', 'MECM', 'CaptureMedia', 'WinPE', 'ISO', 'USB', 'OSD')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
