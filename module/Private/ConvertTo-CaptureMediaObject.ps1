function ConvertTo-CaptureMediaObject {
    <#
    .SYNOPSIS
    Turns the data of a bridge 'result' event into the typed object the public command outputs.

    .DESCRIPTION
    The object keeps the core's property names and values; its first type name (PSTypeName) is
    CaptureMedia.Result, CaptureMedia.BootImage, CaptureMedia.Disk or CaptureMedia.VerifyResult so
    that CaptureMedia.format.ps1xml picks its table view. Disk objects always carry a Path
    property, so that 'Get-CaptureMediaDisk | New-CaptureMedia' binds -Path by property name, and
    boot images a BootImage property, so that 'Get-CaptureMediaBootImage | New-CaptureMedia'
    binds -BootImage.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [AllowNull()]
        [object] $Data,

        [Parameter(Mandatory)]
        [string] $TypeName
    )

    if ($Data -isnot [System.Management.Automation.PSCustomObject]) {
        $Data = [pscustomobject]@{ Value = $Data }
    }
    if ($TypeName -eq 'CaptureMedia.Disk' -and $null -eq $Data.PSObject.Properties['Path']) {
        foreach ($name in @('DevicePath', 'Device', 'Number')) {
            $property = $Data.PSObject.Properties[$name]
            if ($null -ne $property -and $null -ne $property.Value) {
                $Data | Add-Member -MemberType NoteProperty -Name 'Path' -Value ([string]$property.Value)
                break
            }
        }
    }
    if ($TypeName -eq 'CaptureMedia.BootImage' -and $null -eq $Data.PSObject.Properties['BootImage']) {
        # Exactly what New-CaptureMedia -BootImage takes, so the object binds by property name:
        # the package id, or '<full path>:<index>' for a WIM file.
        $bootImage = Get-CaptureMediaEventValue -InputObject $Data -Name 'Id' -Default $null
        $contentVersion = Get-CaptureMediaEventValue -InputObject $Data -Name 'ContentVersion' -Default $null
        $file = Get-CaptureMediaEventValue -InputObject $Data -Name 'Path' -Default $null
        $index = Get-CaptureMediaEventValue -InputObject $Data -Name 'Index' -Default $null
        if ($null -eq $contentVersion -and $null -ne $file -and $null -ne $index) {
            $bootImage = '{0}:{1}' -f $file, $index
        }
        $Data | Add-Member -MemberType NoteProperty -Name 'BootImage' -Value $bootImage
    }
    $Data.PSObject.TypeNames.Insert(0, $TypeName)
    $Data
}
