# The boot image driver check through the module and the real core, the bundle that ships (dist/capture-media.cjs):
# New-CaptureMedia -RequireHardwareId (strings, and device objects piped in as Get-PnpDevice
# outputs them) and Get-CaptureMediaBootImage -Drivers. Get-PnpDevice cannot run here (no
# Windows PnP manager): its objects are FAKED as [pscustomobject]s with the same HardwareID,
# CompatibleID and Class properties.

BeforeAll {
    $script:repoRoot = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../..')).ProviderPath
    Import-Module -Name (Join-Path -Path $script:repoRoot -ChildPath 'module/CaptureMedia.psd1') -Force
    $script:savedCli = $env:CAPTUREMEDIA_CLI
    $script:savedNoLog = $env:CAPTUREMEDIA_NO_LOG
    $env:CAPTUREMEDIA_CLI = Join-Path -Path $script:repoRoot -ChildPath 'dist/capture-media.cjs'
    $env:CAPTUREMEDIA_NO_LOG = '1'

    # A WinPE-shaped WIM (wimlib-imagex) with boot files, an Intel NIC INF published as oem1.inf
    # and the inbox NVMe INF shape (matched by class code) in the driver store.
    $tree = Join-Path -Path $TestDrive -ChildPath 'winpe'
    foreach ($file in @('Windows/Boot/EFI/bootmgfw.efi', 'Windows/Boot/DVD/EFI/en-US/efisys.bin', 'Windows/Boot/DVD/EFI/BCD', 'Windows/Boot/DVD/PCAT/boot.sdi', 'Windows/Boot/DVD/PCAT/etfsboot.com', 'Windows/Boot/PCAT/bootmgr', 'Windows/Boot/DVD/PCAT/BCD')) {
        $full = Join-Path -Path $tree -ChildPath $file
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Path $full -Parent)
        Set-Content -LiteralPath $full -Value "placeholder $file"
    }
    $infDir = Join-Path -Path $tree -ChildPath 'Windows/INF'
    $storeDir = Join-Path -Path $tree -ChildPath 'Windows/System32/DriverStore/FileRepository/stornvme.inf_amd64_0123456789abcdef'
    $null = New-Item -ItemType Directory -Force -Path $infDir, $storeDir
    $nic = @(
        '[Version]', 'Signature="$WINDOWS NT$"', 'Class=Net', 'ClassGuid={4d36e972-e325-11ce-bfc1-08002be10318}', 'Provider=%Intel%', 'DriverVer=07/12/2023,2.1.3.15',
        '[Manufacturer]', '%Intel% = Intel, NTamd64.10.0...16299',
        '[Intel.NTamd64.10.0...16299]', '%I225% = E15F3.ndi, PCI\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03, \', '    PCI\VEN_8086&DEV_15F3',
        '[Strings]', 'Intel = "Intel Corporation"', 'I225 = "Intel(R) Ethernet Controller I225-V"'
    )
    Set-Content -LiteralPath (Join-Path -Path $infDir -ChildPath 'oem1.inf') -Value $nic -Encoding ascii
    $nvme = @(
        '[Version]', 'Signature="$WINDOWS NT$"', 'Class=SCSIAdapter', 'ClassGUID={4D36E97B-E325-11CE-BFC1-08002BE10318}', 'Provider=%MSFT%', 'DriverVer=06/21/2006,10.0.26100.1',
        '[Manufacturer]', '%MSFT% = Standard, NTamd64', '[Standard.NTamd64]', '%NVME% = Stornvme_Inst, PCI\CC_010802',
        '[Strings]', 'MSFT = "Microsoft"', 'NVME = "Standard NVM Express Controller"'
    )
    # Unicode INF: UTF-16LE with a byte order mark.
    [System.IO.File]::WriteAllLines((Join-Path -Path $storeDir -ChildPath 'stornvme.inf'), [string[]]$nvme, [System.Text.Encoding]::Unicode)
    $script:bootWim = Join-Path -Path $TestDrive -ChildPath 'boot.wim'
    & wimlib-imagex capture $tree $script:bootWim 'Microsoft Windows PE (x64)' --boot --image-property 'WINDOWS/ARCH=9' | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'wimlib-imagex capture failed (is wimtools installed?)' }

    # FAKE Get-PnpDevice output (CimInstance of Win32_PnPEntity on Windows): the properties the module reads.
    function New-FakePnpDevice {
        param([string] $Class, [string[]] $HardwareID, [string[]] $CompatibleID)
        [pscustomobject]@{ Class = $Class; FriendlyName = 'fake device'; HardwareID = $HardwareID; CompatibleID = $CompatibleID }
    }
}

AfterAll {
    $env:CAPTUREMEDIA_CLI = $script:savedCli
    $env:CAPTUREMEDIA_NO_LOG = $script:savedNoLog
    Remove-Module -Name CaptureMedia -Force -ErrorAction SilentlyContinue
}

