function Get-CaptureMediaEventValue {
    <#
    .SYNOPSIS
    Reads one property of a parsed bridge event, or a default when the event does not have it.

    .DESCRIPTION
    Optional event fields (target, status, bytesTotal) are simply absent from the JSON; under
    Set-StrictMode reading a missing property throws, so every optional read goes through here.
    #>
    [CmdletBinding()]
    param(
        [AllowNull()]
        [object] $InputObject,

        [Parameter(Mandatory)]
        [string] $Name,

        [AllowNull()]
        [object] $Default
    )

    if ($null -eq $InputObject) { return $Default }
    $property = $InputObject.PSObject.Properties[$Name]
    if ($null -eq $property -or $null -eq $property.Value) { return $Default }
    $property.Value
}
