function Test-CaptureMedia {
    <#
    .SYNOPSIS
    Re-verifies capture media (an ISO, a USB drive or a disk image) against its manifest.

    .DESCRIPTION
    Reads every file of the media back and compares it with the manifest written when the media
    was created (sizes and hashes), the same check New-CaptureMedia does after writing. Use it
    before handing out media that were made earlier or copied. A mismatch is reported as an error
    with the id VerifyFailed (or MediaInvalid when the media cannot be read at all).

    ISO and image files and drives are read past the operating system's file cache (unbuffered
    reads), so the check sees what is on the disk, not what was just written into memory. Where the
    file system does not allow that, the cache is read instead, and -Verbose says so and why.

    It also reads the Authenticode signatures of every EFI program on the media, including the
    loader inside the El Torito UEFI boot image (efisys.bin) that a computer starts from a disc,
    and lists every signer: Get-AuthenticodeSignature shows only the first signature of a
    dual-signed boot manager. A UEFI loader that is unsigned, modified after signing, or signed only
    by Microsoft Windows Production PCA 2011 (which the KB5025885 Secure Boot mitigations revoke)
    is reported with Write-Warning.

    .PARAMETER Path
    The media to check: ISO files, disk image files, drive letters (E:) or disks (3,
    \\.\PhysicalDrive3, /dev/sdb). File paths may hold wildcards (C:\out\*.iso), which are
    expanded like Get-ChildItem's; a pattern that matches nothing is an error. Accepts pipeline
    input, and by property name the Path of New-CaptureMedia's results.

    .PARAMETER LiteralPath
    Like -Path, but used exactly as typed: no wildcard expansion, for file names with [ or ] in
    them. Files piped from Get-ChildItem bind here (by their PSPath).

    .PARAMETER RequireHardwareId
    Also check that the boot image on the media (sources\boot.wim) has a driver for each of these
    devices, the same check New-CaptureMedia -RequireHardwareId does before writing: hardware ids
    such as 'PCI\VEN_8086&DEV_15F3', or device objects with a HardwareID property such as
    Get-PnpDevice output. A device no INF serves is an error with the id DriverMissing.

    .INPUTS
    System.String. Objects with a Path property (New-CaptureMedia results), or a PSPath or
    FullName property (files from Get-ChildItem).

    .OUTPUTS
    CaptureMedia.VerifyResult. One object per medium checked, with its Path, whether it Verified,
    Files (the number of files read back), Bytes (the bytes read back and hashed, which for a
    disc set is the sum over its discs; New-CaptureMedia's Bytes is the size of the content it
    wrote), and CaptureLauncher: whether the set holds SMS\bin\<arch>\TSMBAutorun.exe, without
    which it boots WinPE but cannot start a capture.
    EfiPrograms lists each EFI program with its Path, Loader (whether firmware starts it from this
    medium), Status (signed, unsigned, not-pe, malformed), Signers (the CAs whose signatures match
    the program), MismatchedSigners and Warning.

    .EXAMPLE
    Test-CaptureMedia -Path C:\out\capture.iso

    Verifies an ISO file.

    .EXAMPLE
    Get-ChildItem \\server\media\*.iso | Test-CaptureMedia

    Verifies every ISO in a share.

    .EXAMPLE
    Test-CaptureMedia -Path E: -RequireHardwareId (Get-PnpDevice -Class Net, SCSIAdapter, HDC -PresentOnly)

    Run on a reference computer: verifies the USB drive and checks that its boot image has drivers
    for the computer's network and storage controllers.

    .EXAMPLE
    Test-CaptureMedia -Path \\server\media\capture*.iso

    Verifies every disc of a set, the wildcard expanded by the command itself.

    .EXAMPLE
    Test-CaptureMedia -LiteralPath 'C:\out\capture [old].iso'

    Verifies a file whose name holds brackets, which -Path would read as a wildcard.

    .EXAMPLE
    (Test-CaptureMedia -Path C:\out\capture.iso).EfiPrograms | Where-Object Loader | Format-Table Path, Signers, Warning -Wrap

    Shows who signed the UEFI loaders of an ISO, the one inside its El Torito image included, and
    whether they will still start on devices whose Secure Boot dbx revokes PCA 2011.

    .LINK
    New-CaptureMedia

    .LINK
    about_CaptureMedia
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType('CaptureMedia.VerifyResult')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Path', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string[]] $Path,

        [Parameter(Mandatory, ParameterSetName = 'LiteralPath', ValueFromPipelineByPropertyName)]
        [Alias('PSPath', 'FullName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $LiteralPath,

        [ValidateNotNullOrEmpty()]
        [object[]] $RequireHardwareId
    )

    begin {
        $items = New-Object -TypeName System.Collections.Generic.List[string]
    }

    process {
        $literal = $PSCmdlet.ParameterSetName -eq 'LiteralPath'
        $values = $Path
        if ($literal) { $values = $LiteralPath }
        foreach ($item in $values) {
            # Drive letters and disk identifiers are passed as typed; files are resolved against
            # PowerShell's location (and, for -Path, their wildcards expanded).
            if ($item -match '^[A-Za-z]:\\?$' -or $item -match '^\\\\\.\\' -or $item -match '^[0-9]+$' -or $item -match '^/dev/') {
                $items.Add($item)
            }
            elseif ($literal -or -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($item)) {
                $items.Add(@(Resolve-CaptureMediaPath -Caller $PSCmdlet -Path @($item))[0])
            }
            else {
                $found = @(Resolve-Path -Path $item -ErrorAction SilentlyContinue | Where-Object { $_.Provider.Name -eq 'FileSystem' } | ForEach-Object { $_.ProviderPath })
                if ($found.Count -eq 0) {
                    $message = 'No file matches -Path ''{0}''. Check the folder and pattern, or use -LiteralPath for a name with [ or ] in it.' -f $item
                    Stop-CaptureMediaCommand -Caller $PSCmdlet -ErrorRecord (New-CaptureMediaErrorRecord -Id 'InvalidParameter' -Category 'InvalidArgument' -Message $message -Target $item) -NonTerminating
                    continue
                }
                foreach ($file in $found) { $items.Add($file) }
            }
        }
    }

    end {
        if ($items.Count -eq 0) {
            return
        }
        $parameters = @{ path = [string[]]@($items) }
        if ($PSBoundParameters.ContainsKey('RequireHardwareId')) {
            $parameters['requireHardwareId'] = [string[]]@(ConvertTo-CaptureMediaDeviceId -InputObject $RequireHardwareId -Caller $PSCmdlet)
        }
        Invoke-CaptureMediaCore -Command 'verify' -Parameters $parameters -Caller $PSCmdlet -TypeName 'CaptureMedia.VerifyResult'
    }
}
