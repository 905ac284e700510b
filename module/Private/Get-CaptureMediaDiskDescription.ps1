function Get-CaptureMediaDiskDescription {
    <#
    .SYNOPSIS
    Describes USB target disks for the confirmation prompt: number, bus, size and model.

    .DESCRIPTION
    Asks the core for its disk list ('disks' command) and returns a hashtable path -> text such as
    "disk 3 'SanDisk Ultra' (USB, 28.6 GiB, \\.\PhysicalDrive3)". Any failure (no disk support on
    this platform, the core refusing) leaves the description to the path the user typed: the core
    checks the disk again itself before it erases anything.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [Parameter(Mandatory)]
        [string[]] $Path
    )

    $descriptions = @{}
    $disks = @()
    try {
        $disks = @(Invoke-CaptureMediaCore -Command 'disks' -Parameters @{} -Caller $Caller -TypeName 'CaptureMedia.Disk' -ThrowErrors)
    }
    catch {
        $Caller.WriteVerbose(('Could not list disks to describe the target: {0}' -f $_.Exception.Message))
        return $descriptions
    }

    foreach ($item in $Path) {
        foreach ($disk in $disks) {
            $keys = @()
            foreach ($name in @('Path', 'DevicePath', 'Number', 'DriveLetter')) {
                $value = Get-CaptureMediaEventValue -InputObject $disk -Name $name -Default $null
                if ($null -ne $value) { $keys += [string]$value }
            }
            $number = Get-CaptureMediaEventValue -InputObject $disk -Name 'Number' -Default $null
            if ($null -ne $number) { $keys += ('\\.\PhysicalDrive{0}' -f $number) }
            if ($keys -notcontains $item.TrimEnd('\')) { continue }

            $parts = @()
            $bus = Get-CaptureMediaEventValue -InputObject $disk -Name 'Bus' -Default $null
            if ($null -ne $bus) { $parts += [string]$bus }
            $size = Get-CaptureMediaEventValue -InputObject $disk -Name 'SizeBytes' -Default (Get-CaptureMediaEventValue -InputObject $disk -Name 'Size' -Default $null)
            if ($null -ne $size) { $parts += ('{0:N1} GiB' -f ([double]$size / 1GB)) }
            $devicePath = Get-CaptureMediaEventValue -InputObject $disk -Name 'Path' -Default $item
            $parts += [string]$devicePath
            $model = Get-CaptureMediaEventValue -InputObject $disk -Name 'Model' -Default ''
            $label = 'disk'
            if ($null -ne $number) { $label = 'disk {0}' -f $number }
            if (-not [string]::IsNullOrEmpty([string]$model)) { $label = '{0} ''{1}''' -f $label, $model }
            $descriptions[$item] = '{0} ({1})' -f $label, ($parts -join ', ')
            break
        }
    }
    $descriptions
}
