function Resolve-CaptureMediaCli {
    <#
    .SYNOPSIS
    Finds the capture-media CLI script (the Node core) that the bridge runs.

    .DESCRIPTION
    Uses $env:CAPTUREMEDIA_CLI when set, otherwise dist/src/cli/main.js of the package: module/
    and dist/ are siblings, so from module/Private/ that is ..\..\dist\src\cli\main.js.
    A missing file is a terminating error with FullyQualifiedErrorId CoreNotFound.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller
    )

    $cli = $env:CAPTUREMEDIA_CLI
    $fromEnvironment = -not [string]::IsNullOrEmpty($cli)
    if (-not $fromEnvironment) {
        $packageRoot = Split-Path -Path (Split-Path -Path $PSScriptRoot -Parent) -Parent
        $cli = Join-Path -Path $packageRoot -ChildPath (Join-Path -Path 'dist' -ChildPath (Join-Path -Path 'src' -ChildPath (Join-Path -Path 'cli' -ChildPath 'main.js')))
    }
    if (-not (Test-Path -LiteralPath $cli -PathType Leaf)) {
        if ($fromEnvironment) {
            $message = '$env:CAPTUREMEDIA_CLI is set to ''{0}'', which is not a file.' -f $cli
        }
        else {
            $message = 'The capture-media core was not found at ''{0}''. Reinstall the module, or build it from source with ''npm run build''.' -f $cli
        }
        $Caller.ThrowTerminatingError((New-CaptureMediaErrorRecord -Id 'CoreNotFound' -Category 'ObjectNotFound' -Message $message -Target $cli))
    }
    (Resolve-Path -LiteralPath $cli).ProviderPath
}
