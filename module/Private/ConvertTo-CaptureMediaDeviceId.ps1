function ConvertTo-CaptureMediaDeviceId {
    <#
    .SYNOPSIS
    Turns -RequireHardwareId values into the core's device strings: '[Class:]id[,id...]'.

    .DESCRIPTION
    A string is passed as typed (one device: one id, or several ids of the same device separated
    by commas). An object with a HardwareID property (Get-PnpDevice output, Win32_PnPEntity) is one
    device: its HardwareID ids, most specific first, then its CompatibleID ids, prefixed with its
    Class (Net, SCSIAdapter, HDC) when it has one, so an unmatched device is reported with the
    class of driver it needs. Anything else is an InvalidParameter error of the caller.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [object[]] $InputObject,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller
    )

    foreach ($item in $InputObject) {
        if ($null -eq $item) {
            continue
        }
        if ($item -is [string]) {
            $item
            continue
        }
        $hardware = $item.PSObject.Properties['HardwareID']
        $ids = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($property in @($hardware, $item.PSObject.Properties['CompatibleID'])) {
            if ($null -eq $property -or $null -eq $property.Value) {
                continue
            }
            foreach ($id in @($property.Value)) {
                if (-not [string]::IsNullOrWhiteSpace([string]$id)) {
                    $ids.Add(([string]$id).Trim())
                }
            }
        }
        if ($null -eq $hardware -or $ids.Count -eq 0) {
            $message = "-RequireHardwareId takes hardware ids such as 'PCI\VEN_8086&DEV_15F3', or device objects with a HardwareID property (Get-PnpDevice output); '$item' has no hardware id."
            $Caller.ThrowTerminatingError((New-CaptureMediaErrorRecord -Id 'InvalidParameter' -Category 'InvalidArgument' -Message $message -Target ([string]$item)))
        }
        $spec = $ids.ToArray() -join ','
        $class = $item.PSObject.Properties['Class']
        if ($null -ne $class -and [string]$class.Value -match '^[A-Za-z][A-Za-z0-9]{0,31}$') {
            $spec = '{0}:{1}' -f $class.Value, $spec
        }
        $spec
    }
}
