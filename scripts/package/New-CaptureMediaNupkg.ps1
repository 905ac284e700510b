<#
.SYNOPSIS
Validates the packaged module's manifest and makes the .nupkg that Install-PSResource and
Install-Module accept from a file-share repository. Run by scripts/package/package.mjs.

.DESCRIPTION
Compress-PSResource (Microsoft.PowerShell.PSResourceGet, in PowerShell 7.4 and later) builds the
package from the module folder without publishing it anywhere, so no repository is registered and
the user's PowerShell settings are left as they were. Prints the .nupkg's full path.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DestinationPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$manifestPath = [IO.Path]::Combine($ModulePath, 'CaptureMedia.psd1')
$manifest = Test-ModuleManifest -Path $manifestPath
Import-Module -Name Microsoft.PowerShell.PSResourceGet -MinimumVersion 1.1.0

$before = @([IO.Directory]::GetFiles($DestinationPath, '*.nupkg'))
Compress-PSResource -Path $ModulePath -DestinationPath $DestinationPath
$made = @([IO.Directory]::GetFiles($DestinationPath, '*.nupkg') | Where-Object { $before -notcontains $_ })
if ($made.Count -ne 1) {
    throw ('Compress-PSResource made {0} .nupkg files in {1}; expected one for CaptureMedia {2}.' -f $made.Count, $DestinationPath, $manifest.Version)
}
$made[0]
