function Test-CaptureMedia {
    <#
    .SYNOPSIS
    Re-verifies capture media (an ISO, a USB drive or a disk image) against its manifest.

    .DESCRIPTION
    Reads every file of the media back and compares it with the manifest written when the media
    was created (sizes and hashes), the same check New-CaptureMedia does after writing. Use it
    before handing out media that were made earlier or copied. A mismatch is reported as an error
    with the id VerifyFailed (or MediaInvalid when the media cannot be read at all).

    .PARAMETER Path
    The media to check: ISO files, disk image files, drive letters (E:) or disks. Accepts pipeline
    input by property name (Path, FullName), so the output of New-CaptureMedia or Get-ChildItem
    can be piped in.

    .PARAMETER RequireHardwareId
    Also check that the boot image on the media (sources\boot.wim) has a driver for each of these
    devices, the same check New-CaptureMedia -RequireHardwareId does before writing: hardware ids
    such as 'PCI\VEN_8086&DEV_15F3', or device objects with a HardwareID property such as
    Get-PnpDevice output. A device no INF serves is an error with the id DriverMissing.

    .INPUTS
    System.String. Objects with a Path or FullName property.

    .OUTPUTS
    CaptureMedia.VerifyResult. One object per medium checked, with its Path, whether it Verified,
    the number of Files and Bytes read, and CaptureLauncher: whether the set holds
    SMS\bin\<arch>\TSMBAutorun.exe, without which it boots WinPE but cannot start a capture.

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

    .LINK
    New-CaptureMedia

    .LINK
    about_CaptureMedia
    #>
    [CmdletBinding()]
    [OutputType('CaptureMedia.VerifyResult')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Path,

        [ValidateNotNullOrEmpty()]
        [object[]] $RequireHardwareId
    )

    begin {
        $items = New-Object -TypeName System.Collections.Generic.List[string]
    }

    process {
        foreach ($item in $Path) {
            $items.Add($item)
        }
    }

    end {
        if ($items.Count -eq 0) {
            return
        }
        # Drive letters and disk identifiers are passed as typed; files are resolved against PowerShell's location.
        $resolved = foreach ($item in $items) {
            if ($item -match '^[A-Za-z]:\\?$' -or $item -match '^\\\\\.\\' -or $item -match '^[0-9]+$') {
                $item
            }
            else {
                Resolve-CaptureMediaPath -Caller $PSCmdlet -Path @($item)
            }
        }
        $parameters = @{ path = [string[]]@($resolved) }
        if ($PSBoundParameters.ContainsKey('RequireHardwareId')) {
            $parameters['requireHardwareId'] = [string[]]@(ConvertTo-CaptureMediaDeviceId -InputObject $RequireHardwareId -Caller $PSCmdlet)
        }
        Invoke-CaptureMediaCore -Command 'verify' -Parameters $parameters -Caller $PSCmdlet -TypeName 'CaptureMedia.VerifyResult'
    }
}
