<#
.SYNOPSIS
The module package installed the way an admin installs it, then used from a new PowerShell.
Run by test/package/install.test.ts with HOME (and so the CurrentUser module path and the
repository settings) in a fresh temporary folder, so nothing of the machine's own setup is used.

.DESCRIPTION
1. A folder is registered as a PowerShell repository and the .nupkg is placed in it.
2. -Installer PSResourceGet: Install-PSResource; PowerShellGet: Install-Module (v2); Zip:
   Expand-Archive of the release zip into an empty module folder.
3. A new pwsh process imports CaptureMedia by name, moves to Env: (a provider that is not the file
   system, as a ConfigMgr site drive is), builds the ISO with New-CaptureMedia from the content
   library, and checks it with Test-CaptureMedia. It prints one JSON line with what it saw.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('PSResourceGet', 'PowerShellGet', 'Zip')] [string] $Installer,
    [Parameter(Mandatory)] [string] $ReleasePath,
    [Parameter(Mandatory)] [string] $WorkPath,
    [Parameter(Mandatory)] [string] $DistributionPoint,
    [Parameter(Mandatory)] [string] $PackageId,
    # The pwsh to start the new session with (a dotnet-tool pwsh runs inside 'dotnet', so this
    # process cannot tell its own launcher).
    [Parameter(Mandatory)] [string] $PwshPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$repository = [IO.Path]::Combine($WorkPath, 'repository')
[void][IO.Directory]::CreateDirectory($repository)
$nupkg = @([IO.Directory]::GetFiles($ReleasePath, 'CaptureMedia.*.nupkg'))
if ($nupkg.Count -ne 1) { throw "expected one CaptureMedia .nupkg in $ReleasePath, found $($nupkg.Count)" }
Copy-Item -LiteralPath $nupkg[0] -Destination $repository

$moduleRoot = $null
switch ($Installer) {
    'PSResourceGet' {
        Register-PSResourceRepository -Name 'CaptureMediaShare' -Uri $repository -Trusted
        Install-PSResource -Name 'CaptureMedia' -Repository 'CaptureMediaShare' -Scope CurrentUser -TrustRepository -Quiet
    }
    'PowerShellGet' {
        Register-PSRepository -Name 'CaptureMediaShare' -SourceLocation $repository -InstallationPolicy Trusted
        Install-Module -Name 'CaptureMedia' -Repository 'CaptureMediaShare' -Scope CurrentUser
    }
    'Zip' {
        $moduleRoot = [IO.Path]::Combine($WorkPath, 'Modules')
        [void][IO.Directory]::CreateDirectory($moduleRoot)
        $zip = @([IO.Directory]::GetFiles($ReleasePath, 'CaptureMedia-*.zip'))
        Expand-Archive -LiteralPath $zip[0] -DestinationPath $moduleRoot
    }
}

$iso = [IO.Path]::Combine($WorkPath, 'capture.iso')
$session = {
    param($Iso, $DistributionPoint, $PackageId)
    $ErrorActionPreference = 'Stop'
    Import-Module -Name CaptureMedia
    $module = Get-Module -Name CaptureMedia
    Set-Location -Path 'Env:'
    $created = New-CaptureMedia -MediaType CdDvd -Path $Iso -BootImage $PackageId -DistributionPoint $DistributionPoint -Confirm:$false
    $tested = Test-CaptureMedia -Path $Iso
    [pscustomobject]@{
        ModuleVersion = $module.Version.ToString()
        ModuleBase    = $module.ModuleBase
        Location      = (Get-Location).Path
        Created       = $created.Path
        Verified      = $created.Verified
        TestVerified  = $tested.Verified
    } | ConvertTo-Json -Compress
}
if ($null -ne $moduleRoot) {
    $env:PSModulePath = $moduleRoot + [IO.Path]::PathSeparator + $env:PSModulePath
}
& $PwshPath -NoProfile -NonInteractive -Command "& { $($session.ToString()) } -Iso '$($iso.Replace("'", "''"))' -DistributionPoint '$($DistributionPoint.Replace("'", "''"))' -PackageId '$PackageId'"
if ($LASTEXITCODE -ne 0) { throw "the new pwsh session failed (exit $LASTEXITCODE)" }
