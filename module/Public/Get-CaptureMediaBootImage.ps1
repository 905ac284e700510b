function Get-CaptureMediaBootImage {
    <#
    .SYNOPSIS
    Lists boot images in distribution point content libraries or in .wim files.

    .DESCRIPTION
    Reads the boot image packages of one or more content libraries (-DistributionPoint), or the
    given boot image WIM files (-Path), and outputs one object per boot image with its package id,
    name, architecture (from the WIM XML), Windows PE version and size. Use it to pick the
    -BootImage for New-CaptureMedia and to check its architecture before writing media.

    .PARAMETER DistributionPoint
    One or more content library roots: \\dp01\SCCMContentLib$, or a local or mounted path. Read
    access is needed.

    .PARAMETER Path
    One or more boot image .wim files. Accepts pipeline input by property name (FullName), so
    'Get-ChildItem D:\WinPE\*.wim | Get-CaptureMediaBootImage' works.

    .PARAMETER Drivers
    Instead of the boot images, list the driver packages (INF files) each one holds, read from the
    WIM itself: Windows\INF and the driver store, each package once, with its class, provider,
    version, date, whether it is Inbox or Added (oem<N>.inf), and the hardware and compatible ids
    it serves for the image's architecture. Network (Net) and storage (SCSIAdapter, HDC) drivers
    by default; a warning says when a boot image has none of either.

    .PARAMETER DriverClass
    With -Drivers: the device setup classes to list instead of Net, SCSIAdapter and HDC, such as
    USB or System; '*' lists every class.

    .INPUTS
    System.String. Objects with a FullName property (files from Get-ChildItem) for -Path.

    .OUTPUTS
    CaptureMedia.BootImage. One object per boot image: Id (package id, empty for a plain WIM),
    Name, Architecture, Version, Size and Path; BootManagerSigners (the CAs whose signatures on
    Windows\Boot\EFI\bootmgfw.efi match it, e.g. Microsoft Windows Production PCA 2011),
    BootManagerWarning (why that boot manager would not, or soon may not, start under Secure Boot),
    Has2023BootManager (the image has the Windows UEFI CA 2023 boot files that
    New-CaptureMedia -BootManager 2023 needs) and BootManager2023Signers.

    CaptureMedia.Driver with -Drivers. One object per driver package: BootImage, Architecture,
    Class, Inf, Origin, Provider, Version, Date, HardwareIds, CompatibleIds, ClassGuid, Path,
    StorePath and Problems.

    .EXAMPLE
    Get-CaptureMediaBootImage -DistributionPoint \\dp01\SCCMContentLib$

    Lists the boot images in the content library of dp01.

    .EXAMPLE
    Get-CaptureMediaBootImage -Path D:\WinPE\boot.wim

    Shows the name, architecture and version of a boot image file.

    .EXAMPLE
    Get-ChildItem D:\WinPE -Filter *.wim | Get-CaptureMediaBootImage | Where-Object Architecture -eq 'x64'

    Finds the x64 boot images among a folder of WIM files.

    .EXAMPLE
    Get-CaptureMediaBootImage -Path D:\WinPE\boot.wim -Drivers

    Lists the network and storage drivers in a boot image, grouped by class, to compare with the
    reference computer's devices before writing media.

    .EXAMPLE
    Get-CaptureMediaBootImage -DistributionPoint \\dp01\SCCMContentLib$ -Drivers -DriverClass '*' | Where-Object Origin -eq 'Added'

    Lists every driver that was added to the boot images of dp01 (all classes).

    .EXAMPLE
    Get-CaptureMediaBootImage -DistributionPoint \\dp01\SCCMContentLib$ | Select-Object Id, Name, BootManagerSigners, Has2023BootManager, BootManager2023Signers

    Shows which certificate signed each boot image's UEFI boot manager, and which images can make
    media with the 2023-signed boot manager (New-CaptureMedia -BootManager 2023).

    .LINK
    New-CaptureMedia

    .LINK
    about_CaptureMedia
    #>
    [CmdletBinding(DefaultParameterSetName = 'DistributionPoint')]
    [OutputType('CaptureMedia.BootImage', 'CaptureMedia.Driver')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'DistributionPoint', Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string[]] $DistributionPoint,

        [Parameter(Mandatory, ParameterSetName = 'Path', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Path,

        [switch] $Drivers,

        [ValidateNotNullOrEmpty()]
        [string[]] $DriverClass
    )

    begin {
        $items = New-Object -TypeName System.Collections.Generic.List[string]
    }

    process {
        $values = $DistributionPoint
        if ($PSCmdlet.ParameterSetName -eq 'Path') { $values = $Path }
        foreach ($item in $values) {
            $items.Add($item)
        }
    }

    end {
        if ($items.Count -eq 0) {
            return
        }
        $resolved = [string[]]@(Resolve-CaptureMediaPath -Caller $PSCmdlet -Path $items.ToArray())
        $parameters = @{}
        if ($PSCmdlet.ParameterSetName -eq 'Path') {
            $parameters['path'] = $resolved
        }
        else {
            $parameters['distributionPoint'] = $resolved
        }
        $typeName = 'CaptureMedia.BootImage'
        if ($Drivers) {
            $parameters['drivers'] = $true
            $typeName = 'CaptureMedia.Driver'
        }
        if ($PSBoundParameters.ContainsKey('DriverClass')) { $parameters['driverClass'] = [string[]]$DriverClass }
        Invoke-CaptureMediaCore -Command 'boot-images' -Parameters $parameters -Caller $PSCmdlet -TypeName $typeName
    }
}
