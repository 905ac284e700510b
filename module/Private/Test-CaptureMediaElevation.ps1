function Test-CaptureMediaElevation {
    <#
    .SYNOPSIS
    True when this session may prepare USB disks: elevated on Windows; always true elsewhere.

    .DESCRIPTION
    The core refuses an unelevated USB run itself (PermissionDenied), but only after the module has
    asked the user to confirm wiping each disk. Checking here first spares the admin a confirmation
    that cannot lead anywhere. On Linux and macOS the core's own device checks apply (root).
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param()

    # [Environment]::OSVersion.Platform works on both 5.1 and 7 (PowerShell 7's $IsWindows does not exist in 5.1).
    if ([System.Environment]::OSVersion.Platform -ne [System.PlatformID]::Win32NT) {
        return $true
    }
    $principal = New-Object -TypeName System.Security.Principal.WindowsPrincipal -ArgumentList ([System.Security.Principal.WindowsIdentity]::GetCurrent())
    return $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
}
