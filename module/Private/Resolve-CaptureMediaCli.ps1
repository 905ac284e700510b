function Resolve-CaptureMediaCli {
    <#
    .SYNOPSIS
    Finds the capture-media core (the one-file Node.js program) that the bridge runs.

    .DESCRIPTION
    Uses $env:CAPTUREMEDIA_CLI when set (a relative value is taken from the current file-system
    location). Otherwise the first of these that exists:
      <module folder>\core\capture-media.cjs     the installed module package (npm run package)
      <module folder>\..\dist\capture-media.cjs  a source checkout after 'npm run build'
    Every path is built with [IO.Path] from the module's own folder, so the current location's
    provider (Env:, a ConfigMgr site drive) does not matter. A missing core is a terminating
    error with FullyQualifiedErrorId CoreNotFound that names every place looked at.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller
    )

    $fromEnvironment = $env:CAPTUREMEDIA_CLI
    if (-not [string]::IsNullOrEmpty($fromEnvironment)) {
        $cli = $fromEnvironment
        if (-not [IO.Path]::IsPathRooted($cli)) {
            $cli = [IO.Path]::Combine($Caller.SessionState.Path.CurrentFileSystemLocation.ProviderPath, $cli)
        }
        $cli = [IO.Path]::GetFullPath($cli)
        if (-not [IO.File]::Exists($cli)) {
            $message = '$env:CAPTUREMEDIA_CLI is set to ''{0}'', which is not a file. Point it at capture-media.cjs or remove it to use the core that ships with the module.' -f $fromEnvironment
            $Caller.ThrowTerminatingError((New-CaptureMediaErrorRecord -Id 'CoreNotFound' -Category 'ObjectNotFound' -Message $message -Target $fromEnvironment))
        }
        return $cli
    }

    $moduleRoot = $script:CaptureMediaModuleRoot
    $candidates = @(
        [IO.Path]::Combine($moduleRoot, 'core', 'capture-media.cjs')
        [IO.Path]::GetFullPath([IO.Path]::Combine($moduleRoot, '..', 'dist', 'capture-media.cjs'))
    )
    foreach ($candidate in $candidates) {
        if ([IO.File]::Exists($candidate)) { return $candidate }
    }
    $message = 'The capture-media core was not found (looked for ''{0}'' and ''{1}''). Reinstall the module (Install-Module CaptureMedia, or unzip the release package), or in a source checkout run ''npm run build''.' -f $candidates[0], $candidates[1]
    $Caller.ThrowTerminatingError((New-CaptureMediaErrorRecord -Id 'CoreNotFound' -Category 'ObjectNotFound' -Message $message -Target $candidates[0]))
}