Describe 'New-CaptureMedia -RequireHardwareId' {
    It 'fails with DriverMissing (InvalidData) before writing, naming the id' {
        $target = Join-Path -Path $TestDrive -ChildPath 'missing.iso'
        $caught = $null
        try {
            New-CaptureMedia -MediaType CdDvd -Path $target -BootImage $script:bootWim -RequireHardwareId 'PCI\VEN_8086&DEV_15F3', 'PCI\VEN_14E4&DEV_1687&CC_0200' -Confirm:$false -ErrorAction Stop
        }
        catch {
            $caught = $_
        }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'DriverMissing*'
        $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
        $caught.Exception.Message | Should -Match 'PCI\\VEN_14E4&DEV_1687&CC_0200 needs a Net class driver'
        Test-Path -LiteralPath $target | Should -BeFalse
    }

    It 'takes piped Get-PnpDevice objects: each is one device with its ids and class' {
        $target = Join-Path -Path $TestDrive -ChildPath 'piped.iso'
        $devices = @(
            New-FakePnpDevice -Class 'Net' -HardwareID 'PCI\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03', 'PCI\VEN_8086&DEV_15F3&SUBSYS_00008086' -CompatibleID 'PCI\VEN_8086&DEV_15F3&REV_03', 'PCI\VEN_8086&DEV_15F3', 'PCI\CC_020000'
            New-FakePnpDevice -Class 'SCSIAdapter' -HardwareID 'PCI\VEN_144D&DEV_A808&SUBSYS_A801144D&REV_00', 'PCI\VEN_144D&DEV_A808&CC_010802' -CompatibleID 'PCI\VEN_144D&CC_010802', 'PCI\CC_010802', 'PCI\CC_0108'
        )
        $result = $devices | New-CaptureMedia -MediaType CdDvd -Path $target -BootImage $script:bootWim -Confirm:$false -InformationVariable info -ErrorAction Stop
        @($result).Count | Should -Be 1
        Test-Path -LiteralPath $target | Should -BeTrue
        ($info | ForEach-Object { [string]$_.MessageData }) -join "`n" | Should -Match 'served through the form PCI\\CC_010802 by stornvme\.inf'
    }

    It 'names the class of a piped device that no INF serves' {
        $device = New-FakePnpDevice -Class 'HDC' -HardwareID 'PCI\VEN_1022&DEV_7901&SUBSYS_00000000&REV_51' -CompatibleID 'PCI\VEN_1022&DEV_7901', 'PCI\CC_010601'
        { $device | New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'hdc.iso') -BootImage $script:bootWim -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'DriverMissing,*' -ExpectedMessage '*needs a HDC class driver*'
    }

    It 'refuses an object without a HardwareID with InvalidParameter' {
        { New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'bad.iso') -BootImage $script:bootWim -RequireHardwareId ([pscustomobject]@{ Name = 'x' }) -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidParameter,*'
    }
}

Describe 'Test-CaptureMedia -RequireHardwareId' {
    It 'checks the boot image on written media the same way' {
        $target = Join-Path -Path $TestDrive -ChildPath 'tested.iso'
        $null = New-CaptureMedia -MediaType CdDvd -Path $target -BootImage $script:bootWim -Confirm:$false -ErrorAction Stop
        $device = New-FakePnpDevice -Class 'Net' -HardwareID 'PCI\VEN_8086&DEV_15F3&SUBSYS_12345678&REV_04' -CompatibleID 'PCI\VEN_8086&DEV_15F3'
        (Test-CaptureMedia -Path $target -RequireHardwareId $device -ErrorAction Stop).DevicesServed | Should -Be 1
        { Test-CaptureMedia -Path $target -RequireHardwareId 'PCI\VEN_10EC&DEV_8125' -ErrorAction Stop } | Should -Throw -ErrorId 'DriverMissing,*'
    }
}

Describe 'Get-CaptureMediaBootImage -Drivers' {
    It 'outputs CaptureMedia.Driver objects with class, origin and ids' {
        $drivers = @(Get-CaptureMediaBootImage -Path $script:bootWim -Drivers)
        $drivers.Count | Should -Be 2
        $drivers[0].PSObject.TypeNames[0] | Should -Be 'CaptureMedia.Driver'
        $net = $drivers | Where-Object Class -eq 'Net'
        $net.Inf | Should -Be 'oem1.inf'
        $net.Origin | Should -Be 'Added'
        $net.Provider | Should -Be 'Intel Corporation'
        @($net.HardwareIds) | Should -Be @('PCI\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03')
        @($net.CompatibleIds) | Should -Be @('PCI\VEN_8086&DEV_15F3')
        ($drivers | Where-Object Class -eq 'SCSIAdapter').Origin | Should -Be 'Inbox'
        ($drivers | Format-Table | Out-String) | Should -Match 'boot\.wim \(x64\) - Net'
    }

    It '-DriverClass picks the classes' {
        @(Get-CaptureMediaBootImage -Path $script:bootWim -Drivers -DriverClass 'Net').Count | Should -Be 1
    }
}
