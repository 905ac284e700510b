function Get-CaptureMediaDisk {
    <#
    .SYNOPSIS
    Lists the disks that could receive USB capture media, with the safety verdict for each.

    .DESCRIPTION
    Asks the capture-media core for the computer's disks (Windows: Get-Disk; Linux: lsblk) and
    outputs one object per disk with its number, path, bus type, size, model, and whether
    New-CaptureMedia -MediaType Usb would accept it, and if not why (not removable, the system or
    boot disk, holding the source or output, offline, too small). Nothing is changed.

    The objects have a Path property, so they can be piped to New-CaptureMedia.

    .PARAMETER AllowFixedDisk
    Judge the disks as New-CaptureMedia -AllowFixedDisk would: a fixed (non-removable, non-USB)
    disk is then Usable when nothing else rules it out. The system/boot disk and disks holding
    the source or output are still refused.

    .OUTPUTS
    CaptureMedia.Disk. One object per disk: Path, Number, Model, Serial, Bus, SizeBytes, Removable, Mounted,
    Usable (true when New-CaptureMedia would accept it), Verdict ('Usable' or the error id it would
    stop with) and Reason.

    .EXAMPLE
    Get-CaptureMediaDisk

    Shows every disk and whether it may be used for capture media.

    .EXAMPLE
    Get-CaptureMediaDisk | Where-Object Usable | New-CaptureMedia -MediaType Usb -FormatMedia -BootImage PS100004 -DistributionPoint \\dp01\SCCMContentLib$

    Erases every disk that passes the safety rules and writes capture media to it, after confirming each one.

    .EXAMPLE
    Get-CaptureMediaDisk -AllowFixedDisk | Where-Object Bus -eq 'SATA'

    Shows whether an internal SATA disk would be accepted by New-CaptureMedia -AllowFixedDisk
    (for example a USB enclosure that reports itself as fixed).

    .LINK
    New-CaptureMedia

    .LINK
    about_CaptureMedia
    #>
    [CmdletBinding()]
    [OutputType('CaptureMedia.Disk')]
    param(
        [switch] $AllowFixedDisk
    )

    $parameters = @{}
    if ($AllowFixedDisk) { $parameters['allowFixedDisk'] = $true }
    Invoke-CaptureMediaCore -Command 'disks' -Parameters $parameters -Caller $PSCmdlet -TypeName 'CaptureMedia.Disk'
}
