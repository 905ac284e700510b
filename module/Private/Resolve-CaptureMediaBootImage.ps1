function Resolve-CaptureMediaBootImage {
    <#
    .SYNOPSIS
    Turns the -BootImage value into what the core takes: a package id or the full path of a .wim.

    .DESCRIPTION
    Accepts:
      - a package id (PS100004), passed as is;
      - a .wim path, resolved against the PowerShell location;
      - '<file>.wim:<index>', the Id Get-CaptureMediaBootImage prints for a WIM file: the index
        must be the image the media are made from (the WIM's boot image, or image 1), which the
        core is asked for; another index is an InvalidParameter error that names the right one;
      - an object with a PackageID property (a ConfigMgr boot image, Get-CMBootImage);
      - a CaptureMedia.BootImage object (Get-CaptureMediaBootImage): its BootImage property.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [Parameter(Mandatory)]
        [object] $BootImage
    )

    $value = $BootImage
    if ($value -isnot [string]) {
        $text = $null
        foreach ($name in @('BootImage', 'PackageID')) {
            $property = Get-CaptureMediaEventValue -InputObject $value -Name $name -Default $null
            if ($null -ne $property -and -not [string]::IsNullOrWhiteSpace([string]$property)) {
                $text = [string]$property
                break
            }
        }
        if ($null -eq $text) {
            $message = 'The -BootImage object ''{0}'' has no PackageID (a ConfigMgr boot image) or BootImage (Get-CaptureMediaBootImage) property. Pass a package id such as PS100004, or the path of a .wim file.' -f $value
            Stop-CaptureMediaCommand -Caller $Caller -ErrorRecord (New-CaptureMediaErrorRecord -Id 'InvalidParameter' -Category 'InvalidArgument' -Message $message -Target ([string]$value))
            return
        }
        $value = $text
    }

    $indexMatch = [regex]::Match($value, '^(?<file>.+\.wim):(?<index>[0-9]+)$', [System.Text.RegularExpressions.RegexOptions]::IgnoreCase)
    if ($indexMatch.Success) {
        $file = @(Resolve-CaptureMediaPath -Caller $Caller -Path @($indexMatch.Groups['file'].Value))[0]
        $index = [int]$indexMatch.Groups['index'].Value
        $images = @()
        try {
            $images = @(Invoke-CaptureMediaCore -Command 'boot-images' -Parameters @{ path = [string[]]@($file) } -Caller $Caller -TypeName 'CaptureMedia.BootImage' -ThrowErrors)
        }
        catch {
            Stop-CaptureMediaCommand -Caller $Caller -ErrorRecord $_
            return
        }
        $used = @($images | Where-Object { $_.Boot }) | Select-Object -First 1
        if ($null -eq $used) { $used = $images | Select-Object -First 1 }
        if ($null -eq $used -or [int]$used.Index -ne $index) {
            $usedText = 'it has no image'
            if ($null -ne $used) { $usedText = 'the media are made from image {0} (its boot image), so give {1}:{0} or the file alone' -f $used.Index, $indexMatch.Groups['file'].Value }
            $message = '-BootImage ''{0}'': {1}.' -f $value, $usedText
            Stop-CaptureMediaCommand -Caller $Caller -ErrorRecord (New-CaptureMediaErrorRecord -Id 'InvalidParameter' -Category 'InvalidArgument' -Message $message -Target $value)
            return
        }
        return $file
    }
    if ($value -match '[\\/]' -or $value -like '*.wim') {
        return @(Resolve-CaptureMediaPath -Caller $Caller -Path @($value))[0]
    }
    $value
}
