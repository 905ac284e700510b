function Compare-CaptureMedia {
    <#
    .SYNOPSIS
    Compares capture media file by file: media the ConfigMgr console made against ours.

    .DESCRIPTION
    Reads both media and reports every difference: files only on one side, files whose size or
    SHA-256 differ, El Torito boot entries (platform, boot image, load size), volume labels (ISO
    9660, Joliet, UDF, FAT) and the keys of SMS\data\TsmBootstrap.ini side by side. Each side may
    be an ISO (ISO 9660/Joliet, or UDF as console media written with /T:UDF are), a USB disk image
    or drive, or a folder (a mounted or copied medium).

    Differences you expect (-ExpectDifferent, wildcards allowed) are still listed, with Expected
    set; the result's Same property is $true when every difference was expected. Our own
    CaptureMedia.manifest.json is always listed as expected. This is the way to check media built
    by New-CaptureMedia against the console's before relying on it.

    .PARAMETER ReferencePath
    The reference medium, usually made by the console's Create Task Sequence Media wizard. An ISO
    set is named by its base name: capture.iso for capture1.iso, capture2.iso, and so on.

    .PARAMETER DifferencePath
    The medium to check against the reference, usually made by New-CaptureMedia.

    .PARAMETER ExpectDifferent
    Media paths (such as 'sources\boot.wim' or 'efi\microsoft\boot\*') or names of what is
    compared (such as 'Label*' or 'El Torito entry 1') whose differences are expected. Case does
    not matter; / and \ are the same.

    .INPUTS
    None.

    .OUTPUTS
    CaptureMedia.CompareResult. One object with ReferencePath, DifferencePath, their file systems,
    Same, FilesCompared, Differences (CaptureMedia.Difference objects: Kind, Path, Reference,
    Difference, Expected), TsmBootstrap (Section, Key, Reference, Difference) and EfiSigners (Path,
    Reference, Difference: the CAs whose signatures match each EFI program on either medium, the
    loader inside the El Torito image included; informational, it does not change Same).

    .EXAMPLE
    Compare-CaptureMedia -ReferencePath D:\console\capture.iso -DifferencePath C:\out\capture.iso

    Lists every difference between the console's ISO and ours.

    .EXAMPLE
    (Compare-CaptureMedia -ReferencePath D:\console\capture.iso -DifferencePath C:\out\capture.iso -ExpectDifferent 'sources\boot.wim', 'efi\*', 'boot\*').Same

    $true when the media differ only in the boot image and its boot files (a rebuild with a new
    boot image).

    .EXAMPLE
    (Compare-CaptureMedia -ReferencePath E:\ -DifferencePath C:\out\capture.img).Differences | Where-Object { -not $_.Expected } | Format-Table

    Compares a console-made USB drive with our USB image and shows what differs unexpectedly.

    .LINK
    New-CaptureMedia

    .LINK
    Test-CaptureMedia
    #>
    [CmdletBinding()]
    [OutputType('CaptureMedia.CompareResult')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string] $ReferencePath,

        [Parameter(Mandatory, Position = 1)]
        [ValidateNotNullOrEmpty()]
        [string] $DifferencePath,

        [ValidateNotNullOrEmpty()]
        [string[]] $ExpectDifferent
    )

    $resolve = {
        param([string] $Item)
        # Drive letters are passed as typed; files and folders are resolved against PowerShell's location.
        if ($Item -match '^[A-Za-z]:\\?$') { return $Item }
        @(Resolve-CaptureMediaPath -Caller $PSCmdlet -Path @($Item))[0]
    }
    $parameters = @{
        referencePath  = [string](& $resolve $ReferencePath)
        differencePath = [string](& $resolve $DifferencePath)
    }
    if ($PSBoundParameters.ContainsKey('ExpectDifferent')) { $parameters['expectDifferent'] = [string[]]@($ExpectDifferent) }
    foreach ($result in @(Invoke-CaptureMediaCore -Command 'compare' -Parameters $parameters -Caller $PSCmdlet -TypeName 'CaptureMedia.CompareResult')) {
        foreach ($difference in @($result.Differences)) {
            if ($null -ne $difference) { $difference.PSObject.TypeNames.Insert(0, 'CaptureMedia.Difference') }
        }
        $result
    }
}
