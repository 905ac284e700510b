function New-CaptureMedia {
    <#
    .SYNOPSIS
    Creates Configuration Manager capture media: a bootable ISO set, a USB drive, or a USB disk image.

    .DESCRIPTION
    Does the job of the Configuration Manager console's Create Task Sequence Media wizard,
    'Capture media' option, and of ConfigMgr's New-CMCaptureMedia, without the console or a site
    connection. The boot image comes from a distribution point's content library (-BootImage
    <PackageID> -DistributionPoint <root>) or from a .wim file (-BootImage <path>). The media
    holds the boot files taken from the WIM, the WIM itself as sources\boot.wim, the capture
    bootstrap (SMS\data\TsmBootstrap.ini) and MediaLabel.txt.

    A capture is started on the reference computer's running Windows with
    SMS\bin\<arch>\TSMBAutorun.exe from the media. That launcher is not in boot images: pass
    -ClientSource (the site's OSD\bin share) or -Template (capture media the console made) so the
    media hold it. Without either the media boot WinPE but cannot start a capture; a warning says
    so and the result's CaptureLauncher property is $false (-RequireCaptureLauncher makes it an
    error).

    -MediaType CdDvd writes one ISO file, or a numbered set (capture1.iso, capture2.iso, ...) when
    the content exceeds -MediaSize; disc 1 is the bootable one. -MediaType UsbImage writes the
    FAT32 disk of a USB drive as a raw image file for mass duplication. A new file is simply
    written. An existing ISO set or image is never deleted before the new media is complete, and
    replacing it is asked first (ConfirmImpact High); -Force or -Confirm:$false answer yes.

    -MediaType Usb, as in New-CMCaptureMedia, erases a drive only with -FormatMedia: then each disk
    in -Path is erased, gets one active FAT32 partition, and receives the media, after a
    confirmation per disk naming its number, model, bus and size (-Force or -Confirm:$false skip
    it). Only removable/USB disks are accepted (see Get-CaptureMediaDisk), never the system or
    boot disk or a disk holding the source, output or log. Without -FormatMedia the files are
    copied onto the drive's existing FAT32 volume, other files there are kept, and nothing is
    asked; a drive without a mounted FAT32 volume is refused with FormatMediaRequired.

    Questions are asked only before something is destroyed. Where nobody can answer (pwsh
    -NonInteractive, a scheduled task, input redirected) such a step fails at once with
    ConfirmationRequired, which stops the script: add -Force or -Confirm:$false.

    Errors are ErrorRecords whose FullyQualifiedErrorId is '<error id>,New-CaptureMedia' (the
    stable ids of about_CaptureMedia: OutputExists, BootImageNotFound, DiskNotRemovable, ...),
    whose category matches the id, and whose Exception.Data['ExitCode'] is the capture-media exit
    code of that error class (2 invalid arguments, 3 a precondition failed, 4 source content
    invalid, 5 write or verify failed, 130 cancelled). -ErrorAction Stop, $ErrorActionPreference =
    'Stop' and try/catch all stop on them. When some of several drives were written and one
    failed, the written ones are output first, then the error.

    The work is done by the capture-media core (Node.js 20 or later; set $env:CAPTUREMEDIA_NODE
    when node is not on PATH).

    .PARAMETER MediaType
    Usb: write to USB drives. CdDvd: write an ISO file set. UsbImage: write a raw USB disk image file.

    .PARAMETER Path
    For CdDvd: the ISO file to write (C:\out\capture.iso or \\server\share\capture.iso); split
    sets get a number before the extension. For UsbImage: the image file. For Usb: the drives, as
    a drive letter (E:, the volume the files are copied onto), or with -FormatMedia a disk number
    (3), \\.\PhysicalDrive3, /dev/sdX or /dev/loopN; several at once with -FormatMedia. Aliases
    MediaPath, OutputPath and DriveName (New-CMCaptureMedia's). Accepts pipeline input by value
    and by property name (Path, DevicePath, FullName), so 'Get-CaptureMediaDisk | Where-Object ...
    | New-CaptureMedia' works.

    .PARAMETER BootImage
    The boot image: a package id such as PS100004 (with -DistributionPoint); the path of a .wim
    file; the Id Get-CaptureMediaBootImage shows for a WIM file (boot.wim:1, the image the media
    are made from); a ConfigMgr boot image object (Get-CMBootImage: its PackageID is used); or a
    Get-CaptureMediaBootImage object, which binds from the pipeline by property name. Alias
    BootImagePackage.

    .PARAMETER DistributionPoint
    One or more content library roots to read the boot image package from: \\dp01\SCCMContentLib$,
    or a local or mounted path. ConfigMgr distribution point objects (Get-CMDistributionPoint,
    Get-CMDistributionPointInfo) are accepted too: their server's \\<server>\SCCMContentLib$ share
    is read, the server taken from ServerName, NetworkOSPath or NALPath. Read access is needed; a
    missing permission or package is an error naming the path. Alias DistributionPoints.

    .PARAMETER TargetArchitecture
    The architecture of the computers to capture: x86, x64 or arm64. An x64 target runs x86 or
    x64 boot images, an x86 target only x86 ones; a boot image that cannot serve the target is
    refused (ArchitectureMismatch).

    .PARAMETER MediaSize
    CdDvd only: the size of one disc. Size650MB (681,574,400 bytes), Size4GB (single-layer DVD,
    4,700,372,992 bytes), Size8GB (dual-layer DVD, 8,543,666,176 bytes), SizeUnlimited (the
    default: one ISO), or an explicit size. KB, MB, GB and TB are decimal, as discs are sold
    (4.7GB = 4,700,000,000 bytes, which fits a single-layer DVD); KiB, MiB, GiB and TiB are binary
    (700MiB = 734,003,200 bytes). The presets complete with Tab. An unusable size is refused with
    MediaSizeInvalid, naming the smallest or largest size that works.

    .PARAMETER MediaLabel
    The media label (default 'Configuration Manager'). Used as the ISO volume label (ISO 9660
    d-characters, 32 at most; Joliet 16 characters), the FAT32 label (its first 11 characters)
    and in MediaLabel.txt. An unusable label is refused with LabelInvalid.

    .PARAMETER TemporaryFolder
    Accepted for New-CMCaptureMedia scripts (aliases TemporaryDirectory, StagingArea). It must be
    an existing, writable folder, and its disk is never accepted as a USB target. Nothing is
    staged there: the media are streamed from the boot image straight to the output, so it needs
    no free space. Default: the system temporary folder.

    .PARAMETER IncludeAutoRun
    Write an autorun.inf at the root of the media (off by default, as in the wizard).

    .PARAMETER NoAutoRun
    New-CMCaptureMedia's switch: write no autorun.inf. That is the default; it cannot be combined
    with -IncludeAutoRun.

    .PARAMETER FormatMedia
    Usb only: erase each drive and format it FAT32 (the wizard's 'Format removable USB drive
    (FAT32) and make bootable'), as New-CMCaptureMedia -FormatMedia does. Without it nothing is
    erased: the files go onto the drive's existing FAT32 volume.

    .PARAMETER NoFormat
    Kept for scripts written for earlier versions of this module, where formatting was the
    default: copy onto the drive's existing volume. That is now the default, so it changes
    nothing; it cannot be combined with -FormatMedia.

    .PARAMETER NoVerify
    Do not read the written media back to verify it.

    .PARAMETER Force
    Do not ask before erasing a disk or replacing existing media, and replace an existing ISO set,
    image, or other capture media on a drive's volume (only once the new media is complete). It
    does not weaken the disk safety rules (see -AllowFixedDisk) and does not format a drive
    without -FormatMedia.

    .PARAMETER AllowFixedDisk
    Usb only: accept a disk that is not removable or USB (for example a USB enclosure that reports
    itself as fixed). The system/boot disk and disks holding the source, staging folder, output or
    log are still refused. Get-CaptureMediaDisk -AllowFixedDisk shows the same verdicts.

    .PARAMETER ClientSource
    The site's OSD\bin folder, usually \\<siteserver>\SMS_<sitecode>\OSD\bin. Its folder for the
    boot image's architecture (i386 for x86, x64; for arm64 both x64 and arm64 where present)
    becomes SMS\bin\<folder> on the media, byte for byte, instead of the boot image's sms\bin.

    .PARAMETER Template
    Capture media made by the ConfigMgr console: an ISO (ISO 9660/Joliet or UDF), a mounted USB
    drive, or a folder. Its whole SMS\ tree (TsmBootstrap.ini included) is copied byte for byte,
    and its autorun.inf is used with -IncludeAutoRun; the boot files and sources\boot.wim come
    from -BootImage. Cannot be combined with -ClientSource.

    .PARAMETER RequireCaptureLauncher
    Fail with CaptureLauncherMissing, before anything is written, when the media would have no
    SMS\bin\<arch>\TSMBAutorun.exe, instead of warning.

    .PARAMETER LogPath
    The CMTrace-format log file (default: %ProgramData%\CaptureMedia\Logs\CaptureMedia.log on
    Windows).

    .PARAMETER ImageSize
    UsbImage only: the size of the image file, such as 2GB (decimal) or 2GiB (binary); default:
    the content plus 10 %, rounded up to 64 MiB. A size too small for the content is refused,
    naming a size that works.

    .PARAMETER SiteCode
    New-CMCaptureMedia's site code. Accepted and ignored (-Verbose says so): no site connection is
    needed, the boot image is read from the content library.

    .PARAMETER AllowUacPrompt
    New-CMCaptureMedia's switch. Accepted and ignored (-Verbose says so): the module never raises a
    UAC prompt; start PowerShell elevated to format USB drives.

    .PARAMETER DisableWildcardHandling
    A common parameter of ConfigMgr cmdlets. Accepted and ignored (-Verbose says so): paths are
    never wildcard-expanded by this command.

    .PARAMETER ForceWildcardHandling
    A common parameter of ConfigMgr cmdlets. Accepted and ignored (-Verbose says so), like
    -DisableWildcardHandling.

    .PARAMETER RequireHardwareId
    Devices of the reference computer the boot image must have a driver for, checked before
    anything is written. Each value is one device: a hardware id such as
    'PCI\VEN_8086&DEV_15F3' (shorter forms and compatible ids are tried the way Windows does), or
    several ids of one device separated by commas, optionally after its class ('Net:PCI\VEN_...').
    Also takes device objects with a HardwareID property, on the command line or from the
    pipeline, such as Get-PnpDevice output from the reference computer's model: each object's
    HardwareID and CompatibleID ids and its Class are used. A device no INF in the boot image
    serves fails the command with the error id DriverMissing, naming the device and the class of
    driver it needs.

    .PARAMETER BootManager
    Which signed Windows boot manager the media boots UEFI computers with. 2011 (the default): the
    boot image's Windows\Boot\EFI files, signed by Microsoft Windows Production PCA 2011; they boot
    on the most devices, until a device's Secure Boot revocation list (dbx) revokes PCA 2011 (the
    KB5025885 mitigations). 2023: the Windows\Boot\EFI_EX, DVD_EX and FONTS_EX files signed by
    Windows UEFI CA 2023, which boot where PCA 2011 is revoked but need Windows UEFI CA 2023 in
    the device's Secure Boot db. A boot image without those files is refused (BootFilesMissing)
    before anything is written. There is no automatic choice: which one boots depends on the
    devices, not on the boot image.

    .PARAMETER WhatIf
    Validate everything and show the plan (for Usb with -FormatMedia, the exact diskpart script)
    without writing anything. No result object is output.

    .PARAMETER Confirm
    -Confirm:$false answers yes to the questions before erasing a disk or replacing existing
    media; -Confirm asks them. A new ISO or image is never asked about.

    .INPUTS
    System.String. Objects with a Path, DevicePath or FullName property, such as the output of
    Get-CaptureMediaDisk (for -Path); objects with a BootImage property, such as the output of
    Get-CaptureMediaBootImage (for -BootImage); objects with a HardwareID property, such as the
    output of Get-PnpDevice (for -RequireHardwareId).

    .OUTPUTS
    CaptureMedia.Result. One object per medium written, with MediaType, Path (the ISO files or
    drive), Label, BootImage, Architecture, Files (the number of files on the media), Bytes (the
    size of those files, summed over the discs of a set), Verified, Duration, LogPath,
    CaptureLauncher (TSMBAutorun.exe is on the media) and ClientFiles (Template, ClientSource or
    BootImage: where SMS\ came from); BootManager (2011 or 2023), BootManagerSigners (the CAs whose
    signatures on the written UEFI loader match it) and BootManagerWarning (why that loader would
    not, or soon may not, start under Secure Boot).

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$

    Creates capture.iso from boot image package PS100004 read from the content library of dp01.

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage D:\WinPE\boot.wim -TargetArchitecture x64

    Creates capture.iso from a local boot image WIM, refusing it unless it can run on x64 computers.

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path \\server\media\capture.iso -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$ -MediaSize Size4GB -Force

    Writes a set of single-layer DVD images (capture1.iso, capture2.iso, ...) when the content is
    larger than one DVD, replacing an existing set, without asking, once the new one is complete.

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage D:\WinPE\boot.wim -MediaSize 4.7GB

    The same DVD size written as it is sold: 4.7GB is 4,700,000,000 bytes (4.7GiB would not fit).

    .EXAMPLE
    New-CaptureMedia -MediaType Usb -FormatMedia -Path 3 -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$

    Erases USB disk 3, formats it FAT32, writes the capture media and verifies it; asks first.

    .EXAMPLE
    New-CaptureMedia -MediaType Usb -Path E: -BootImage D:\WinPE\boot.wim

    Copies the capture media onto the FAT32 volume E: without erasing anything; other files on
    E: are kept. Nothing is asked.

    .EXAMPLE
    New-CaptureMedia -MediaType Usb -Path E: -NoFormat -BootImage D:\WinPE\boot.wim -Force

    The same from a script written for an earlier version (-NoFormat is now the default); -Force
    replaces other capture media already on E:.

    .EXAMPLE
    New-CaptureMedia -MediaType UsbImage -Path C:\out\capture.img -BootImage D:\WinPE\boot.wim -ImageSize 2GB

    Writes a 2 GB (2,000,000,000-byte) raw disk image (MBR + FAT32) for a USB duplicator.

    .EXAMPLE
    Get-CaptureMediaDisk | Where-Object Bus -eq 'USB' | New-CaptureMedia -MediaType Usb -FormatMedia -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$ -Confirm:$false

    Erases every USB disk and writes the same capture media to all of them in parallel, without asking.

    .EXAMPLE
    New-CaptureMedia -MediaType Usb -FormatMedia -Path 4 -AllowFixedDisk -BootImage D:\WinPE\boot.wim

    Accepts disk 4 although it reports itself as a fixed disk (a USB enclosure, say); asks first.

    .EXAMPLE
    New-CaptureMedia -MediaType Usb -FormatMedia -Path E: -BootImage D:\WinPE\boot.wim -WhatIf

    Checks the disk and the boot image and prints the plan, including the diskpart script, without
    changing anything.

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$ -ClientSource \\cm01\SMS_PS1\OSD\bin -RequireCaptureLauncher

    Creates capture media whose SMS\bin\x64 is the site's, with TSMBAutorun.exe, and fails if it
    would not start a capture.

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage PS100009 -DistributionPoint \\dp01\SCCMContentLib$ -Template D:\console\capture.iso

    Rebuilds capture media the console made with a new boot image: the console's SMS\ tree is kept.

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage D:\WinPE\boot.wim -MediaLabel 'Capture Contoso' -IncludeAutoRun

    Labels the media 'Capture Contoso' and writes an autorun.inf.

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$ -RequireHardwareId 'PCI\VEN_8086&DEV_15F3', 'PCI\VEN_8086&DEV_A77F&CC_0104'

    Writes the ISO only if the boot image has drivers for the reference computer's Intel I225
    network adapter and its Intel VMD storage controller; otherwise fails with DriverMissing.

    .EXAMPLE
    Get-PnpDevice -Class Net, SCSIAdapter, HDC -PresentOnly | New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage D:\WinPE\boot.wim

    Run on the reference computer's model: checks every present network and storage controller
    against the boot image's drivers, then writes the ISO.

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage D:\WinPE\boot.wim -NoVerify -LogPath C:\Logs\capture.log -TemporaryFolder D:\Temp

    Skips the read-back verification and logs to C:\Logs\capture.log in CMTrace format.

    .EXAMPLE
    Get-CaptureMediaBootImage -Path D:\WinPE\boot.wim | New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso

    Binds -BootImage from the pipeline by property name (the object's BootImage).

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage boot.wim:1 -Confirm:$false

    Uses the Id Get-CaptureMediaBootImage shows for a WIM file, and replaces an existing
    capture.iso without asking.

    .EXAMPLE
    New-CaptureMedia -MediaType Usb -DriveName E: -BootImagePackage (Get-CMBootImage -Id PS100004) -DistributionPoints (Get-CMDistributionPoint -SiteCode PS1) -SiteCode PS1 -AllowUacPrompt -NoAutoRun -FormatMedia -Force -DisableWildcardHandling -ForceWildcardHandling

    A New-CMCaptureMedia line ported by renaming the cmdlet: the ConfigMgr objects are read for
    their PackageID and server, and -SiteCode, -AllowUacPrompt and the wildcard switches are
    accepted and ignored.

    .EXAMPLE
    New-CaptureMedia -MediaType CdDvd -Path C:\out\capture.iso -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$ -BootManager 2023

    Builds media whose UEFI boot manager is the one signed by Windows UEFI CA 2023, for devices
    whose Secure Boot dbx revokes Microsoft Windows Production PCA 2011. The result's
    BootManagerSigners lists who signed the loader that was written.

    .LINK
    Get-CaptureMediaBootImage

    .LINK
    Get-CaptureMediaDisk

    .LINK
    Test-CaptureMedia

    .LINK
    about_CaptureMedia
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', PositionalBinding = $false)]
    [OutputType('CaptureMedia.Result')]
    param(
        [Parameter(Mandatory)]
        [ValidateSet('Usb', 'CdDvd', 'UsbImage')]
        [string] $MediaType,

        [Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('DevicePath', 'FullName', 'MediaPath', 'OutputPath', 'DriveName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Path,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [Alias('BootImagePackage')]
        [ValidateNotNull()]
        [object] $BootImage,

        [Alias('DistributionPoints')]
        [ValidateNotNullOrEmpty()]
        [object[]] $DistributionPoint,

        [ValidateSet('x86', 'x64', 'arm64')]
        [string] $TargetArchitecture,

        [string] $MediaSize,

        [string] $MediaLabel,

        [Alias('TemporaryDirectory', 'StagingArea')]
        [ValidateNotNullOrEmpty()]
        [string] $TemporaryFolder,

        [switch] $IncludeAutoRun,

        [switch] $NoAutoRun,

        [switch] $FormatMedia,

        [switch] $NoFormat,

        [switch] $NoVerify,

        [switch] $Force,

        [switch] $AllowFixedDisk,

        [ValidateNotNullOrEmpty()]
        [string] $LogPath,

        [ValidateNotNullOrEmpty()]
        [string] $ImageSize,

        [ValidateNotNullOrEmpty()]
        [string] $ClientSource,

        [ValidateNotNullOrEmpty()]
        [string] $Template,

        [switch] $RequireCaptureLauncher,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('HardwareID')]
        [ValidateNotNullOrEmpty()]
        [object[]] $RequireHardwareId,

        # New-CMCaptureMedia parameters that have no meaning here (see the help).
        [string] $SiteCode,

        [switch] $AllowUacPrompt,

        [switch] $DisableWildcardHandling,

        [switch] $ForceWildcardHandling,

        [ValidateSet('2011', '2023')]
        [string] $BootManager
    )

    begin {
        $targets = New-Object -TypeName System.Collections.Generic.List[string]
        $devices = New-Object -TypeName System.Collections.Generic.List[string]
        $bootImages = New-Object -TypeName System.Collections.Generic.List[object]
    }

    process {
        # Piped devices (Get-PnpDevice) bind -RequireHardwareId and leave -Path as given once on
        # the command line, so each path is taken once however many objects come through.
        foreach ($item in $Path) {
            if (-not $targets.Contains($item)) {
                $targets.Add($item)
            }
        }
        if ($PSBoundParameters.ContainsKey('RequireHardwareId')) {
            # A piped device is one device: all of its ids and its class, not only the HardwareID
            # property that binding picked out of it.
            $source = $RequireHardwareId
            if ($null -ne $_ -and $_ -isnot [string] -and $null -ne $_.PSObject.Properties['HardwareID']) {
                $source = @($_)
            }
            foreach ($device in @(ConvertTo-CaptureMediaDeviceId -InputObject $source -Caller $PSCmdlet)) {
                if (-not $devices.Contains($device)) {
                    $devices.Add($device)
                }
            }
        }
        # From the pipeline -BootImage may be bound once per object; one run writes one boot image.
        $bootImages.Add($BootImage)
    }

    end {
        if ($targets.Count -eq 0) {
            return
        }

        $ignored = @{
            SiteCode                = 'no site connection is needed: the boot image is read from the content library'
            AllowUacPrompt          = 'the module never raises a UAC prompt: run it elevated for USB drives with -FormatMedia'
            DisableWildcardHandling = 'paths are never wildcard-expanded by New-CaptureMedia'
            ForceWildcardHandling   = 'paths are never wildcard-expanded by New-CaptureMedia'
        }
        foreach ($name in $ignored.Keys) {
            if ($PSBoundParameters.ContainsKey($name)) {
                $PSCmdlet.WriteVerbose(('-{0} is accepted for New-CMCaptureMedia scripts and ignored: {1}.' -f $name, $ignored[$name]))
            }
        }
        $conflicts = @(
            @('IncludeAutoRun', 'NoAutoRun'),
            @('FormatMedia', 'NoFormat')
        )
        foreach ($pair in $conflicts) {
            if ($PSBoundParameters.ContainsKey($pair[0]) -and $PSBoundParameters.ContainsKey($pair[1]) -and [bool]$PSBoundParameters[$pair[0]] -and [bool]$PSBoundParameters[$pair[1]]) {
                $message = '-{0} and -{1} contradict each other; give one of them.' -f $pair[0], $pair[1]
                Stop-CaptureMediaCommand -Caller $PSCmdlet -ErrorRecord (New-CaptureMediaErrorRecord -Id 'ParameterConflict' -Category 'InvalidArgument' -Message $message -Target ('-{0}' -f $pair[0]))
                return
            }
        }
        $distinctBootImages = @($bootImages | ForEach-Object {
                $id = $_
                foreach ($name in @('BootImage', 'PackageID')) {
                    if ($_ -isnot [string]) { $id = Get-CaptureMediaEventValue -InputObject $_ -Name $name -Default $id }
                }
                [string]$id
            } | Select-Object -Unique)
        if ($distinctBootImages.Count -gt 1) {
            $message = 'One run writes one boot image, but the pipeline gave {0}: {1}. Run New-CaptureMedia once per boot image.' -f $distinctBootImages.Count, ($distinctBootImages -join ', ')
            Stop-CaptureMediaCommand -Caller $PSCmdlet -ErrorRecord (New-CaptureMediaErrorRecord -Id 'ParameterConflict' -Category 'InvalidArgument' -Message $message -Target ($distinctBootImages -join ', '))
            return
        }

        # Files are resolved against PowerShell's location; USB disk identifiers are passed as typed.
        $paths = @($targets.ToArray())
        if ($MediaType -ne 'Usb') {
            $paths = @(Resolve-CaptureMediaPath -Caller $PSCmdlet -Path $paths)
        }
        $bootImageValue = Resolve-CaptureMediaBootImage -Caller $PSCmdlet -BootImage $bootImages[0]
        if ($null -eq $bootImageValue) { return }

        $parameters = @{ mediaType = $MediaType; bootImage = [string]$bootImageValue }
        if ($PSBoundParameters.ContainsKey('DistributionPoint')) {
            $roots = @(Resolve-CaptureMediaDistributionPoint -Caller $PSCmdlet -DistributionPoint $DistributionPoint)
            if ($roots.Count -eq 0) { return }
            $parameters['distributionPoint'] = [string[]]$roots
        }
        if ($PSBoundParameters.ContainsKey('TargetArchitecture')) { $parameters['targetArchitecture'] = $TargetArchitecture }
        if ($PSBoundParameters.ContainsKey('MediaSize')) { $parameters['mediaSize'] = $MediaSize }
        if ($PSBoundParameters.ContainsKey('MediaLabel')) { $parameters['mediaLabel'] = $MediaLabel }
        if ($PSBoundParameters.ContainsKey('TemporaryFolder')) { $parameters['temporaryFolder'] = @(Resolve-CaptureMediaPath -Caller $PSCmdlet -Path @($TemporaryFolder))[0] }
        if ($IncludeAutoRun) { $parameters['includeAutoRun'] = $true }
        if ($FormatMedia) { $parameters['formatMedia'] = $true }
        if ($NoVerify) { $parameters['noVerify'] = $true }
        if ($Force) { $parameters['force'] = $true }
        if ($AllowFixedDisk) { $parameters['allowFixedDisk'] = $true }
        if ($PSBoundParameters.ContainsKey('LogPath')) { $parameters['logPath'] = @(Resolve-CaptureMediaPath -Caller $PSCmdlet -Path @($LogPath))[0] }
        if ($PSBoundParameters.ContainsKey('ImageSize')) { $parameters['imageSize'] = $ImageSize }
        if ($PSBoundParameters.ContainsKey('ClientSource')) { $parameters['clientSource'] = @(Resolve-CaptureMediaPath -Caller $PSCmdlet -Path @($ClientSource))[0] }
        if ($PSBoundParameters.ContainsKey('Template')) {
            $parameters['template'] = if ($Template -match '^[A-Za-z]:\\?$') { $Template } else { @(Resolve-CaptureMediaPath -Caller $PSCmdlet -Path @($Template))[0] }
        }
        if ($PSBoundParameters.ContainsKey('RequireCaptureLauncher')) { $parameters['requireCaptureLauncher'] = [bool]$RequireCaptureLauncher }
        if ($devices.Count -gt 0) { $parameters['requireHardwareId'] = [string[]]$devices.ToArray() }
        if ($PSBoundParameters.ContainsKey('BootManager')) { $parameters['bootManager'] = $BootManager }

        # What would be destroyed: each disk with -FormatMedia, or the existing ISO set / image.
        # A new ISO or image, or files copied onto a drive's volume, destroy nothing: no question.
        $erasing = $MediaType -eq 'Usb' -and $FormatMedia
        $replacing = @()
        if ($MediaType -ne 'Usb') {
            $replacing = @(Get-CaptureMediaExistingOutput -Path $paths[0] -DiscSet:($MediaType -eq 'CdDvd'))
        }

        if ($WhatIfPreference) {
            # The core validates everything and describes the plan as 'What if:' lines; no result.
            if ($erasing) {
                foreach ($item in $paths) { [void]$PSCmdlet.ShouldProcess($item, 'Erase disk and write capture media') }
            }
            if ($replacing.Count -gt 0) {
                [void]$PSCmdlet.ShouldProcess(($replacing -join ', '), 'Replace existing capture media')
                $parameters['force'] = $true
            }
            $parameters['path'] = [string[]]$paths
            $parameters['whatIf'] = $true
            Invoke-CaptureMediaCore -Command 'create' -Parameters $parameters -Caller $PSCmdlet -TypeName 'CaptureMedia.Result' -WhatIfRun
            return
        }

        $approved = New-Object -TypeName System.Collections.Generic.List[string]
        if ($erasing) {
            # Not elevated: say so now, before asking to confirm wiping disks the core would then refuse.
            if (-not (Test-CaptureMediaElevation)) {
                $message = 'Erasing and formatting a USB drive needs administrator rights: start PowerShell with "Run as administrator" and run the command again. ' +
                    '(diskpart and the Storage cmdlets refuse to change disks from an unelevated session.)'
                Stop-CaptureMediaCommand -Caller $PSCmdlet -ErrorRecord (New-CaptureMediaErrorRecord -Id 'PermissionDenied' -Category 'PermissionDenied' -Message $message -Target ($paths -join ', '))
                return
            }
            # One confirmation per disk, with the disk's number, bus, size and model.
            $descriptions = @{}
            if (-not $Force) {
                $descriptions = Get-CaptureMediaDiskDescription -Caller $PSCmdlet -Path $paths
            }
            foreach ($item in $paths) {
                $target = $item
                if ($descriptions.ContainsKey($item)) { $target = $descriptions[$item] }
                if (Confirm-CaptureMediaAction -Caller $PSCmdlet -Target $target -Action 'Erase the whole disk and write capture media' -Force:$Force) {
                    $approved.Add($item)
                }
            }
            # The user confirmed here; the core requires that to be said explicitly.
            $parameters['yes'] = $true
        }
        else {
            if ($replacing.Count -gt 0) {
                if (-not (Confirm-CaptureMediaAction -Caller $PSCmdlet -Target ($replacing -join ', ') -Action 'Replace the existing capture media once the new media are complete' -Force:$Force)) {
                    return
                }
                $parameters['force'] = $true
            }
            foreach ($item in $paths) { $approved.Add($item) }
        }
        if ($approved.Count -eq 0) {
            return
        }

        $parameters['path'] = [string[]]$approved.ToArray()
        Invoke-CaptureMediaCore -Command 'create' -Parameters $parameters -Caller $PSCmdlet -TypeName 'CaptureMedia.Result'
    }
}
