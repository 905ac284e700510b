function Get-CaptureMediaExistingOutput {
    <#
    .SYNOPSIS
    The files a CdDvd or UsbImage run would replace: the output itself and, for an ISO, the numbered discs of a set.

    .DESCRIPTION
    'C:\out\capture.iso' may become capture1.iso, capture2.iso, ... when the content needs
    several discs, so any existing capture.iso or capture<N>.iso counts. Used to ask before
    replacing them (nothing else is destroyed by these media types). A folder that cannot be
    read is left to the core, which reports it.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Path,

        [switch] $DiscSet
    )

    $folder = [System.IO.Path]::GetDirectoryName($Path)
    if ([string]::IsNullOrEmpty($folder) -or -not [System.IO.Directory]::Exists($folder)) {
        return
    }
    $stem = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    $extension = [System.IO.Path]::GetExtension($Path)
    $pattern = '^' + [regex]::Escape($stem) + '[0-9]*' + [regex]::Escape($extension) + '$'
    if (-not $DiscSet) {
        $pattern = '^' + [regex]::Escape($stem + $extension) + '$'
    }
    try {
        foreach ($file in [System.IO.Directory]::GetFiles($folder, ($stem + '*' + $extension))) {
            if ([System.IO.Path]::GetFileName($file) -match $pattern) {
                $file
            }
        }
    }
    catch [System.UnauthorizedAccessException] {
        return
    }
    catch [System.IO.IOException] {
        return
    }
}
