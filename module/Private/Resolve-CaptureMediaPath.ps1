function Resolve-CaptureMediaPath {
    <#
    .SYNOPSIS
    Turns PowerShell paths (relative, '~', PSDrive-qualified) into file-system paths for the core.

    .DESCRIPTION
    The core runs in its own process and knows nothing of PowerShell's current location or
    PSDrives, so every parameter that is always a file-system path is resolved here with
    GetUnresolvedProviderPathFromPSPath (the file need not exist yet). A value PowerShell cannot
    resolve is passed through unchanged and the core judges it.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [string[]] $Path
    )

    foreach ($item in $Path) {
        $resolved = $item
        if (-not [string]::IsNullOrEmpty($item)) {
            try {
                $resolved = $Caller.SessionState.Path.GetUnresolvedProviderPathFromPSPath($item)
            }
            catch {
                $resolved = $item
            }
        }
        $resolved
    }
}
